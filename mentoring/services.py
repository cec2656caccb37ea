"""Writes of the mentoring app: enrolment of mentors, requests, answers and messages, rosters and
the handover to next year's campaign.

Each service checks its rule and writes in one transaction; views, admin actions, tasks and
commands all call these. A broken rule raises ``RuleError`` with a message for the user.
"""

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.career_department import send_staff_notice
from accounts.models import Language, Sector, User
from core import ratelimit
from core.audit import log_status, log_status_sweep
from core.dates import local_datetime
from core.errors import RuleError
from core.notices import Notice, action, send_notice, send_notices
from mentoring import contributions, directory, permissions, suggestions
from mentoring.models import Campaign, HiddenSuggestion, MentorEnrollment, Mentorship, Message, Participation, Phase


class CapacityReached(RuleError):
    """The mentor has no free place left for this campaign."""


# Labels of the mail buttons are lazy: the notice renders them in the recipient's language, not
# in the language of whoever caused the notice.


# --- Mentor enrolment ---------------------------------------------------------------------


def previous_enrollment(alumnus: User, campaign: Campaign) -> MentorEnrollment | None:
    """The alumnus's enrolment in an earlier campaign, to pre-fill a re-enrolment."""
    return (
        MentorEnrollment.objects.filter(alumnus=alumnus)
        .exclude(campaign=campaign)
        .order_by("-campaign__recruitment_opens")
        .prefetch_related("languages", "sectors")
        .first()
    )


def enrollment_apply(
    *,
    alumnus: User,
    campaign: Campaign,
    capacity: int,
    modes: list[str],
    languages: Iterable[Language],
    sectors: Iterable[Sector],
    availability_note: str = "",
    now: datetime | None = None,
) -> MentorEnrollment:
    """Creates or updates the alumnus's application while recruitment is open."""
    if not alumnus.is_alumnus:
        raise RuleError(_("Only alumni can volunteer as mentors."))
    if not campaign.is_recruitment_open(now):
        raise RuleError(
            _("Applications for the campaign “%(name)s” closed on %(date)s.")
            % {"name": campaign.name, "date": local_datetime(campaign.recruitment_closes)}
        )
    if not modes:
        raise RuleError(_("Choose at least one way of meeting."))
    with transaction.atomic():
        # get_or_create, not filter().first(): two submissions at once (a double click) both
        # find no row; the unique constraint lets one insert and the other becomes an update.
        enrollment, _created = MentorEnrollment.objects.select_for_update().get_or_create(
            alumnus=alumnus, campaign=campaign, defaults={"capacity": capacity}
        )
        if enrollment.status == MentorEnrollment.Status.REJECTED:
            raise RuleError(
                _("Your application for this campaign was not accepted; contact the Alumni Career Department.")
            )
        if enrollment.status == MentorEnrollment.Status.APPROVED:
            # Students choose on what staff approved: changes go through them.
            raise RuleError(_("Your application is approved; contact the Alumni Career Department to change it."))
        # A first application, or one made again after a withdrawal: staff have one to review.
        to_review = _created or enrollment.status == MentorEnrollment.Status.WITHDRAWN
        if enrollment.status == MentorEnrollment.Status.WITHDRAWN:
            enrollment.status = MentorEnrollment.Status.APPLIED
            enrollment.decided_at = None
        enrollment.capacity = capacity
        enrollment.offers_in_person = "in_person" in modes
        enrollment.offers_video = "video" in modes
        enrollment.offers_phone = "phone" in modes
        enrollment.availability_note = availability_note
        enrollment.save()
        enrollment.languages.set(languages)
        enrollment.sectors.set(sectors)
        if to_review:
            send_staff_notice(
                "staff_mentor_applied",
                obj=enrollment,
                period=timezone.now().isoformat(),
                context={
                    "enrollment": enrollment,
                    **action(
                        reverse("admin:mentoring_mentorenrollment_change", args=[enrollment.pk]),
                        gettext_lazy("Review the application"),
                    ),
                },
            )
    return enrollment


