from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from import_export.admin import ExportActionMixin

from core.admin import AuditTrailMixin, act_on_each, titled
from core.dates import local_date
from core.errors import RuleError
from mentoring import services
from mentoring.exports import ADMIN_FORMATS, CSV_ENCODING, MentorshipResource
from mentoring.models import Campaign, MentorEnrollment, Mentorship, Message, Participation, Phase


def _short_day(moment):
    """A day in the school's time zone, in the short form of the reader's language (01/10/2026)."""
    return local_date(moment, "SHORT_DATE_FORMAT")


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    # The phase right after the name, and the calendar as days: the list fits a 1280 px screen.
    list_display = [
        "name",
        "current",
        "phase_label",
        "recruitment_days",
        "matching_opens_day",
        "campaign_ends_day",
        "roster_link",
    ]
    # One campaign a year: no filter sidebar, whose width the list needs (the current one is marked).
    actions = ["start_next"]
    search_fields = ["name"]
    fieldsets = [
        (None, {"fields": ["name", "is_current"]}),
        (_("Calendar"), {"fields": ["recruitment_opens", "recruitment_closes", "matching_opens", "campaign_ends"]}),
        (_("Rules"), {"fields": ["roadbook_min_days", "default_mentor_capacity", "request_expiry_days"]}),
        (_("Data protection"), {"fields": ["retention_months"]}),
        (
            _("Reminders"),
            {
                "fields": [
                    "recruitment_closing_reminder_days",
                    "no_mentor_reminder_days",
                    "request_unanswered_reminder_days",
                    "roadbook_due_reminder_days",
                    "evaluation_pending_reminder_days",
                    "no_follow_up_reminder_weeks",
                    "final_form_reminder_days",
                ]
            },
        ),
    ]

    @admin.display(description=_("phase"))
    def phase_label(self, campaign):
        return campaign.phase.label

    @admin.display(boolean=True, description=pgettext_lazy("admin column: the current campaign", "current"))
    def current(self, campaign):
        return campaign.is_current

    # Short column titles: the list fits a 1280 px screen in French too.
    @admin.display(description=pgettext_lazy("admin column: dates", "recruitment"), ordering="recruitment_opens")
    def recruitment_days(self, campaign):
        return f"{_short_day(campaign.recruitment_opens)} – {_short_day(campaign.recruitment_closes)}"

    @admin.display(description=pgettext_lazy("admin column: a date", "matching"), ordering="matching_opens")
    def matching_opens_day(self, campaign):
        return _short_day(campaign.matching_opens)

    @admin.display(description=_("ends"), ordering="campaign_ends")
    def campaign_ends_day(self, campaign):
        return _short_day(campaign.campaign_ends)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(roster_size=Count("participations", filter=Q(participations__status=Participation.Status.ACTIVE)))
        )

    @admin.display(description=_("students"), ordering="roster_size")
    def roster_link(self, campaign):
        url = reverse("admin:mentoring_participation_changelist")
        return format_html(
            '<a href="{}?campaign__id__exact={}&amp;status__exact={}">{}</a>',
            url,
            campaign.pk,
            Participation.Status.ACTIVE,
            campaign.roster_size,
        )

    @admin.action(description=_("Start next year's campaign"), permissions=["add"])
    def start_next(self, request, queryset):
        """Asks first (the new campaign becomes current and mentors are mailed), then hands over."""
        if len(queryset) != 1:
            self.message_user(request, _("Select one campaign: next year's campaign starts from it."), messages.WARNING)
            return None
        campaign = queryset[0]
        next_campaign = services.campaign_next(campaign)
        mentors = services.campaign_mentors_to_invite(campaign).count()
        running = campaign.phase != Phase.ENDED
        refusal = None
        if "apply" in request.POST:
            try:
                new = services.campaign_start_next(
                    campaign=campaign, while_running=bool(request.POST.get("while_running"))
                )
            except RuleError as error:
                refusal = str(error)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "The campaign “%(name)s” is current; %(count)s mentor was invited to re-enrol.",
                        "The campaign “%(name)s” is current; %(count)s mentors were invited to re-enrol.",
                        mentors,
                    )
                    % {"name": new.name, "count": mentors},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:mentoring_campaign_change", args=[new.pk]))
        current = Campaign.objects.current()
        if current is not None and current.pk != campaign.pk:
            self.message_user(
                request,
                _("Start next year's campaign from the current one, %(name)s.") % {"name": current.name},
                messages.ERROR,
            )
            return None
        if Campaign.objects.filter(name=next_campaign.name).exists():
            self.message_user(
                request, _("A campaign named “%(name)s” already exists.") % {"name": next_campaign.name}, messages.ERROR
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Start next year's campaign"),
            "opts": self.model._meta,
            "campaign": campaign,
            "next_campaign": next_campaign,
            "current": current,
            "mentors": mentors,
            "running": running,
            "live_mentorships": campaign.mentorships.filter(status__in=Mentorship.LIVE).count() if running else 0,
            "refusal": refusal,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/mentoring/campaign/start_next.html", context)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Kept with each roster entry, for staff."),
    )


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    """The rosters: who each campaign is for. Students join here (or at sign-up, or by import)
    and leave by the "Remove from the campaign" action, with a reason; rows are never deleted."""

    list_display = ["student", "campaign", "status", "source", "joined_at", "withdrawn_at", "withdrawn_reason"]
    list_filter = ["campaign", "status", titled("source", _("how they joined"))]
    search_fields = ["student__email", "student__first_name", "student__last_name"]
    list_select_related = ["student", "campaign"]
    autocomplete_fields = ["student"]
    ordering = ["student__last_name", "student__first_name", "pk"]
    fields = ["campaign", "student", "status", "source", "joined_at", "withdrawn_at", "withdrawn_reason"]
    actions = ["withdraw"]

    def get_readonly_fields(self, request, obj=None):
        # The add form and the action keep the rules (and the reason); nothing is edited by hand.
        if obj is None:
            return ["status", "source", "joined_at", "withdrawn_at", "withdrawn_reason"]
        return self.fields

    def get_changeform_initial_data(self, request):
        current = Campaign.objects.current()
        return {"campaign": current.pk if current else None, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        if change:
            return
        participation = services.participation_add(
            campaign=obj.campaign, student=obj.student, source=Participation.Source.STAFF
        )
        obj.pk = participation.pk
        obj.refresh_from_db()

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Remove from the campaign"), permissions=["change"])
    def withdraw(self, request, queryset):
        """Asks for the reason on a page of its own, then removes each selected student."""
        queryset = queryset.select_related("student", "campaign")
        form = WithdrawForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            act_on_each(
                self,
                request,
                queryset,
                lambda participation: services.participation_withdraw(
                    participation=participation, reason=form.cleaned_data["reason"]
                ),
                lambda done: (
                    ngettext(
                        "%(count)s student removed from the campaign.",
                        "%(count)s students removed from the campaign.",
                        done,
                    )
                    % {"count": done}
                ),
            )
            return None
        selected = queryset.filter(student=OuterRef("student"), campaign=OuterRef("campaign"))
        mentorships = (
            Mentorship.objects.live()
            .filter(Exists(selected))
            .select_related("student", "enrollment__alumnus", "campaign")
            .order_by("student__last_name", "pk")
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Remove from the campaign"),
            "opts": self.model._meta,
            "queryset": queryset,
            "form": form,
            "mentorships": mentorships,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/mentoring/participation/withdraw.html", context)


@admin.register(MentorEnrollment)
class MentorEnrollmentAdmin(admin.ModelAdmin):
    list_display = ["alumnus", "campaign", "status", "capacity", "applied_at", "decided_at"]
    list_filter = [
        "campaign",
        "status",
        titled("offers_in_person", _("meets in person")),
        titled("offers_video", _("meets by video call")),
        titled("offers_phone", _("meets by phone")),
        titled("sectors", _("sector")),
    ]
    search_fields = ["alumnus__email", "alumnus__first_name", "alumnus__last_name"]
    list_select_related = ["alumnus", "campaign"]
    autocomplete_fields = ["alumnus"]
    filter_horizontal = ["languages", "sectors"]
    # Decisions go through the actions, which tell the alumnus; the status is not edited by hand.
    readonly_fields = ["status", "applied_at", "decided_at"]
    actions = ["approve", "reject", "withdraw"]

    @admin.action(description=_("Approve the selected applications (the alumni are told)"))
    def approve(self, request, queryset):
        done = sum(services.enrollment_approve(enrollment=e) for e in queryset.select_related("alumnus", "campaign"))
        self.message_user(
            request,
            ngettext("%(count)s application approved.", "%(count)s applications approved.", done) % {"count": done},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Withdraw the selected mentors (their students are told and may choose another mentor)")
    )
    def withdraw(self, request, queryset):
        act_on_each(
            self,
            request,
            queryset,
            lambda enrollment: services.enrollment_withdraw(enrollment=enrollment, by_staff=True),
            lambda done: (
                ngettext("%(count)s mentor withdrawn.", "%(count)s mentors withdrawn.", done) % {"count": done}
            ),
            name=str,
        )

    @admin.action(description=_("Reject the selected applications (the alumni are told)"))
    def reject(self, request, queryset):
        done = sum(services.enrollment_reject(enrollment=e) for e in queryset.select_related("alumnus", "campaign"))
        self.message_user(
            request,
            ngettext("%(count)s application rejected.", "%(count)s applications rejected.", done) % {"count": done},
            messages.SUCCESS,
        )


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    readonly_fields = ["author", "body", "sent_at"]
    can_delete = False


@admin.register(Mentorship)
class MentorshipAdmin(AuditTrailMixin, ExportActionMixin, admin.ModelAdmin):
    # The export (CSV, XLSX) carries the later steps' columns too: road-book, interviews, outcome.
    resource_classes = [MentorshipResource]
    export_formats = ADMIN_FORMATS
    to_encoding = CSV_ENCODING
    list_display = ["student", "mentor_name", "campaign", "status", "requested_at", "responded_at"]
    list_filter = ["campaign", "status"]
    search_fields = [
        "student__email",
        "student__last_name",
        "enrollment__alumnus__email",
        "enrollment__alumnus__last_name",
    ]
    list_select_related = ["student", "enrollment__alumnus", "campaign"]
    readonly_fields = [
        "student",
        "enrollment",
        "campaign",
        "status",
        "message",
        "decline_reason",
        "requested_at",
        "responded_at",
        "closed_at",
        "audit_trail",
    ]
    inlines = [MessageInline]

    @admin.display(description=_("mentor"), ordering="enrollment__alumnus__last_name")
    def mentor_name(self, mentorship):
        return mentorship.enrollment.alumnus

    def has_add_permission(self, request):
        return False
