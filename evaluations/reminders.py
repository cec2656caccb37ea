"""Interview and evaluation reminders, one sweep per kind, each in a fixed number of queries per
chunk of targets, read as a stream."""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.notices import CHUNK_SIZE, Notice, action, send_notices
from evaluations.models import Evaluation, Interview
from mentoring.models import Campaign, Mentorship

RELATED = ("mentorship__student", "mentorship__enrollment__alumnus", "mentorship__campaign")


def _context(interview, label, **extra):
    return {
        "interview": interview,
        "mentorship": interview.mentorship,
        **action(interview.get_absolute_url(), label),
        **extra,
    }


def interview_tomorrow(now=None):
    """Confirmed interviews starting within 24 hours: both sides. A moved interview is reminded again."""
    now = now or timezone.now()
    interviews = Interview.objects.filter(
        status=Interview.Status.CONFIRMED, start__gt=now, start__lte=now + timedelta(hours=24)
    ).select_related(*RELATED)
    notices = (
        Notice(person, interview, _context(interview, _("Open the interview")), interview.start.isoformat())
        for interview in interviews.iterator(chunk_size=CHUNK_SIZE)
        for person in (interview.mentorship.student, interview.mentorship.mentor)
    )
    return send_notices("interview_tomorrow", notices)


def evaluation_pending(now=None):
    """N days after an interview, its evaluation form is still not completed: the mentor."""
    now = now or timezone.now()
    campaign = Campaign.objects.current()
    if campaign is None:
        return 0
    completed = Evaluation.objects.filter(interview=OuterRef("pk"), status=Evaluation.Status.COMPLETED)
    interviews = (
        Interview.objects.filter(
            mentorship__campaign=campaign,
            status=Interview.Status.CONFIRMED,
            start__lte=now - timedelta(days=campaign.evaluation_pending_reminder_days),
        )
        .exclude(Exists(completed))
        .select_related(*RELATED)
    )
    notices = (
        Notice(i.mentorship.mentor, i, _context(i, _("Fill in the evaluation form")))
        for i in interviews.iterator(chunk_size=CHUNK_SIZE)
    )
    return send_notices("evaluation_pending", notices)


def no_follow_up(now=None):
    """N weeks after the first interview, no follow-up is confirmed or held: both sides."""
    now = now or timezone.now()
    campaign = Campaign.objects.current()
    if campaign is None:
        return 0
    # A follow-up only proposed may never happen: it does not count until it has a date.
    follow_up = Interview.objects.filter(
        mentorship=OuterRef("mentorship"),
        kind=Interview.Kind.FOLLOW_UP,
        status__in=[Interview.Status.CONFIRMED, Interview.Status.HELD],
    )
    proposed = Interview.objects.filter(
        mentorship=OuterRef("mentorship"), kind=Interview.Kind.FOLLOW_UP, status=Interview.Status.PROPOSED
    )
    firsts = (
        Interview.objects.filter(
            mentorship__campaign=campaign,
            mentorship__status=Mentorship.Status.ACCEPTED,
            kind=Interview.Kind.FIRST,
            status=Interview.Status.HELD,
            start__lte=now - timedelta(weeks=campaign.no_follow_up_reminder_weeks),
        )
        .exclude(Exists(follow_up))
        .annotate(follow_up_proposed=Exists(proposed))
        .select_related(*RELATED)
    )
    return send_notices("no_follow_up", _follow_up_notices(firsts))


def _follow_up_notices(firsts):
    for first in firsts.iterator(chunk_size=CHUNK_SIZE):
        mentorship = first.mentorship
        if first.follow_up_proposed:
            # A proposal waits for an answer: the place to act is the mentorship, not a new proposal.
            link = (mentorship.get_absolute_url(), _("Answer the proposed follow-up"))
        else:
            link = (reverse("evaluations:propose", args=[mentorship.pk]), _("Propose a follow-up interview"))
        context = {
            "mentorship": mentorship,
            "interview": first,
            **action(*link),
        }
        for person in (mentorship.student, mentorship.mentor):
            yield Notice(person, mentorship, context)


def final_form_missing(now=None):
    """N days before the campaign ends, mentorships still open: the mentor, to fill the final form."""
    now = now or timezone.now()
    campaign = Campaign.objects.current()
    if campaign is None or not (
        campaign.campaign_ends - timedelta(days=campaign.final_form_reminder_days) <= now < campaign.campaign_ends
    ):
        return 0
    mentorships = Mentorship.objects.filter(campaign=campaign, status=Mentorship.Status.ACCEPTED).select_related(
        "student", "enrollment__alumnus", "campaign"
    )
    notices = (
        Notice(
            m.mentor,
            m,
            {
                "mentorship": m,
                "campaign": campaign,
                **action(m.get_absolute_url(), _("Open the mentorship")),
            },
        )
        for m in mentorships.iterator(chunk_size=CHUNK_SIZE)
    )
    return send_notices("final_form_missing", notices)