def _decide(enrollment, status, note, kind):
    with transaction.atomic():
        updated = MentorEnrollment.objects.filter(pk=enrollment.pk, status=MentorEnrollment.Status.APPLIED).update(
            status=status, decided_at=timezone.now(), decision_note=note
        )
        if not updated:
            return False  # already decided: a second click or a concurrent admin changes nothing
        directory.changed()  # an update() sends no signal: the mentor enters or leaves the directory
        enrollment.refresh_from_db()
        log_status(enrollment, MentorEnrollment.Status.APPLIED, status)
        send_notice(
            kind,
            recipient=enrollment.alumnus,
            obj=enrollment,
            # A withdrawn alumnus may re-apply and be decided on again: each decision is its own mail.
            period=enrollment.decided_at.isoformat(),
            context={
                "enrollment": enrollment,
                **action(reverse("mentoring:me"), gettext_lazy("Open my personal area")),
            },
        )
    return True


def enrollment_approve(*, enrollment: MentorEnrollment, note: str = "") -> bool:
    return _decide(enrollment, MentorEnrollment.Status.APPROVED, note, "enrollment_approved")


def enrollment_reject(*, enrollment: MentorEnrollment, note: str = "") -> bool:
    return _decide(enrollment, MentorEnrollment.Status.REJECTED, note, "enrollment_rejected")


def enrollment_withdraw(
    *, enrollment: MentorEnrollment, by_staff: bool = False, now: datetime | None = None
) -> MentorEnrollment:
    """The alumnus withdraws; pending requests are declined and their students told.

    A mentor who already has mentees withdraws through staff (``by_staff``): their ongoing
    mentorships are closed, and each student is told and may choose another mentor.
    """
    with transaction.atomic():
        enrollment = MentorEnrollment.objects.select_for_update().get(pk=enrollment.pk)
        if enrollment.status not in (MentorEnrollment.Status.APPLIED, MentorEnrollment.Status.APPROVED):
            raise RuleError(_("This enrolment is no longer active."))
        if by_staff:
            ongoing = enrollment.mentorships.filter(status=Mentorship.Status.ACCEPTED).select_related(
                "student", "enrollment__alumnus", "campaign"
            )
            ongoing = list(ongoing)
            for mentorship in ongoing:
                mentorship_close(mentorship=mentorship, because_mentor_withdrew=True, now=now)
            if ongoing:
                send_staff_notice(
                    "staff_mentor_withdrawn",
                    obj=enrollment,
                    period=(now or timezone.now()).isoformat(),
                    context={
                        "enrollment": enrollment,
                        "mentorships": ongoing,
                        **action(
                            reverse("admin:mentoring_mentorenrollment_change", args=[enrollment.pk]),
                            gettext_lazy("Open the enrolment"),
                        ),
                    },
                )
        elif enrollment.mentorships.filter(status__in=Mentorship.OCCUPYING).exists():
            raise RuleError(
                _(
                    "You already mentor a student in this campaign: contact the Alumni Career Department, "
                    "who will find them another mentor before you withdraw."
                )
            )
        enrollment.status = MentorEnrollment.Status.WITHDRAWN
        enrollment.save(update_fields=["status"])
        for mentorship in enrollment.mentorships.filter(status=Mentorship.Status.REQUESTED).select_related("student"):
            _close_request(
                mentorship, Mentorship.Status.DECLINED, gettext_lazy("The mentor withdrew from the programme.")
            )
    return enrollment


