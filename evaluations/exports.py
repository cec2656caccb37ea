"""Exports of evaluation forms and coaching referrals, for the dashboard and the admin lists."""

import tablib
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from evaluations.models import CoachingReferral, Evaluation
from mentoring.exports import ExportResource, column
from mentoring.models import Campaign

MENTORSHIP = "interview__mentorship__"


class OutcomeResource(ExportResource):
    """What became of each student, as their mentor's final form says."""

    campaign = column(f"{MENTORSHIP}campaign__name", _("Campaign"))
    student = column(f"{MENTORSHIP}student__get_full_name", _("Student"))
    student_email = column(f"{MENTORSHIP}student__email", _("Student's email"))
    programme = column(f"{MENTORSHIP}student__student_profile__programme", _("Programme"))
    mentor = column(f"{MENTORSHIP}enrollment__alumnus__get_full_name", _("Mentor"))
    outcome = column("get_outcome_display", _("Outcome"))
    outcome_sector = column("outcome_sector", _("Sector"))
    outcome_role = column("outcome_role", _("Role"))
    outcome_date = column("outcome_date", _("Since"))
    completed_at = column("completed_at", _("Form completed"))

    related = (
        f"{MENTORSHIP}campaign",
        f"{MENTORSHIP}student__student_profile",
        f"{MENTORSHIP}enrollment__alumnus",
    )

    class Meta:
        model = Evaluation
        fields = export_order = (
            "campaign",
            "student",
            "student_email",
            "programme",
            "mentor",
            "outcome",
            "outcome_sector",
            "outcome_role",
            "outcome_date",
            "completed_at",
        )


class EvaluationResource(OutcomeResource):
    """Every evaluation form, with its interview; the outcome columns are a final form's."""

    interview = column("interview__get_kind_display", _("Interview"))
    interview_start = column("interview__start", _("Interview date"))
    form = column("get_kind_display", _("Form"))
    status = column("get_status_display", _("Status"))

    class Meta:
        model = Evaluation
        fields = export_order = (
            "campaign",
            "student",
            "student_email",
            "programme",
            "mentor",
            "interview",
            "interview_start",
            "form",
            "status",
            "completed_at",
            "outcome",
            "outcome_sector",
            "outcome_role",
            "outcome_date",
        )


class CoachingResource(ExportResource):
    """The coaching referrals: who, recommended when and why, and how far each went."""

    campaign = column("mentorship__campaign__name", _("Campaign"))
    student = column("mentorship__student__get_full_name", _("Student"))
    student_email = column("mentorship__student__email", _("Student's email"))
    mentor = column("mentorship__enrollment__alumnus__get_full_name", _("Mentor"))
    status = column("get_status_display", _("Status"))
    reason = column("reason", _("Why coaching would help"))
    created_at = column("created_at", pgettext_lazy("export column: a date", "Recommended"))
    requested_at = column("requested_at", pgettext_lazy("export column: a date", "Requested"))
    scheduled_for = column("scheduled_for", _("Coaching session"))

    related = ("mentorship__campaign", "mentorship__student", "mentorship__enrollment__alumnus")

    class Meta:
        model = CoachingReferral
        fields = export_order = (
            "campaign",
            "student",
            "student_email",
            "mentor",
            "status",
            "reason",
            "created_at",
            "requested_at",
            "scheduled_for",
        )


def final_forms(campaign: Campaign):
    """The campaign's completed final forms."""
    return Evaluation.objects.filter(
        interview__mentorship__campaign=campaign, kind=Evaluation.Kind.FINAL, status=Evaluation.Status.COMPLETED
    )


def outcomes_dataset(campaign: Campaign, native: bool) -> tablib.Dataset:
    """The campaign's completed final forms, one row per student and mentorship."""
    forms = final_forms(campaign).order_by(f"{MENTORSHIP}student__last_name", f"{MENTORSHIP}student__first_name", "pk")
    return OutcomeResource().export(forms, force_native_type=native)
