"""Writes of interviews: proposals, confirmations, reschedules and cancellations.

The 3-day rule comes from ``roadbook.rules``, its one home; this module only applies it.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core import ratelimit
from core.dates import local_datetime
from core.errors import RuleError
from core.notices import action, send_notice
from evaluations import permissions
from evaluations.ics import invitation
from evaluations.models import Evaluation, Interview, InterviewSlot
from mentoring.models import MeetingMode, Mentorship
from roadbook import rules
from roadbook import services as roadbook_services

MAX_SLOTS = 3
# A first interview keeps its agreed date while new dates are being proposed for it.
WITH_A_DATE = (Interview.Status.PROPOSED, Interview.Status.CONFIRMED, Interview.Status.HELD)


def first_interview_start(mentorship: Mentorship) -> datetime | None:
    """The first interview's agreed date (confirmed, held, or being moved), or None: the one place
    that decides it."""
    interview = (
        mentorship.interviews.filter(kind=Interview.Kind.FIRST, status__in=WITH_A_DATE, start__isnull=False)
        .order_by("-start")
        .first()
    )
    return interview.start if interview else None


def sync_roadbook_deadline(mentorship: Mentorship) -> None:
    """Writes the first interview's current date down into the road-book, which derives its deadline."""
    roadbook_services.roadbook_set_first_interview(mentorship=mentorship, start=first_interview_start(mentorship))


def _submitted_at(mentorship):
    roadbook = getattr(mentorship, "roadbook", None)
    return roadbook.submitted_at if roadbook else None


def whole_minutes(starts: list[datetime]) -> list[datetime]:
    """Interviews start on whole minutes, as calendars show them."""
    return sorted(start.replace(second=0, microsecond=0) for start in starts)


def check_slots(*, mentorship: Mentorship, kind: str, starts: list[datetime], now: datetime | None = None) -> None:
    """Validates one to three proposed starts; raises RuleError with the reason and earliest start."""
    now = now or timezone.now()
    if not 1 <= len(starts) <= MAX_SLOTS:
        raise RuleError(_("Propose one to three dates."))
    if len(set(starts)) != len(starts):
        raise RuleError(_("Each proposed date must be different."))
    for start in starts:
        if start <= now:
            raise RuleError(_("%(date)s is in the past.") % {"date": local_datetime(start)})
        if start > mentorship.campaign.campaign_ends:
            raise RuleError(
                _("The campaign ends on %(date)s; propose an earlier date.")
                % {"date": local_datetime(mentorship.campaign.campaign_ends)}
            )
        if kind == Interview.Kind.FIRST:
            verdict = rules.check_first_interview_start(mentorship.campaign, start, _submitted_at(mentorship), now)
            if not verdict.allowed:
                raise RuleError(verdict.message)


def _check_where(mode, place, link, phone):
    if mode == MeetingMode.IN_PERSON and not place.strip():
        raise RuleError(_("Give the place of an interview in person."))
    if mode == MeetingMode.VIDEO and not link.strip():
        raise RuleError(_("Give the link of the video call."))
    if mode == MeetingMode.PHONE and not phone.strip():
        raise RuleError(_("Give the phone number to call."))


def _party(mentorship, user):
    if not permissions.can_schedule(user, mentorship):
        raise RuleError(_("Only the student and the mentor schedule their interviews."))
    return "student" if permissions.is_student_of(user, mentorship) else "mentor"


def _notify(kind, interview, recipients, *, period, attachments=(), extra=None, label=None):
    context = {
        "interview": interview,
        "mentorship": interview.mentorship,
        **action(interview.get_absolute_url(), label or gettext_lazy("Open the interview")),
        **(extra or {}),
    }
    for person in recipients:
        send_notice(kind, recipient=person, obj=interview, period=period, context=context, attachments=attachments)


