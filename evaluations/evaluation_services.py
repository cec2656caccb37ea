"""Writes of evaluation forms and coaching referrals."""

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.models import REQUIRED_FIELDS, CoachingReferral, Evaluation, Interview, InterviewSlot
from mentoring.models import Mentorship
from mentoring.notices import action, send_notice
from mentoring.services import RuleError

EVALUATION_KIND = {Interview.Kind.FIRST: Evaluation.Kind.FIRST, Interview.Kind.FOLLOW_UP: Evaluation.Kind.FOLLOW_UP}


OPEN_TO_EVALUATION = (Interview.Status.CONFIRMED, Interview.Status.HELD)


def evaluation_open(*, interview, mentor, now=None):
    """The mentor's form for an interview: the saved one, or a new unsaved one (see ``evaluation_create``).

    It opens when a confirmed interview starts; a cancelled interview or a no-show has no form to fill in.
    A completed form stays readable whatever happened to the interview since.
    """
    now = now or timezone.now()
    if not interview.mentorship.is_mentor(mentor):
        raise RuleError(_("Only the mentor fills in the evaluation form."))
    existing = Evaluation.objects.filter(interview=interview).first()
    if existing and existing.is_completed:
        return existing
    if interview.status not in OPEN_TO_EVALUATION:
        raise RuleError(_("The evaluation form opens for a confirmed interview."))
    if existing:
        return existing
    if not interview.opens_evaluation(now):
        raise RuleError(
            _("The evaluation form opens when the interview starts, on %(date)s.")
            % {"date": formats.date_format(timezone.localtime(interview.start), "DATETIME_FORMAT")}
        )
    # Unsaved: reading the empty form writes nothing; the row is created by the first save.
    return Evaluation(interview=interview, kind=EVALUATION_KIND[interview.kind])


def evaluation_create(*, interview, mentor, now=None):
    """The mentor's form, saved: called when the mentor sends it for the first time."""
    evaluation = evaluation_open(interview=interview, mentor=mentor, now=now)
    if evaluation.pk is None:
        evaluation, _created = Evaluation.objects.get_or_create(interview=interview, defaults={"kind": evaluation.kind})
    return evaluation


def evaluation_save_draft(*, evaluation, form, contacts=None):
    """Saves what the mentor typed; a refused field keeps its text on the form, the others are saved."""
    if evaluation.is_completed:
        raise RuleError(_("This form is completed and can no longer change."))
    with transaction.atomic():
        if form.is_valid():
            form.save()
        else:
            valid = {name: value for name, value in form.cleaned_data.items() if name in form.Meta.fields}
            if valid:
                Evaluation.objects.filter(pk=evaluation.pk).update(updated_at=timezone.now(), **valid)
        if contacts is not None and contacts.is_valid():
            contacts.save()
    evaluation.refresh_from_db()
    return evaluation


def switch_to_final(*, evaluation, mentor):
    if not evaluation.interview.mentorship.is_mentor(mentor) or evaluation.is_completed:
        raise RuleError(_("This form can no longer change."))
    if evaluation.kind == Evaluation.Kind.FIRST:
        raise RuleError(_("The final form follows a follow-up interview."))
    new_kind = Evaluation.Kind.FOLLOW_UP if evaluation.kind == Evaluation.Kind.FINAL else Evaluation.Kind.FINAL
    Evaluation.objects.filter(pk=evaluation.pk).update(kind=new_kind)
    evaluation.kind = new_kind
    return evaluation


def next_meeting_error(next_meeting_at, campaign, now=None):
    """Why a next-meeting date cannot become a follow-up interview, or None: it must be ahead,
    and before the campaign ends."""
    now = now or timezone.now()
    if next_meeting_at is None:
        return None
    if next_meeting_at <= now:
        return _("The next meeting must be in the future.")
    if next_meeting_at >= campaign.campaign_ends:
        return _("The next meeting must be before the campaign ends, on %(date)s.") % {
            "date": formats.date_format(timezone.localtime(campaign.campaign_ends), "DATETIME_FORMAT")
        }
    return None


def missing_fields(evaluation, now=None):
    """What stops the form from being completed, by field."""
    errors = {
        name: _("Needed to complete the form.")
        for name in REQUIRED_FIELDS[evaluation.kind]
        if getattr(evaluation, name) in ("", None)
    }
    if evaluation.kind != Evaluation.Kind.FINAL:
        if not (evaluation.next_meeting_at or evaluation.next_meeting_to_be_agreed):
            errors["next_meeting_at"] = _("Give the date of the next meeting, or tick “to be agreed”.")
        error = next_meeting_error(evaluation.next_meeting_at, evaluation.interview.mentorship.campaign, now)
        if error:
            errors["next_meeting_at"] = error
    return errors