def mentorship_close(
    *, mentorship: Mentorship, because_mentor_withdrew: bool = False, now: datetime | None = None
) -> Mentorship:
    """Closes an accepted mentorship: after its final form (both sides are told), or because the
    mentor withdrew (the student is told and may choose another mentor)."""
    now = now or timezone.now()
    Mentorship.objects.filter(pk=mentorship.pk).update(status=Mentorship.Status.CLOSED, closed_at=now)
    log_status(mentorship, mentorship.status, Mentorship.Status.CLOSED)
    mentorship.status, mentorship.closed_at = Mentorship.Status.CLOSED, now
    if because_mentor_withdrew:
        with translation.override(mentorship.student.language or settings.LANGUAGE_CODE):
            reason = str(_("The mentor withdrew from the programme."))
        for wind_down in contributions.mentorship_closed:
            wind_down(mentorship, reason)
        send_notice(
            "mentor_withdrawn",
            recipient=mentorship.student,
            obj=mentorship,
            context={
                "mentorship": mentorship,
                **action(reverse("mentoring:directory"), gettext_lazy("Choose another mentor")),
            },
        )
        return mentorship
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
    return mentorship


# --- Requests -----------------------------------------------------------------------------


def mentorship_request(
    *, student: User, enrollment: MentorEnrollment, message: str, now: datetime | None = None
) -> Mentorship:
    """The student chooses a mentor: a request carrying the student's message."""
    campaign = enrollment.campaign
    if not student.is_student:
        raise RuleError(_("Only students can choose a mentor."))
    if not campaign.is_matching_open(now):
        raise RuleError(
            _("Students can choose a mentor from %(date)s.") % {"date": local_datetime(campaign.matching_opens)}
        )
    if not message.strip():
        raise RuleError(_("Write a short message to the mentor."))
    expire_overdue_requests(Mentorship.objects.filter(student=student, campaign=campaign), now=now)
    if Mentorship.objects.live_for(student, campaign).exists():
        raise RuleError(_already_chosen())
    ratelimit.check("mentor_request", student.pk, _too_many_requests())
    try:
        with transaction.atomic():
            # Locked as participation_withdraw locks it: a student removed from the roster meanwhile
            # is seen here, or their request is seen, and withdrawn, there.
            roster = Participation.objects.select_for_update().filter(campaign=campaign, student=student)
            if roster.values_list("status", flat=True).first() == Participation.Status.WITHDRAWN:
                raise RuleError(
                    _(
                        "You were removed from the campaign “%(name)s”, so you can't choose a mentor in it. "
                        "Contact the Alumni Career Department if you think this is a mistake."
                    )
                    % {"name": campaign.name}
                )
            # The enrolment row is locked as in mentorship_accept and enrollment_withdraw: a mentor
            # who withdraws, or whose last place is taken, meanwhile is seen here.
            enrollment = (
                MentorEnrollment.objects.select_for_update(of=("self",)).select_related("alumnus").get(pk=enrollment.pk)
            )
            if enrollment.status != MentorEnrollment.Status.APPROVED:
                raise RuleError(_("This mentor is not available in this campaign."))
            if _taken(enrollment) >= enrollment.capacity:
                raise CapacityReached(_("This mentor has no free place left. Please choose another mentor."))
            mentorship = Mentorship.objects.create(
                student=student,
                enrollment=enrollment,
                campaign=campaign,
                message=message.strip(),
                requested_at=now or timezone.now(),
            )
            send_notice(
                "request_received",
                recipient=enrollment.alumnus,
                obj=mentorship,
                context={
                    "mentorship": mentorship,
                    **action(mentorship.get_absolute_url(), gettext_lazy("Answer the request")),
                },
            )
    except IntegrityError as error:
        # Two requests at once from the same student: the database kept one of them.
        raise RuleError(_already_chosen()) from error
    ratelimit.record("mentor_request", student.pk)
    return mentorship


def suggestion_hide(*, student: User, enrollment: MentorEnrollment) -> None:
    """The mentor is no longer suggested to the student (a second click changes nothing)."""
    HiddenSuggestion.objects.get_or_create(student=student, enrollment=enrollment)
    suggestions.forget(student.pk)


