"""Coaching referrals: the mentor recommends, the student asks, staff schedule and close them.

Every move of a referral goes through here, the admin's included: the path a referral may take
is written once, in ``MOVES``.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.career_department import send_staff_notice
from accounts.models import User
from core.audit import log_status
from core.errors import RuleError
from core.notices import action, send_notice
from evaluations import permissions
from evaluations.models import CoachingReferral, Evaluation
from mentoring.models import Mentorship

Status = CoachingReferral.Status
# Where staff may move a referral from each status (a scheduled session may get a new date).
MOVES = {
    Status.RECOMMENDED: {Status.REQUESTED, Status.DECLINED},
    Status.REQUESTED: {Status.SCHEDULED, Status.DECLINED},
    Status.SCHEDULED: {Status.DONE, Status.DECLINED, Status.SCHEDULED},
    Status.DONE: set(),
    Status.DECLINED: set(),
}
# A session is booked within a sane horizon: a typo of a year is refused, not stored.
HORIZON = timedelta(days=3 * 365)


def _coaching_link(mentorship: Mentorship, label) -> dict:
    return action(mentorship.get_absolute_url() + "#coaching", label)


def coaching_recommend(
    *, mentorship: Mentorship, mentor: User, reason: str, evaluation: Evaluation | None = None
) -> CoachingReferral:
    if not permissions.is_mentor_of(mentor, mentorship):
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
                    **_coaching_link(mentorship, gettext_lazy("Ask for the coaching session")),
                },
            )
    except IntegrityError as error:
        raise RuleError(_("A coaching referral is already open for this student.")) from error
    return referral


def coaching_request(*, referral: CoachingReferral, student: User, now: datetime | None = None) -> CoachingReferral:
    if not permissions.is_student_of(student, referral.mentorship):
        raise RuleError(_("Only the student asks for their coaching session."))
    with transaction.atomic():
        updated = CoachingReferral.objects.filter(pk=referral.pk, status=Status.RECOMMENDED).update(
            status=Status.REQUESTED, requested_at=now or timezone.now()
        )
        if not updated:
            raise RuleError(_("This coaching session has already been requested."))
        referral.refresh_from_db()
        log_status(referral, Status.RECOMMENDED, Status.REQUESTED)
        send_staff_notice(
            "staff_coaching_requested",
            obj=referral,
            context={
                "referral": referral,
                "mentorship": referral.mentorship,
                **action(
                    reverse("admin:evaluations_coachingreferral_change", args=[referral.pk]),
                    gettext_lazy("Schedule the session"),
                ),
            },
        )
    return referral


def coaching_check_move(
    *, referral: CoachingReferral, status: str, scheduled_for: datetime | None, now: datetime | None = None
) -> None:
    """Whether staff may move ``referral`` (as saved) to ``status`` with ``scheduled_for``; raises
    RuleError naming the field at fault."""
    now = now or timezone.now()
    previous = referral.status
    if status != previous and status not in MOVES[Status(previous)]:
        raise RuleError(
            _("A referral that is “%(from)s” cannot become “%(to)s”.")
            % {"from": Status(previous).label, "to": Status(status).label},
            field="status",
        )
    setting_scheduled = status == Status.SCHEDULED
    if setting_scheduled and not scheduled_for:
        raise RuleError(_("Give the session's date to mark it scheduled."), field="scheduled_for")
    date_changed = scheduled_for != referral.scheduled_for
    if scheduled_for and (date_changed or (setting_scheduled and previous != status)):
        earliest = now if setting_scheduled else referral.created_at
        try:
            sane = earliest < scheduled_for < now + HORIZON
        except OverflowError:
            sane = False
        if not sane:
            raise RuleError(
                _("Give a date in the future, within three years.")
                if setting_scheduled
                else _("Give a date after the recommendation, within three years."),
                field="scheduled_for",
            )
    if (
        status in CoachingReferral.OPEN
        and previous not in CoachingReferral.OPEN
        and CoachingReferral.objects.filter(mentorship=referral.mentorship_id, status__in=CoachingReferral.OPEN)
        .exclude(pk=referral.pk)
        .exists()
    ):
        raise RuleError(_("Another coaching referral is already open for this student."), field="status")


def coaching_staff_update(
    *,
    referral: CoachingReferral,
    status: str,
    scheduled_for: datetime | None,
    staff_note: str,
    now: datetime | None = None,
) -> CoachingReferral:
    """Staff move a referral along its path; a newly scheduled session is announced to the student."""
    with transaction.atomic():
        locked = CoachingReferral.objects.select_for_update().select_related("mentorship").get(pk=referral.pk)
        coaching_check_move(referral=locked, status=status, scheduled_for=scheduled_for, now=now)
        previous = locked.status
        locked.status = status
        locked.scheduled_for = scheduled_for
        locked.staff_note = staff_note
        try:
            with transaction.atomic():
                locked.save(update_fields=["status", "scheduled_for", "staff_note", "updated_at"])
        except IntegrityError as error:  # another referral opened meanwhile
            raise RuleError(_("Another coaching referral is already open for this student."), field="status") from error
        if status == Status.SCHEDULED and previous != Status.SCHEDULED:
            send_notice(
                "coaching_scheduled",
                recipient=locked.mentorship.student,
                obj=locked,
                period=scheduled_for.isoformat(),
                context={
                    "referral": locked,
                    "mentorship": locked.mentorship,
                    **_coaching_link(locked.mentorship, gettext_lazy("See the details")),
                },
            )
    return locked