def evaluation_complete(*, evaluation, mentor, now=None):
    """Completes the form: the interview is held, the student sees the shared part, a next meeting
    becomes a proposed follow-up, and the final form closes the mentorship."""
    now = now or timezone.now()
    with transaction.atomic():
        evaluation = (
            Evaluation.objects.select_for_update()
            .select_related("interview__mentorship__campaign")
            .get(pk=evaluation.pk)
        )
        interview = evaluation.interview
        mentorship = interview.mentorship
        if not mentorship.is_mentor(mentor):
            raise RuleError(_("Only the mentor fills in the evaluation form."))
        if evaluation.is_completed:
            raise RuleError(_("This form is already completed."))
        if interview.status not in OPEN_TO_EVALUATION:
            # A cancelled interview or a no-show is not turned into a held one.
            raise RuleError(_("Only a confirmed or held interview is evaluated."))
        missing = missing_fields(evaluation, now)
        if "next_meeting_at" in missing and evaluation.next_meeting_at:
            raise RuleError(missing["next_meeting_at"])
        if missing:
            raise RuleError(_("Some fields are still needed to complete the form."))
        evaluation.status = Evaluation.Status.COMPLETED
        evaluation.completed_at = now
        evaluation.save(update_fields=["status", "completed_at", "updated_at"])
        Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.HELD, updated_at=now)
        link = {
            **action(interview.get_absolute_url(), gettext_lazy("Read the feedback")),
        }
        send_notice(
            "evaluation_shared",
            recipient=mentorship.student,
            obj=evaluation,
            context={"evaluation": evaluation, "mentorship": mentorship, **link},
        )
        follow_up = None
        if evaluation.kind == Evaluation.Kind.FINAL:
            _close(mentorship, now)
        elif evaluation.next_meeting_at:
            follow_up = _propose_follow_up(interview, evaluation.next_meeting_at, mentor)
    return evaluation, follow_up


def _propose_follow_up(interview, start, mentor):
    follow_up = Interview.objects.create(
        mentorship=interview.mentorship,
        kind=Interview.Kind.FOLLOW_UP,
        mode=interview.mode,
        place=interview.place,
        link=interview.link,
        phone=interview.phone,
        duration_minutes=interview.duration_minutes,
        proposed_by=mentor,
    )
    InterviewSlot.objects.create(interview=follow_up, start=start.replace(second=0, microsecond=0))
    send_notice(
        "interview_proposed",
        recipient=interview.mentorship.student,
        obj=follow_up,
        period="r1",
        context={
            "interview": follow_up,
            "mentorship": interview.mentorship,
            **action(follow_up.get_absolute_url(), gettext_lazy("Confirm or move it")),
        },
    )
    return follow_up


def _close(mentorship, now):
    Mentorship.objects.filter(pk=mentorship.pk).update(status=Mentorship.Status.CLOSED, closed_at=now)
    mentorship.status = Mentorship.Status.CLOSED
    for person in (mentorship.student, mentorship.mentor):
        send_notice(
            "mentorship_closed",
            recipient=person,
            obj=mentorship,
            context={
                "mentorship": mentorship,
                **action(mentorship.get_absolute_url(), gettext_lazy("Open the mentorship")),
            },
        )


# --- Coaching -----------------------------------------------------------------------------


def coaching_recommend(*, mentorship, mentor, reason, evaluation=None):
    if not mentorship.is_mentor(mentor):
        raise RuleError(_("Only the mentor recommends coaching."))
    if mentorship.status != Mentorship.Status.ACCEPTED:
        raise RuleError(_("Coaching is recommended within an accepted mentorship."))
    if not reason.strip():
        raise RuleError(_("Say why coaching would help the student."))
    try:
        with transaction.atomic():
            referral = CoachingReferral.objects.create(
                mentorship=mentorship, evaluation=evaluation, recommended_by=mentor, reason=reason.strip()
            )
            send_notice(
                "coaching_recommended",
                recipient=mentorship.student,
                obj=referral,
                context={
                    "referral": referral,
                    "mentorship": mentorship,
                    **action(mentorship.get_absolute_url() + "#coaching", gettext_lazy("Ask for the coaching session")),
                },
            )
    except IntegrityError as error:
        raise RuleError(_("A coaching referral is already open for this student.")) from error
    return referral


def coaching_request(*, referral, student, now=None):
    if not referral.mentorship.is_student(student):
        raise RuleError(_("Only the student asks for their coaching session."))
    updated = CoachingReferral.objects.filter(pk=referral.pk, status=CoachingReferral.Status.RECOMMENDED).update(
        status=CoachingReferral.Status.REQUESTED, requested_at=now or timezone.now()
    )
    if not updated:
        raise RuleError(_("This coaching session has already been requested."))
    referral.refresh_from_db()
    return referral


def coaching_update(*, referral, previous_status):
    """Called when staff change a referral in the admin: a newly scheduled session is announced."""
    if (
        referral.status == CoachingReferral.Status.SCHEDULED
        and referral.scheduled_for
        and (previous_status != CoachingReferral.Status.SCHEDULED)
    ):
        send_notice(
            "coaching_scheduled",
            recipient=referral.mentorship.student,
            obj=referral,
            period=referral.scheduled_for.isoformat(),
            context={
                "referral": referral,
                "mentorship": referral.mentorship,
                **action(referral.mentorship.get_absolute_url() + "#coaching", gettext_lazy("See the details")),
            },
        )