def suggestions_restore(*, student: User) -> int:
    """Every mentor the student hid may be suggested again; returns how many."""
    restored, _by_model = HiddenSuggestion.objects.filter(student=student).delete()
    suggestions.forget(student.pk)
    return restored


def _already_chosen():
    return _("You already have a mentor or a pending request in this campaign; withdraw the request to choose again.")


def _too_many_requests():
    return _("You have chosen or withdrawn mentors many times in a short time; wait a few minutes.")


def _taken(enrollment):
    return enrollment.mentorships.filter(status__in=Mentorship.OCCUPYING).count()


def _tell_mentor_withdrawn(mentorship: Mentorship, *, by_staff: bool = False) -> None:
    """The mentor is told a pending request was withdrawn (by the student, or by staff removing
    the student from the campaign), so they don't answer it."""
    send_notice(
        "request_withdrawn",
        recipient=mentorship.mentor,
        obj=mentorship,
        context={
            "mentorship": mentorship,
            "by_staff": by_staff,
            **action(reverse("mentoring:me"), gettext_lazy("Open my personal area")),
        },
    )


def mentorship_withdraw(*, mentorship: Mentorship, student: User) -> Mentorship:
    """The student withdraws a pending request; the mentor is told, so they don't answer it."""
    with transaction.atomic():
        updated = Mentorship.objects.filter(
            pk=mentorship.pk, student=student, status=Mentorship.Status.REQUESTED
        ).update(status=Mentorship.Status.WITHDRAWN, responded_at=timezone.now())
        if not updated:
            raise RuleError(_("Only a pending request can be withdrawn."))
        mentorship.refresh_from_db()
        log_status(mentorship, Mentorship.Status.REQUESTED, Mentorship.Status.WITHDRAWN)
        _tell_mentor_withdrawn(mentorship)
    # Counted with the requests, so that choosing and withdrawing in a loop soon stops mailing
    # mentors; never refused, so that a student can always take a request back.
    ratelimit.record("mentor_request", student.pk)
    return mentorship


def mentorship_accept(*, mentorship: Mentorship, mentor: User, now: datetime | None = None) -> Mentorship:
    """Accepts a request, never beyond the mentor's capacity, even under concurrent accepts.

    When this takes the mentor's last place, the mentor's other pending requests are declined
    in the same transaction, so that their students can choose again at once.
    """
    with transaction.atomic():
        # Locking the enrolment row serialises every accept for this mentor: the count of
        # mentees and the write below are one step.
        enrollment = MentorEnrollment.objects.select_for_update().get(pk=mentorship.enrollment_id)
        mentorship = Mentorship.objects.select_for_update().select_related("campaign").get(pk=mentorship.pk)
        if enrollment.alumnus_id != mentor.pk:
            raise RuleError(_("Only the chosen mentor can answer this request."))
        if mentorship.status != Mentorship.Status.REQUESTED:
            raise RuleError(_("This request has already been answered or withdrawn."))
        if enrollment.status != MentorEnrollment.Status.APPROVED:
            raise RuleError(_("You are no longer a mentor of this campaign."))
        if not mentorship.campaign.is_matching_open(now):
            raise RuleError(_("The matching phase of this campaign is closed."))
        if mentorship.is_overdue(now):
            raise RuleError(_("This request has expired; the student may choose a mentor again."))
        taken = _taken(enrollment)
        if taken >= enrollment.capacity:
            raise CapacityReached(
                _("You already mentor %(count)s students, your maximum for this campaign.") % {"count": taken}
            )
        mentorship.status = Mentorship.Status.ACCEPTED
        mentorship.responded_at = now or timezone.now()
        mentorship.save(update_fields=["status", "responded_at"])
        send_notice(
            "request_accepted",
            recipient=mentorship.student,
            obj=mentorship,
            context={
                "mentorship": mentorship,
                **action(mentorship.get_absolute_url(), gettext_lazy("Open the mentorship")),
            },
        )
        if taken + 1 >= enrollment.capacity:
            others = enrollment.mentorships.filter(status=Mentorship.Status.REQUESTED).select_related("student")
            for other in others.select_for_update(of=("self",)):
                _close_request(other, Mentorship.Status.DECLINED, gettext_lazy("This mentor's places are all taken."))
    return mentorship