def next_interview_kind(mentorship: Mentorship, user: User) -> str | None:
    """What ``user`` may propose now: the first interview (the student), a follow-up once the first
    is held (either side) and nothing else is scheduled, or None."""
    if mentorship.status != Mentorship.Status.ACCEPTED:
        return None
    interviews = mentorship.interviews.all()
    if any(i.status in Interview.ACTIVE for i in interviews):
        return None
    if any(i.kind == Interview.Kind.FIRST and i.status == Interview.Status.HELD for i in interviews):
        return Interview.Kind.FOLLOW_UP
    if permissions.is_student_of(user, mentorship):
        return Interview.Kind.FIRST
    return None


def nothing_to_propose_reason(mentorship: Mentorship, user: User) -> str:
    """Why ``user`` has nothing to propose now (``next_interview_kind`` is None), for the page to say."""
    if not mentorship.is_accepted:
        return _("Interviews are scheduled once the mentor has accepted.")
    if mentorship.interviews.filter(status__in=Interview.ACTIVE).exists():
        return _("There is nothing to propose now: an interview is already scheduled or proposed.")
    if not permissions.can_schedule(user, mentorship):
        return _("Only the student and the mentor schedule their interviews.")
    return _("The student proposes the first interview; you then confirm one of the dates or propose others.")


def interview_propose(
    *,
    mentorship: Mentorship,
    by: User,
    kind: str,
    starts: list[datetime],
    duration_minutes: int,
    mode: str,
    place: str = "",
    link: str = "",
    phone: str = "",
    now: datetime | None = None,
) -> Interview:
    """Proposes a new interview with one to three dates; the other side confirms one.

    A mentorship has at most one active (proposed or confirmed) interview at a time.
    """
    party = _party(mentorship, by)
    if mentorship.status != Mentorship.Status.ACCEPTED:
        raise RuleError(_("Interviews are scheduled once the mentor has accepted."))
    if kind == Interview.Kind.FIRST and party != "student":
        raise RuleError(_("The student proposes the first interview."))
    starts = whole_minutes(starts)
    check_slots(mentorship=mentorship, kind=kind, starts=starts, now=now)
    _check_where(mode, place, link, phone)
    ratelimit.check("interview_proposal", by.pk, _too_many_proposals())
    try:
        with transaction.atomic():
            # The mentorship's row lock makes "nothing else is active" hold against a double click.
            Mentorship.objects.select_for_update().filter(pk=mentorship.pk).first()
            interviews = mentorship.interviews.all()
            if interviews.filter(kind=Interview.Kind.FIRST, status__in=WITH_A_DATE).exists() and (
                kind == Interview.Kind.FIRST
            ):
                raise RuleError(_("A first interview is already scheduled or proposed for this mentorship."))
            if interviews.filter(status__in=Interview.ACTIVE).exists():
                raise RuleError(_("An interview is already scheduled or proposed: answer or cancel it first."))
            if (
                kind == Interview.Kind.FOLLOW_UP
                and not interviews.filter(kind=Interview.Kind.FIRST, status=Interview.Status.HELD).exists()
            ):
                raise RuleError(_("A follow-up comes after the first interview has taken place."))
            interview = Interview.objects.create(
                mentorship=mentorship,
                kind=kind,
                duration_minutes=duration_minutes,
                mode=mode,
                place=place.strip(),
                link=link.strip(),
                phone=phone.strip(),
                proposed_by=by,
            )
            InterviewSlot.objects.bulk_create(InterviewSlot(interview=interview, start=start) for start in starts)
            _notify("interview_proposed", interview, [mentorship.other_party(by)], period="r1")
    except IntegrityError as error:
        # The constraints behind the checks above, when two proposals raced past them.
        raise RuleError(_("An interview is already scheduled or proposed: answer or cancel it first.")) from error
    ratelimit.record("interview_proposal", by.pk)
    return interview


def _too_many_proposals():
    return _("You have proposed many interview dates in a short time; wait a few minutes.")


