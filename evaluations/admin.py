from datetime import timedelta

from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations import evaluation_services
from evaluations.models import CoachingReferral, Evaluation, Interview, InterviewSlot, RecommendedContact


class SlotInline(admin.TabularInline):
    model = InterviewSlot
    extra = 0
    readonly_fields = ["start", "proposal_round"]


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ["mentorship", "kind", "status", "start", "mode"]
    list_filter = ["kind", "status", "mode", "mentorship__campaign"]
    search_fields = ["mentorship__student__email", "mentorship__enrollment__alumnus__email"]
    list_select_related = ["mentorship__student", "mentorship__enrollment__alumnus"]
    readonly_fields = ["mentorship", "kind", "status", "start", "proposed_by", "uid", "sequence", "proposal_round"]
    inlines = [SlotInline]

    def has_add_permission(self, request):
        # Interviews are proposed and confirmed by the student and the mentor, never created here.
        return False


class ContactInline(admin.TabularInline):
    model = RecommendedContact
    extra = 0


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["interview", "kind", "status", "completed_at"]
    list_filter = ["kind", "status", "interview__mentorship__campaign"]
    search_fields = ["interview__mentorship__student__email", "interview__mentorship__enrollment__alumnus__email"]
    list_select_related = ["interview__mentorship__student", "interview__mentorship__enrollment__alumnus"]
    readonly_fields = ["interview", "kind", "status", "completed_at"]
    inlines = [ContactInline]

    def has_add_permission(self, request):
        # A form belongs to an interview and is created by its mentor.
        return False


class CoachingReferralForm(forms.ModelForm):
    """Staff move a referral along its one path; the date of a session must be a real one."""

    Status = CoachingReferral.Status
    MOVES = {
        Status.RECOMMENDED: {Status.REQUESTED, Status.DECLINED},
        Status.REQUESTED: {Status.SCHEDULED, Status.DECLINED},
        Status.SCHEDULED: {Status.DONE, Status.DECLINED, Status.SCHEDULED},
        Status.DONE: set(),
        Status.DECLINED: set(),
    }
    OPEN = (Status.RECOMMENDED, Status.REQUESTED, Status.SCHEDULED)
    HORIZON = timedelta(days=3 * 365)

    class Meta:
        model = CoachingReferral
        fields = ["status", "scheduled_for", "staff_note"]

    def clean(self):
        cleaned = super().clean()
        # clean() runs before the form writes to the instance: it still holds the saved values.
        previous = self.instance.status
        status = cleaned.get("status")
        when = cleaned.get("scheduled_for")
        if status and status != previous and status not in self.MOVES[previous]:
            self.add_error(
                "status",
                _("A referral that is “%(from)s” cannot become “%(to)s”.")
                % {"from": self.Status(previous).label, "to": self.Status(status).label},
            )
            return cleaned
        if status == self.Status.SCHEDULED and not when:
            self.add_error("scheduled_for", _("Give the session's date to mark it scheduled."))
        setting_scheduled = status == self.Status.SCHEDULED
        if when and ("scheduled_for" in self.changed_data or (setting_scheduled and previous != status)):
            self._check_date(when, setting_scheduled=setting_scheduled)
        if (
            status in self.OPEN
            and previous not in self.OPEN
            and CoachingReferral.objects.filter(mentorship=self.instance.mentorship_id, status__in=self.OPEN)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("status", _("Another coaching referral is already open for this student."))
        return cleaned

    def _check_date(self, when, *, setting_scheduled):
        now = timezone.now()
        earliest = now if setting_scheduled else self.instance.created_at
        try:
            sane = earliest < when < now + self.HORIZON
        except OverflowError:
            sane = False
        if not sane:
            self.add_error(
                "scheduled_for",
                _("Give a date in the future, within three years.")
                if setting_scheduled
                else _("Give a date after the recommendation, within three years."),
            )


@admin.register(CoachingReferral)
class CoachingReferralAdmin(admin.ModelAdmin):
    """The staff's queue of coaching referrals."""

    form = CoachingReferralForm

    list_display = ["student", "mentor", "status", "created_at", "requested_at", "scheduled_for"]
    list_filter = ["status", "mentorship__campaign", "created_at"]
    search_fields = ["mentorship__student__email", "mentorship__student__last_name", "reason"]
    list_select_related = ["mentorship__student", "mentorship__enrollment__alumnus"]
    readonly_fields = ["mentorship", "evaluation", "recommended_by", "reason", "created_at", "requested_at"]
    fields = [
        "mentorship",
        "recommended_by",
        "reason",
        "created_at",
        "requested_at",
        "status",
        "scheduled_for",
        "staff_note",
    ]
    date_hierarchy = "created_at"

    @admin.display(description=_("student"), ordering="mentorship__student__last_name")
    def student(self, referral):
        return referral.mentorship.student

    @admin.display(description=_("mentor"))
    def mentor(self, referral):
        return referral.mentorship.enrollment.alumnus

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        previous = CoachingReferral.objects.get(pk=obj.pk).status if change else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            evaluation_services.coaching_update(referral=obj, previous_status=previous)