def mentorship_decline(*, mentorship: Mentorship, mentor: User, reason: str) -> Mentorship:
    if not reason.strip():
        raise RuleError(_("Give the student a reason: it helps them choose another mentor."))
    with transaction.atomic():
        mentorship = (
            Mentorship.objects.select_for_update().select_related("enrollment", "student").get(pk=mentorship.pk)
        )
        if not mentorship.is_mentor(mentor):
            raise RuleError(_("Only the chosen mentor can answer this request."))
        if mentorship.status != Mentorship.Status.REQUESTED:
            raise RuleError(_("This request has already been answered or withdrawn."))
        _close_request(mentorship, Mentorship.Status.DECLINED, reason.strip())
    return mentorship


def _close_request(mentorship, status, reason=""):
    """Declines or expires a pending request and tells the student; ``reason`` may be lazy.

    A reason written by the product (not by the mentor) is stored in the student's language,
    since the student reads it.
    """
    with translation.override(mentorship.student.language or settings.LANGUAGE_CODE):
        reason = str(reason)
    mentorship.status = status
    mentorship.decline_reason = reason
    mentorship.responded_at = timezone.now()
    mentorship.save(update_fields=["status", "decline_reason", "responded_at"])
    kind = "request_declined" if status == Mentorship.Status.DECLINED else "request_expired"
    send_notice(
        kind,
        recipient=mentorship.student,
        obj=mentorship,
        context={
            "mentorship": mentorship,
            **action(reverse("mentoring:directory"), gettext_lazy("Choose another mentor")),
        },
    )


def expire_overdue_requests(queryset: QuerySet[Mentorship] | None = None, now: datetime | None = None) -> int:
    """Expires unanswered requests past their delay and tells each student, in a fixed number of
    queries. Safe to run again or concurrently: only rows still "requested" change, and the
    notice's key is sent once."""
    now = now or timezone.now()
    queryset = Mentorship.objects.all() if queryset is None else queryset
    overdue = list(queryset.overdue_requests(now).values_list("pk", flat=True))
    if not overdue:
        return 0
    with transaction.atomic():
        expired = Mentorship.objects.filter(pk__in=overdue, status=Mentorship.Status.REQUESTED).update(
            status=Mentorship.Status.EXPIRED, responded_at=now
        )
        mentorships = Mentorship.objects.filter(pk__in=overdue, status=Mentorship.Status.EXPIRED).select_related(
            "student", "enrollment__alumnus", "campaign"
        )
        log_status_sweep(mentorships, Mentorship.Status.REQUESTED, Mentorship.Status.EXPIRED)
        link = action(reverse("mentoring:directory"), gettext_lazy("Choose another mentor"))
        send_notices("request_expired", [Notice(m.student, m, {"mentorship": m, **link}) for m in mentorships])
    return expired


# --- Messages -----------------------------------------------------------------------------


# A second identical message within this many seconds is a double click: it is not sent again.
DUPLICATE_MESSAGE_SECONDS = 10