def interview_propose_follow_up(*, interview: Interview, start: datetime, mentor: User) -> Interview:
    """The next meeting agreed in an evaluation form becomes a follow-up proposed by the mentor,
    in the place and mode of ``interview``; the student confirms or moves it."""
    mentorship = interview.mentorship
    Mentorship.objects.select_for_update().filter(pk=mentorship.pk).first()
    if mentorship.interviews.filter(status__in=Interview.ACTIVE).exists():
        raise RuleError(_("An interview is already scheduled or proposed: answer or cancel it first."))
    follow_up = Interview.objects.create(
        mentorship=mentorship,
        kind=Interview.Kind.FOLLOW_UP,
        mode=interview.mode,
        place=interview.place,
        link=interview.link,
        phone=interview.phone,
        duration_minutes=interview.duration_minutes,
        proposed_by=mentor,
    )
    InterviewSlot.objects.create(interview=follow_up, start=start.replace(second=0, microsecond=0))
    _notify(
        "interview_proposed",
        follow_up,
        [mentorship.student],
        period="r1",
        label=gettext_lazy("Confirm or move it"),
    )
    return follow_up


def _locked(interview):
    return Interview.objects.select_for_update().select_related("mentorship__campaign").get(pk=interview.pk)


def interview_confirm(
    *, interview: Interview, slot_id: int | str | None, by: User, now: datetime | None = None
) -> Interview:
    """The side that did not propose confirms one of the proposed dates; both get the invitation."""
    now = now or timezone.now()
    with transaction.atomic():
        interview = _locked(interview)
        mentorship = interview.mentorship
        _party(mentorship, by)
        if interview.status != Interview.Status.PROPOSED:
            raise RuleError(_("This interview is not waiting for a confirmation."))
        if interview.proposed_by_id == by.pk:
            raise RuleError(_("The other side confirms the dates you proposed."))
        slot = interview.slots.filter(pk=slot_id, proposal_round=interview.proposal_round).first()
        if slot is None:
            raise RuleError(_("Choose one of the proposed dates."))
        if slot.start <= now:
            raise RuleError(_("This date has passed; propose other dates."))
        if interview.is_first:
            verdict = rules.check_first_interview_start(mentorship.campaign, slot.start, _submitted_at(mentorship), now)
            if not verdict.allowed:
                raise RuleError(verdict.message)
        was_confirmed_before = interview.start is not None
        interview.start = slot.start
        interview.status = Interview.Status.CONFIRMED
        if was_confirmed_before:
            interview.sequence += 1
        interview.save(update_fields=["start", "status", "sequence", "updated_at"])
        if interview.is_first:
            sync_roadbook_deadline(mentorship)
        attachment = ("invite.ics", invitation(interview).decode(), "text/calendar; method=REQUEST")
        kind = "interview_rescheduled" if was_confirmed_before else "interview_confirmed"
        _notify(
            kind,
            interview,
            [mentorship.student, mentorship.mentor],
            period=f"s{interview.sequence}",
            attachments=[attachment],
        )
    return interview


def interview_propose_other(
    *, interview: Interview, by: User, starts: list[datetime], reason: str = "", now: datetime | None = None
) -> Interview:
    """Answers a proposal with other dates, or reschedules a confirmed interview (with a reason)."""
    with transaction.atomic():
        interview = _locked(interview)
        mentorship = interview.mentorship
        _party(mentorship, by)
        if interview.status not in Interview.ACTIVE:
            raise RuleError(_("This interview can no longer be rescheduled."))
        starts = whole_minutes(starts)
        if _already_proposed(interview, by, starts, reason.strip()):
            return interview  # a second click: these dates are already proposed, and the other side told
        if interview.is_under_way(now):
            raise RuleError(_("This interview has started; it can no longer be rescheduled."))
        if interview.status == Interview.Status.CONFIRMED and not reason.strip():
            raise RuleError(_("Say why the interview moves: the other side sees it with the new dates."))
        check_slots(mentorship=mentorship, kind=interview.kind, starts=starts, now=now)
        ratelimit.check("interview_proposal", by.pk, _too_many_proposals())
        interview.proposal_round += 1
        interview.proposed_by = by
        interview.status = Interview.Status.PROPOSED
        interview.change_reason = reason.strip()
        interview.save(update_fields=["proposal_round", "proposed_by", "status", "change_reason", "updated_at"])
        InterviewSlot.objects.bulk_create(
            InterviewSlot(interview=interview, start=start, proposal_round=interview.proposal_round) for start in starts
        )
        _notify("interview_proposed", interview, [mentorship.other_party(by)], period=f"r{interview.proposal_round}")
    ratelimit.record("interview_proposal", by.pk)
    return interview


