from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ExportActionMixin

from core.errors import RuleError
from mentoring import services
from mentoring.exports import ADMIN_FORMATS, CSV_ENCODING, MentorshipResource
from mentoring.models import Campaign, MentorEnrollment, Mentorship, Message


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "is_current",
        "recruitment_opens",
        "recruitment_closes",
        "matching_opens",
        "campaign_ends",
        "phase_label",
    ]
    list_filter = ["is_current"]
    search_fields = ["name"]
    fieldsets = [
        (None, {"fields": ["name", "is_current"]}),
        (_("Calendar"), {"fields": ["recruitment_opens", "recruitment_closes", "matching_opens", "campaign_ends"]}),
        (_("Rules"), {"fields": ["roadbook_min_days", "default_mentor_capacity", "request_expiry_days"]}),
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


@admin.register(MentorEnrollment)
class MentorEnrollmentAdmin(admin.ModelAdmin):
    list_display = ["alumnus", "campaign", "status", "capacity", "applied_at", "decided_at"]
    list_filter = ["campaign", "status", "offers_in_person", "offers_video", "offers_phone", "sectors"]
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
        done = 0
        for enrollment in queryset:
            try:
                services.enrollment_withdraw(enrollment=enrollment, by_staff=True)
            except RuleError as error:
                self.message_user(request, f"{enrollment}: {error}", messages.WARNING)
            else:
                done += 1
        self.message_user(
            request,
            ngettext("%(count)s mentor withdrawn.", "%(count)s mentors withdrawn.", done) % {"count": done},
            messages.SUCCESS,
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
class MentorshipAdmin(ExportActionMixin, admin.ModelAdmin):
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
    ]
    inlines = [MessageInline]

    @admin.display(description=_("mentor"), ordering="enrollment__alumnus__last_name")
    def mentor_name(self, mentorship):
        return mentorship.enrollment.alumnus

    def has_add_permission(self, request):
        return False
