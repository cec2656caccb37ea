"""Time-based reminders of the mentoring app, one sweep per kind.

Each sweep reads the current campaign, selects its targets in a fixed number of queries and
hands them to ``send_notices`` as a stream (``iterator()``: memory stays flat at any campaign
size), whose unique keys make a second run (or a concurrent one) send
nothing again. Reminders that may repeat carry their period in the key.
"""

from datetime import timedelta
from itertools import chain

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.notices import CHUNK_SIZE, Notice, action, send_notices
from mentoring.models import Campaign, MentorEnrollment, Mentorship, Phase


def iso_week(moment):
    year, week, _day = timezone.localtime(moment).isocalendar()
    return f"{year}-W{week:02d}"


def recruitment_closing(now=None):
    """N days before recruitment closes: last campaigns' mentors who have not re-enrolled yet, and
    applicants with an unfinished form.

    "Unfinished" means an APPLIED enrolment in the current campaign with no sector or no
    interview language chosen: the directory cannot place such a mentor. The mail's context says
    which case applies (``unfinished_application``).
    """
    now = now or timezone.now()
    campaign = Campaign.objects.current()
    if campaign is None or campaign.phase_at(now) != Phase.RECRUITMENT:
        return 0
    if now < campaign.recruitment_closes - timedelta(days=campaign.recruitment_closing_reminder_days):
        return 0
    enrolled_now = MentorEnrollment.objects.filter(campaign=campaign, alumnus=OuterRef("pk"))
    alumni = (
        User.objects.filter(
            is_active=True,
            role=User.Role.ALUMNUS,
            enrollments__campaign__recruitment_opens__lt=campaign.recruitment_opens,
        )
        .filter(enrollments__status__in=[MentorEnrollment.Status.APPROVED, MentorEnrollment.Status.WITHDRAWN])
        .exclude(Exists(enrolled_now))
        .distinct()
    )
    sectors = MentorEnrollment.sectors.through.objects.filter(mentorenrollment=OuterRef("pk"))
    languages = MentorEnrollment.languages.through.objects.filter(mentorenrollment=OuterRef("pk"))
    unfinished = (
        MentorEnrollment.objects.filter(
            campaign=campaign, status=MentorEnrollment.Status.APPLIED, alumnus__is_active=True
        )
        .filter(~Exists(sectors) | ~Exists(languages))
        .select_related("alumnus")
    )
    link = action(reverse("mentoring:mentor_apply"), _("Re-enrol in one step"))
    finish = action(reverse("mentoring:mentor_apply"), _("Finish my application"))
    reenrol, complete = {"campaign": campaign, **link}, {"campaign": campaign, "unfinished_application": True, **finish}
    notices = chain(
        (Notice(alumnus, campaign, reenrol) for alumnus in alumni.iterator(chunk_size=CHUNK_SIZE)),
        (Notice(e.alumnus, campaign, complete) for e in unfinished.iterator(chunk_size=CHUNK_SIZE)),
    )
    return send_notices("recruitment_closing", notices)


def students_to_remind(campaign):
    """The campaign's roster (``Campaign.roster``), less the students who already have their
    mentor or a pending request in it, or whose mentorship there is closed: the students still
    to choose a mentor. One query, whatever the size of the roster."""
    has_mentor = Mentorship.objects.filter(
        campaign=campaign, student=OuterRef("pk"), status__in=[*Mentorship.LIVE, Mentorship.Status.CLOSED]
    )
    return campaign.roster().exclude(Exists(has_mentor))


def matching_open(now=None):
    """On ``matching_opens``: the students of the roster who have no mentor yet may now choose one."""
    now = now or timezone.now()
    campaign = Campaign.objects.current()
    if campaign is None or campaign.phase_at(now) != Phase.MATCHING:
        return 0
    context = {"campaign": campaign, **action(reverse("mentoring:directory"), _("Find a mentor"))}
    students = students_to_remind(campaign).iterator(chunk_size=CHUNK_SIZE)
    return send_notices("matching_open", (Notice(student, campaign, context) for student in students))


def without_mentor(now=None):
    """Every week from N days after matching opened: students of the roster with no mentor and
    no pending request."""
    now = now or timezone.now()
    campaign = Campaign.objects.current()
    if campaign is None or campaign.phase_at(now) != Phase.MATCHING:
        return 0
    if now < campaign.matching_opens + timedelta(days=campaign.no_mentor_reminder_days):
        return 0
    context = {"campaign": campaign, **action(reverse("mentoring:directory"), _("Find a mentor"))}
    period = iso_week(now)
    students = students_to_remind(campaign).iterator(chunk_size=CHUNK_SIZE)
    return send_notices("without_mentor", (Notice(s, campaign, context, period) for s in students))


def request_unanswered(now=None):
    """Mentors who left a request unanswered for N days."""
    now = now or timezone.now()
    campaign = Campaign.objects.current()
    if campaign is None:
        return 0
    requests = Mentorship.objects.filter(
        campaign=campaign,
        status=Mentorship.Status.REQUESTED,
        requested_at__lte=now - timedelta(days=campaign.request_unanswered_reminder_days),
    ).select_related("student", "enrollment__alumnus", "campaign")
    return send_notices(
        "request_unanswered",
        (
            Notice(m.mentor, m, {"mentorship": m, **action(m.get_absolute_url(), _("Answer the request"))})
            for m in requests.iterator(chunk_size=CHUNK_SIZE)
            if not m.is_overdue(now)
        ),
    )