def _already_proposed(interview: Interview, by: User, starts: list[datetime], reason: str) -> bool:
    """Whether ``by`` proposed exactly these dates (and reason) in the interview's current round."""
    if interview.status != Interview.Status.PROPOSED or interview.proposed_by_id != by.pk:
        return False
    current = interview.slots.filter(proposal_round=interview.proposal_round).values_list("start", flat=True)
    return sorted(current) == starts and interview.change_reason == reason


def interview_cancel(*, interview: Interview, by: User, reason: str, now: datetime | None = None) -> Interview:
    if not reason.strip():
        raise RuleError(_("Say why the interview is cancelled."))
    now = now or timezone.now()
    with transaction.atomic():
        interview = _locked(interview)
        mentorship = interview.mentorship
        _party(mentorship, by)
        if interview.status not in Interview.ACTIVE:
            raise RuleError(_("This interview can no longer be cancelled."))
        if interview.is_under_way(now):
            # Its evaluation form is open from the start: a started interview is evaluated, not cancelled.
            raise RuleError(_("This interview has started; it can no longer be cancelled."))
        _cancel(interview, reason=reason.strip(), cancelled_by=by)
    return interview


def interviews_wind_down(*, mentorship: Mentorship, reason: str, now: datetime | None = None) -> int:
    """Cancels the interviews still to come of a mentorship that closes early (the mentor withdrew):
    both sides are told, with the calendar cancellation. One that has started stays, to be evaluated."""
    now = now or timezone.now()
    to_come = Interview.objects.select_for_update(of=("self",)).filter(
        mentorship=mentorship, status__in=Interview.ACTIVE
    )
    cancelled = 0
    for interview in to_come.select_related("mentorship__campaign"):
        if interview.is_under_way(now):
            continue
        _cancel(interview, reason=reason, cancelled_by=mentorship.mentor)
        cancelled += 1
    return cancelled


def _cancel(interview: Interview, *, reason: str, cancelled_by: User) -> None:
    mentorship = interview.mentorship
    had_invitation = interview.start is not None
    interview.status = Interview.Status.CANCELLED
    interview.cancel_reason = reason
    attachments = []
    if had_invitation:
        interview.sequence += 1
        attachments = [("cancel.ics", invitation(interview, method="CANCEL").decode(), "text/calendar; method=CANCEL")]
    interview.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
    if interview.is_first:
        sync_roadbook_deadline(mentorship)
    _notify(
        "interview_cancelled",
        interview,
        [mentorship.student, mentorship.mentor],
        period="cancel",
        attachments=attachments,
        extra={"cancelled_by": cancelled_by},
    )


def interview_mark_no_show(*, interview: Interview, by: User, note: str = "", now: datetime | None = None) -> Interview:
    """The mentor says the student did not come to a confirmed interview that has started. It is
    closed as a no-show (no evaluation form); the student is told and may propose new dates: a
    first interview is proposed again by the student, a follow-up by either side."""
    now = now or timezone.now()
    with transaction.atomic():
        interview = _locked(interview)
        mentorship = interview.mentorship
        if not permissions.is_mentor_of(by, mentorship):
            raise RuleError(_("Only the mentor says that the student did not come."))
        if interview.status == Interview.Status.NO_SHOW:
            return interview  # a second click: already marked, the student already told
        if not interview.is_under_way(now):
            raise RuleError(_("Only a confirmed interview that has started can be marked as missed."))
        if Evaluation.objects.filter(interview=interview, status=Evaluation.Status.COMPLETED).exists():
            raise RuleError(_("The evaluation form of this interview is completed: it took place."))
        interview.status = Interview.Status.NO_SHOW
        interview.cancel_reason = note.strip()
        interview.save(update_fields=["status", "cancel_reason", "updated_at"])
        if interview.is_first:
            sync_roadbook_deadline(mentorship)
        _notify(
            "interview_missed",
            interview,
            [mentorship.student],
            period="no_show",
            label=gettext_lazy("Propose new dates"),
        )
    return interview


