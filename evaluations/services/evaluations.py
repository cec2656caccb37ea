"""Writes of evaluation forms: opening, drafts, completion (which may propose the follow-up or close the mentorship)."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.audit import log_status
from core.dates import local_datetime
from core.errors import RuleError
from core.notices import action, send_notice
from evaluations import permissions
from evaluations.models import FORM_FIELDS, REQUIRED_FIELDS, Evaluation, Interview, RecommendedContact
from evaluations.services.interviews import interview_propose_follow_up
from mentoring.models import Campaign
from mentoring.services import mentorship_close

CONTACT_FIELDS = ("name", "organisation", "why")
# Every field a mentor may type in, whatever the form.
EDITABLE_FIELDS = sorted({name for parts in FORM_FIELDS.values() for names in parts.values() for name in names})

EVALUATION_KIND = {Interview.Kind.FIRST: Evaluation.Kind.FIRST, Interview.Kind.FOLLOW_UP: Evaluation.Kind.FOLLOW_UP}


def evaluation_open(*, interview: Interview, mentor: User, now: datetime | None = None) -> Evaluation:
    """The mentor's form for an interview: the saved one, or a new unsaved one (see ``evaluation_create``).

    It opens when a confirmed interview starts; a cancelled interview or a no-show has no form to fill in.
    A completed form stays readable whatever happened to the interview since.
    """
    now = now or timezone.now()
    if not permissions.can_fill_evaluation(mentor, interview):
        raise RuleError(_("Only the mentor fills in the evaluation form."))
    existing = Evaluation.objects.filter(interview=interview).first()
    if existing and existing.is_completed:
        return existing
    if not interview.is_evaluable:
        raise RuleError(_("The evaluation form opens for a confirmed interview."))
    if existing:
        return existing
    if not interview.opens_evaluation(now):
        raise RuleError(
            _("The evaluation form opens when the interview starts, on %(date)s.")
            % {"date": local_datetime(interview.start)}
        )
    # Unsaved: reading the empty form writes nothing; the row is created by the first save.
    return Evaluation(interview=interview, kind=EVALUATION_KIND[interview.kind])


def evaluation_create(*, interview: Interview, mentor: User, now: datetime | None = None) -> Evaluation:
    """The mentor's form, saved: called when the mentor sends it for the first time."""
    evaluation = evaluation_open(interview=interview, mentor=mentor, now=now)
    if evaluation.pk is None:
        evaluation, _created = Evaluation.objects.get_or_create(interview=interview, defaults={"kind": evaluation.kind})
    return evaluation


def evaluation_save_draft(
    *, evaluation: Evaluation, mentor: User, values: dict[str, Any], contacts: list[dict[str, Any]] | None = None
) -> Evaluation:
    """Saves what the mentor typed: ``values`` holds the form's valid fields (a refused field keeps
    its text on the form, the others are saved). ``contacts``, when given, are the recommended
    contacts as typed: each a dict of name, organisation and why, with the ``id`` of a saved one
    (None for a new one) and ``delete`` when it is struck out; saved ones keep their ids, so a page
    shown again after a refusal still names them. Written under the row lock that completing the
    form takes, and refused once completed."""
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not fields of the form: {sorted(unknown)}")
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().select_related("interview__mentorship").get(pk=evaluation.pk)
        if not permissions.can_fill_evaluation(mentor, locked.interview):
            raise RuleError(_("Only the mentor fills in the evaluation form."))
        if locked.is_completed:
            raise RuleError(_("This form is completed and can no longer change."))
        if values:
            Evaluation.objects.filter(pk=locked.pk).update(updated_at=timezone.now(), **values)
        if contacts is not None:
            _save_contacts(locked, contacts)
    evaluation.refresh_from_db()
    return evaluation


def _save_contacts(evaluation: Evaluation, contacts: list[dict[str, Any]]) -> None:
    saved = {contact.pk: contact for contact in evaluation.contacts.all()}
    for contact in contacts:
        fields = {name: contact.get(name, "") for name in CONTACT_FIELDS}
        pk = contact.get("id")
        if pk is None:
            if not contact.get("delete") and fields["name"]:
                RecommendedContact.objects.create(evaluation=evaluation, **fields)
        elif pk in saved:  # another evaluation's contact is never touched from here
            if contact.get("delete"):
                saved[pk].delete()
            else:
                RecommendedContact.objects.filter(pk=pk).update(**fields)


def switch_to_final(*, evaluation: Evaluation, mentor: User) -> Evaluation:
    """Turns a follow-up form into the final one, or back. Under the row lock that completing the
    form takes: a form completed meanwhile (another tab) keeps its kind."""
    if evaluation.kind == Evaluation.Kind.FIRST:
        raise RuleError(_("The final form follows a follow-up interview."))
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().select_related("interview__mentorship").get(pk=evaluation.pk)
        if not permissions.can_fill_evaluation(mentor, locked.interview) or locked.is_completed:
            raise RuleError(_("This form can no longer change."))
        new_kind = Evaluation.Kind.FOLLOW_UP if locked.kind == Evaluation.Kind.FINAL else Evaluation.Kind.FINAL
        Evaluation.objects.filter(pk=locked.pk).update(kind=new_kind, updated_at=timezone.now())
    evaluation.kind = new_kind
    return evaluation


def next_meeting_error(next_meeting_at: datetime | None, campaign: Campaign, now: datetime | None = None) -> str | None:
    """Why a next-meeting date cannot become a follow-up interview, or None: it must be ahead,
    and before the campaign ends."""
    now = now or timezone.now()
    if next_meeting_at is None:
        return None
    if next_meeting_at <= now:
        return _("The next meeting must be in the future.")
    if next_meeting_at >= campaign.campaign_ends:
        return _("The next meeting must be before the campaign ends, on %(date)s.") % {
            "date": local_datetime(campaign.campaign_ends)
        }
    return None


def missing_fields(evaluation: Evaluation, now: datetime | None = None) -> dict[str, str]:
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


def evaluation_complete(
    *, evaluation: Evaluation, mentor: User, now: datetime | None = None
) -> tuple[Evaluation, Interview | None]:
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
        if not permissions.can_fill_evaluation(mentor, interview):
            raise RuleError(_("Only the mentor fills in the evaluation form."))
        if evaluation.is_completed:
            raise RuleError(_("This form is already completed."))
        if not interview.is_evaluable:
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
        if (
            Interview.objects.filter(pk=interview.pk)
            .exclude(status=Interview.Status.HELD)
            .update(status=Interview.Status.HELD, updated_at=now)
        ):
            log_status(interview, interview.status, Interview.Status.HELD)
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
            mentorship_close(mentorship=mentorship, now=now)
        elif evaluation.next_meeting_at:
            interview.status = Interview.Status.HELD
            follow_up = interview_propose_follow_up(
                interview=interview, start=evaluation.next_meeting_at, mentor=mentor
            )
    return evaluation, follow_up
