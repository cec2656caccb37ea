from functools import partial

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportActionMixin

from core.admin import AuditTrailMixin, titled
from core.errors import RuleError
from evaluations.exports import CoachingResource, EvaluationResource
from evaluations.models import CoachingReferral, Evaluation, Interview, InterviewSlot, RecommendedContact
from evaluations.services import coaching, interviews
from mentoring.admin_columns import mentorship_columns
from mentoring.exports import ADMIN_FORMATS, CSV_ENCODING


class SlotInline(admin.TabularInline):
    model = InterviewSlot
    extra = 0
    readonly_fields = ["start", "proposal_round"]


class InterviewAdminForm(forms.ModelForm):
    """Staff change an interview's details; its mode keeps what it needs (a place, a link, a number)."""

    class Meta:
        model = Interview
        fields = [*interviews.STAFF_EDITABLE]
        field_classes = {"link": partial(forms.URLField, assume_scheme="https")}

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                interviews.check_where(
                    cleaned.get("mode"), cleaned.get("place"), cleaned.get("link"), cleaned.get("phone")
                )
            except RuleError as error:
                raise forms.ValidationError(str(error)) from error
        return cleaned


@admin.register(Interview)
class InterviewAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = ["student", "mentor", "campaign", "kind", "status", "start", "mode"]
    student, mentor, campaign = mentorship_columns("mentorship")
    list_filter = ["kind", "status", titled("mode", _("way of meeting")), "mentorship__campaign"]
    search_fields = ["mentorship__student__email", "mentorship__enrollment__alumnus__email"]
    list_select_related = ["mentorship__student", "mentorship__enrollment__alumnus", "mentorship__campaign"]
    # What the student and the mentor decide (the date, the status, keeping a late road-book's
    # date) is read-only here; staff change the details (interviews.STAFF_EDITABLE).
    readonly_fields = [
        "mentorship",
        "kind",
        "status",
        "start",
        "proposed_by",
        "uid",
        "sequence",
        "proposal_round",
        "late_roadbook_kept_at",
        "audit_trail",
    ]
    audit_reads = False  # an interview's dates are not confidential; its status changes are traced
    inlines = [SlotInline]
    form = InterviewAdminForm

    def save_model(self, request, obj, form, change):
        # Through the service: only the changed fields, under the interview's lock, and both sides
        # get the updated invitation when what it says changed.
        interviews.interview_staff_update(
            interview=obj, changes={name: form.cleaned_data[name] for name in form.changed_data}
        )

    def has_add_permission(self, request):
        # Interviews are proposed and confirmed by the student and the mentor, never created here.
        return False

    def has_delete_permission(self, request, obj=None):
        # An interview is cancelled, never deleted: the road-book's deadline, the reminders and
        # the calendars of both sides follow a cancellation, not a deleted row.
        return False


class ContactInline(admin.TabularInline):
    model = RecommendedContact
    extra = 0


@admin.register(Evaluation)
class EvaluationAdmin(AuditTrailMixin, ExportActionMixin, admin.ModelAdmin):
    # Exported with their interview, and a final form's outcome (CSV, XLSX).
    resource_classes = [EvaluationResource]
    export_formats = ADMIN_FORMATS
    to_encoding = CSV_ENCODING
    list_display = ["student", "mentor", "campaign", "kind", "status", "completed_at"]
    student, mentor, campaign = mentorship_columns("interview__mentorship")
    list_filter = [titled("kind", _("kind of form")), "status", "interview__mentorship__campaign"]
    search_fields = ["interview__mentorship__student__email", "interview__mentorship__enrollment__alumnus__email"]
    list_select_related = [
        "interview__mentorship__student",
        "interview__mentorship__enrollment__alumnus",
        "interview__mentorship__campaign",
    ]
    readonly_fields = ["interview", "kind", "status", "completed_at", "audit_trail"]
    inlines = [ContactInline]

    def has_add_permission(self, request):
        # A form belongs to an interview and is created by its mentor.
        return False


class CoachingReferralForm(forms.ModelForm):
    """Staff move a referral along its one path; the service says which moves and dates are allowed."""

    class Meta:
        model = CoachingReferral
        fields = ["status", "scheduled_for", "staff_note"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        # clean() runs before the form writes to the instance: it still holds the saved values.
        try:
            coaching.coaching_check_move(
                referral=self.instance, status=cleaned["status"], scheduled_for=cleaned.get("scheduled_for")
            )
        except RuleError as error:
            self.add_error(error.field, str(error))
        return cleaned


@admin.register(CoachingReferral)
class CoachingReferralAdmin(AuditTrailMixin, ExportActionMixin, admin.ModelAdmin):
    """The staff's queue of coaching referrals."""

    resource_classes = [CoachingResource]
    export_formats = ADMIN_FORMATS
    to_encoding = CSV_ENCODING

    form = CoachingReferralForm

    list_display = ["student", "mentor", "campaign", "status", "created_at", "requested_at", "scheduled_for"]
    student, mentor, campaign = mentorship_columns("mentorship")
    list_filter = ["status", "mentorship__campaign", titled("created_at", _("date of the recommendation"))]
    search_fields = ["mentorship__student__email", "mentorship__student__last_name", "reason"]
    list_select_related = ["mentorship__student", "mentorship__enrollment__alumnus", "mentorship__campaign"]
    readonly_fields = [
        "mentorship",
        "evaluation",
        "recommended_by",
        "reason",
        "created_at",
        "requested_at",
        "audit_trail",
    ]
    # The queue is the department's own work: its status changes are traced, opening it is not a read.
    audit_reads = False
    fields = [
        "mentorship",
        "recommended_by",
        "reason",
        "created_at",
        "requested_at",
        "status",
        "scheduled_for",
        "staff_note",
        "audit_trail",
    ]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        # The service writes the form's fields under the referral's lock, and announces a session.
        data = form.cleaned_data
        try:
            coaching.coaching_staff_update(
                referral=obj,
                status=data["status"],
                scheduled_for=data.get("scheduled_for"),
                staff_note=data.get("staff_note", ""),
            )
        except RuleError as error:
            # Changed meanwhile by someone else: reported instead of "changed successfully".
            request.coaching_refused = str(error)

    def log_change(self, request, obj, message):
        if not getattr(request, "coaching_refused", None):
            super().log_change(request, obj, message)

    def response_change(self, request, obj):
        refused = getattr(request, "coaching_refused", None)
        if refused:
            self.message_user(request, refused, level=messages.ERROR)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)