def message_post(*, mentorship: Mentorship, author: User, body: str, now: datetime | None = None) -> Message:
    """Posts a message in the thread; the other side is told by mail.

    The same text from the same author again within ``DUPLICATE_MESSAGE_SECONDS`` (a double
    click, a form sent twice) returns the message already posted: nothing is sent twice.
    """
    now = now or timezone.now()
    body = body.strip()
    if not body:
        raise RuleError(_("The message is empty."))
    if not mentorship.is_party(author):
        raise RuleError(_("Only the student and the mentor write in this thread."))
    with transaction.atomic():
        # The mentorship's row lock serialises the posts of a thread: two clicks at once see
        # each other, and a mentorship closed meanwhile is seen.
        status = Mentorship.objects.select_for_update().filter(pk=mentorship.pk).values_list("status", flat=True)
        if status.first() not in permissions.MESSAGE_OPEN:
            raise RuleError(_("This mentorship is no longer open to messages."))
        duplicate = Message.objects.filter(
            mentorship=mentorship,
            author=author,
            body=body,
            sent_at__gte=now - timedelta(seconds=DUPLICATE_MESSAGE_SECONDS),
        ).last()
        if duplicate is not None:
            return duplicate
        ratelimit.check("message", author.pk, _("You have sent many messages in a short time; wait a few minutes."))
        message = Message.objects.create(mentorship=mentorship, author=author, body=body, sent_at=now)
        send_notice(
            "message_received",
            recipient=mentorship.other_party(author),
            obj=message,
            context={
                "message": message,
                "mentorship": mentorship,
                **action(mentorship.get_absolute_url(), gettext_lazy("Read and answer")),
            },
        )
    ratelimit.record("message", author.pk)
    return message


# --- Rosters ------------------------------------------------------------------------------


def participation_add(*, campaign: Campaign, student: User, source: str, now: datetime | None = None) -> Participation:
    """Puts the student on the campaign's roster (``source``: a ``Participation.Source``).

    Idempotent: a student already on the roster keeps their row as it is, so an import run
    twice, or a sign-up seen twice, changes nothing, and a student staff removed stays removed
    (that is staff's decision, not a list's).
    """
    if not student.is_student:
        raise RuleError(_("Only students are on a campaign's roster."))
    if source not in Participation.Source.values:
        raise ValueError(f"Unknown roster source {source!r}.")
    # get_or_create: two imports at once both find no row; the unique constraint lets one insert
    # and the other reads it back.
    participation, _created = Participation.objects.get_or_create(
        campaign=campaign, student=student, defaults={"source": source, "joined_at": now or timezone.now()}
    )
    return participation


def participation_withdraw(*, participation: Participation, reason: str, now: datetime | None = None) -> Participation:
    """Staff remove a student from the campaign's roster, saying why; the row stays as the record.

    The student gets no more reminders of the campaign and can't choose a mentor in it. A request
    still waiting for the mentor's answer is withdrawn and the mentor told; a mentorship the
    mentor already accepted goes on.
    """
    reason = reason.strip()
    if not reason:
        raise RuleError(_("Give the reason for removing the student from the campaign."))
    now = now or timezone.now()
    with transaction.atomic():
        # The update locks the row that mentorship_request locks: a request made meanwhile is
        # either refused there or found below.
        removed = Participation.objects.filter(pk=participation.pk, status=Participation.Status.ACTIVE).update(
            status=Participation.Status.WITHDRAWN, withdrawn_at=now, withdrawn_reason=reason
        )
        participation.refresh_from_db()
        if removed:
            log_status(participation, Participation.Status.ACTIVE, Participation.Status.WITHDRAWN)
        if not removed:
            raise RuleError(
                _("%(student)s was already removed from the campaign “%(campaign)s”.")
                % {"student": participation.student, "campaign": participation.campaign}
            )
        pending = Mentorship.objects.filter(
            student_id=participation.student_id,
            campaign_id=participation.campaign_id,
            status=Mentorship.Status.REQUESTED,
        ).select_related("student", "enrollment__alumnus", "campaign")
        for mentorship in pending.select_for_update(of=("self",)):
            mentorship.status = Mentorship.Status.WITHDRAWN
            mentorship.responded_at = now
            mentorship.save(update_fields=["status", "responded_at"])
            _tell_mentor_withdrawn(mentorship, by_staff=True)
    return participation


# --- Campaigns ----------------------------------------------------------------------------

CALENDAR = ("recruitment_opens", "recruitment_closes", "matching_opens", "campaign_ends")

