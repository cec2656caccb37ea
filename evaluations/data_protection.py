"""What interviews, evaluations and coaching erase and export of a person (hooks of
``accounts.data_protection``, registered in ``EvaluationsConfig.ready``).

A student's export holds the shared part of the completed forms about them, never the part for
the mentor and staff (the mentor's private notes, their assessment); a mentor's holds the forms
they wrote, whole: it is their own writing.
"""

from datetime import date, datetime

from accounts.data_protection import ExportSection, erasure_steps, export_sections
from core.audit import track
from core.pdf import forget_cached
from core.privacy import blank_free_text, forget
from evaluations.models import CoachingReferral, Evaluation, Interview, RecommendedContact
from evaluations.models.evaluations import FORM_FIELDS, evaluation_pdf_cache_key
from mentoring import contributions

# What an erased student's forms keep for the statistics: the answers with choices (kept by
# ``blank_free_text``), and the sector of the job found.
KEPT_FOR_STATISTICS = ("outcome_sector",)


# The audit trail: who changed each status (core.audit).
for _model in (Interview, Evaluation, CoachingReferral):
    track(_model)


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _form(evaluation, *, shared_only):
    names = FORM_FIELDS[evaluation.kind]["shared"] + ([] if shared_only else FORM_FIELDS[evaluation.kind]["private"])
    answers = {}
    for name in names:
        field = evaluation._meta.get_field(name)
        value = getattr(evaluation, f"get_{name}_display")() if field.choices else getattr(evaluation, name)
        answers[str(field.verbose_name)] = _plain(value)
    return {
        "interview": evaluation.interview_id,
        "form": evaluation.get_kind_display(),
        "completed_at": _plain(evaluation.completed_at),
        "answers": answers,
        "recommended_contacts": [
            {"name": c.name, "organisation": c.organisation, "why": c.why} for c in evaluation.contacts.all()
        ],
    }


def _interview(interview):
    return {
        "id": interview.pk,
        "mentorship": interview.mentorship_id,
        "kind": interview.get_kind_display(),
        "status": interview.get_status_display(),
        "start": _plain(interview.start),
        "duration_minutes": interview.duration_minutes,
        "how": interview.get_mode_display(),
        "place": interview.place,
        "video_link": interview.link,
        "phone": interview.phone,
        "reason_for_cancelling": interview.cancel_reason,
        "reason_for_new_dates": interview.change_reason,
    }


@export_sections.register
def export_evaluations(user):
    interviews = list(Interview.objects.filter(mentorship__student=user).order_by("start", "created_at"))
    # Completed forms only: a draft is still the mentor's, and the student never reads it.
    about_me = Evaluation.objects.filter(interview__mentorship__student=user, status=Evaluation.Status.COMPLETED)
    written = Evaluation.objects.filter(interview__mentorship__enrollment__alumnus=user).select_related(
        "interview__mentorship__student"
    )
    referrals = CoachingReferral.objects.filter(mentorship__student=user).order_by("created_at")
    data = {
        "interviews": [_interview(interview) for interview in interviews],
        "evaluations_about_you": [
            _form(e, shared_only=True) for e in about_me.prefetch_related("contacts").order_by("completed_at", "pk")
        ],
        "evaluations_you_wrote": [
            {"student": e.interview.mentorship.student.get_full_name(), **_form(e, shared_only=False)}
            for e in written.prefetch_related("contacts").order_by("created_at", "pk")
        ],
        "coaching": [
            {
                "status": r.get_status_display(),
                "why_coaching_would_help": r.reason,
                "recommended_at": _plain(r.created_at),
                "requested_at": _plain(r.requested_at),
                "session": _plain(r.scheduled_for),
                "note_from_the_department": r.staff_note,
            }
            for r in referrals
        ],
    }
    if not any(data.values()):
        return None
    return ExportSection("interviews_and_evaluations", data)


@erasure_steps.register
def erase_evaluations(user, now):
    """A student's interviews, forms and coaching lose their text (places, links, feedback, notes,
    recommended contacts); kinds, statuses, dates and outcomes stay. A mentor's private notes go;
    the shared part of the forms they wrote is the student's record and stays."""
    _erase(
        Interview.objects.filter(mentorship__student=user), CoachingReferral.objects.filter(mentorship__student=user)
    )
    written = Evaluation.objects.filter(interview__mentorship__enrollment__alumnus=user)
    _forget_pdfs(written, parts=(False,))  # the mentor's own copy held the private notes
    written.update(private_notes="")


@contributions.retention_steps.register
def evaluations_past_retention(mentorships, now):
    _erase(
        Interview.objects.filter(mentorship__in=mentorships),
        CoachingReferral.objects.filter(mentorship__in=mentorships),
    )


def _forget_pdfs(evaluations, parts=(True, False)):
    """The cached PDFs of these completed forms: the student's copy and the mentor's."""
    forget_cached(
        evaluation_pdf_cache_key(pk, completed_at, shared_only=shared_only)
        for pk, completed_at in evaluations.filter(completed_at__isnull=False).values_list("pk", "completed_at")
        for shared_only in parts
    )


def _erase(interviews, referrals):
    evaluations = Evaluation.objects.filter(interview__in=interviews)
    _forget_pdfs(evaluations)
    RecommendedContact.objects.filter(evaluation__in=evaluations).delete()
    blank_free_text(interviews)
    blank_free_text(evaluations, keep=KEPT_FOR_STATISTICS)
    blank_free_text(referrals)
    for queryset in (interviews, evaluations, referrals):
        forget(queryset)