# What staff may change on an interview in the admin, and what of it the invitation shows.
STAFF_EDITABLE = ("duration_minutes", "mode", "place", "link", "phone", "change_reason", "cancel_reason")
INVITATION_FIELDS = ("duration_minutes", "mode", "place", "link", "phone")


def check_where(mode, place, link, phone):
    """Whether an interview's mode has what it needs (a place, a link, a number); RuleError if not."""
    _check_where(mode, place or "", link or "", phone or "")


def interview_staff_update(*, interview: Interview, changes: dict, now: datetime | None = None) -> Interview:
    """Staff change an interview's details in the admin: only the fields they changed are written,
    under the interview's lock. When a confirmed interview still to come changes what its
    invitation says, both sides get the updated invitation (a higher SEQUENCE)."""
    now = now or timezone.now()
    changes = {name: value for name, value in changes.items() if name in STAFF_EDITABLE}
    with transaction.atomic():
        interview = _locked(interview)
        changed = [name for name, value in changes.items() if getattr(interview, name) != value]
        for name in changed:
            setattr(interview, name, changes[name])
        if not changed:
            return interview
        check_where(interview.mode, interview.place, interview.link, interview.phone)
        resend = (
            interview.status == Interview.Status.CONFIRMED
            and not interview.has_started(now)
            and any(name in INVITATION_FIELDS for name in changed)
        )
        if resend:
            interview.sequence += 1
        interview.save(update_fields=[*changed, "sequence", "updated_at"])
        if resend:
            mentorship = interview.mentorship
            _notify(
                "interview_updated",
                interview,
                [mentorship.student, mentorship.mentor],
                period=f"s{interview.sequence}",
                attachments=[("invite.ics", invitation(interview).decode(), "text/calendar; method=REQUEST")],
            )
    return interview


def interview_keep_despite_late_roadbook(*, interview: Interview, by: User) -> None:
    """The mentor keeps the first interview's date although the road-book arrived late; the student is told."""
    mentorship = interview.mentorship
    if not permissions.is_mentor_of(by, mentorship):
        raise RuleError(_("Only the mentor decides to keep the date."))
    roadbook = getattr(mentorship, "roadbook", None)
    if not (interview.is_first and interview.status == Interview.Status.CONFIRMED):
        raise RuleError(_("Only a confirmed first interview can be kept."))
    if interview.is_under_way():
        raise RuleError(_("This interview has started; its date can no longer be kept."))
    if roadbook is None or not roadbook.is_late_now():
        raise RuleError(_("The road-book is not late for this date."))
    with transaction.atomic():
        # Only a date still confirmed is kept: one cancelled or moved meanwhile changes nothing.
        if Interview.objects.filter(
            pk=interview.pk,
            status=Interview.Status.CONFIRMED,
            start=interview.start,
            late_roadbook_kept_at__isnull=True,
        ).update(late_roadbook_kept_at=timezone.now()):
            _notify("interview_date_kept", interview, [mentorship.student], period=f"s{interview.sequence}")


def earliest_first_start(mentorship: Mentorship, now: datetime | None = None) -> datetime:
    """The earliest start to offer for the first interview, on a quarter hour (the rule itself
    allows the exact minute three days after)."""
    return rules.round_up_to_quarter_hour(
        rules.earliest_first_interview(mentorship.campaign, _submitted_at(mentorship), now)
    )