# A four-digit year in a campaign's name ("2026–2027", "Campaign 2026").
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def next_campaign_name(name: str, *, opens: datetime, ends: datetime) -> str:
    """The name of the campaign after the one called ``name``: every year in it one later
    ("2026–2027" → "2027–2028"); a name without a year takes the years of the new dates."""
    if _YEAR.search(name):
        return _YEAR.sub(lambda year: str(int(year.group()) + 1), name)
    first, last = timezone.localtime(opens).year, timezone.localtime(ends).year
    return f"{first}–{last}" if first != last else str(first)


def _a_year_later(moment: datetime) -> datetime:
    """The same wall-clock time one year later in the school's time zone: 3 May at midnight stays
    3 May at midnight whatever the daylight saving time; 29 February becomes 28 February."""
    local = timezone.localtime(moment)
    try:
        return local.replace(year=local.year + 1)
    except ValueError:
        return local.replace(year=local.year + 1, day=28)


def campaign_next(campaign: Campaign) -> Campaign:
    """Next year's campaign as ``campaign_start_next`` would create it, unsaved (for a preview).

    Every date one year later; every rule and reminder offset copied, whatever fields a campaign
    has: only its identity and its calendar change from one year to the next.
    """
    kept = {
        field.attname: getattr(campaign, field.attname)
        for field in Campaign._meta.concrete_fields
        if not field.primary_key and field.attname not in {"name", "is_current", *CALENDAR}
    }
    dates = {field: _a_year_later(getattr(campaign, field)) for field in CALENDAR}
    name = next_campaign_name(campaign.name, opens=dates["recruitment_opens"], ends=dates["campaign_ends"])
    return Campaign(name=name, is_current=False, **dates, **kept)


def campaign_mentors_to_invite(campaign: Campaign) -> QuerySet[MentorEnrollment]:
    """The campaign's approved mentors, whom next year's campaign invites to re-enrol."""
    return MentorEnrollment.objects.approved().filter(campaign=campaign, alumnus__is_active=True)


def campaign_start_next(*, campaign: Campaign, while_running: bool = False, now: datetime | None = None) -> Campaign:
    """Creates next year's campaign from ``campaign`` (see ``campaign_next``) and makes it current,
    in one transaction; the campaign's approved mentors are invited to re-enrol, once each.

    Only from the current campaign. While it has not ended, only when staff say so
    (``while_running``): the current campaign is the one people's areas and reminders follow, so
    its mentorships leave their areas and its reminders stop. Refused when a campaign of that
    name exists: the handover was done already.
    """
    current = Campaign.objects.current()
    if current is not None and current.pk != campaign.pk:
        raise RuleError(_("Start next year's campaign from the current one, %(name)s.") % {"name": current.name})
    if campaign.phase_at(now) != Phase.ENDED and not while_running:
        raise RuleError(
            _(
                "The campaign “%(name)s” runs until %(date)s: confirm that its students and mentors may "
                "lose sight of their mentorships and reminders, or start the next campaign once it has ended."
            )
            % {"name": campaign.name, "date": local_datetime(campaign.campaign_ends)}
        )
    new = campaign_next(campaign)
    taken = _("A campaign named “%(name)s” already exists.") % {"name": new.name}
    if Campaign.objects.filter(name=new.name).exists():
        raise RuleError(taken)
    new.is_current = True
    try:
        with transaction.atomic():
            new.save()  # retires the current campaign in this transaction
            link = action(reverse("mentoring:mentor_apply"), gettext_lazy("Re-enrol in one step"))
            mentors = campaign_mentors_to_invite(campaign).select_related("alumnus")
            send_notices(
                "mentor_reenrolment",
                [Notice(e.alumnus, new, {"campaign": new, "previous": campaign, **link}) for e in mentors],
            )
    except IntegrityError as error:
        # The same handover from two admin tabs at once: the unique name kept one.
        raise RuleError(taken) from error
    return new
