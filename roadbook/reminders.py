"""Road-book reminders: due soon, and late. Both read the deadline the road-book stores."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.notices import CHUNK_SIZE, Notice, action, send_notices
from mentoring.models import Campaign, Mentorship
from roadbook.models import Roadbook


def _unsent_with_deadlines(now):
    """(mentorship, deadline) for the current campaign's accepted mentorships whose road-book is
    not sent and whose first interview is still ahead: one query, whatever their number, read as a
    stream."""
    campaign = Campaign.objects.current()
    if campaign is None:
        return
    roadbooks = Roadbook.objects.filter(
        mentorship__campaign=campaign,
        mentorship__status=Mentorship.Status.ACCEPTED,
        submitted_at__isnull=True,
        first_interview_at__gt=now,
        due_at__isnull=False,
    ).select_related("mentorship__student", "mentorship__enrollment__alumnus", "mentorship__campaign")
    for roadbook in roadbooks.iterator(chunk_size=CHUNK_SIZE):
        yield roadbook.mentorship, roadbook


def _context(mentorship, roadbook, path, label):
    return {
        "mentorship": mentorship,
        "deadline": roadbook.due_at,
        "interview_start": roadbook.first_interview_at,
        **action(path, label),
    }


def roadbook_due(now=None):
    """N days before the deadline (first interview − 3 days): students who have not sent it."""
    now = now or timezone.now()
    return send_notices("roadbook_due", _due_notices(now))


def _due_notices(now):
    for mentorship, roadbook in _unsent_with_deadlines(now):
        days = mentorship.campaign.roadbook_due_reminder_days
        if roadbook.due_at - timedelta(days=days) <= now < roadbook.due_at:
            path = reverse("roadbook:edit", args=[mentorship.pk])
            context = _context(mentorship, roadbook, path, _("Finish and send my road-book"))
            yield Notice(mentorship.student, mentorship, context, roadbook.due_at.isoformat())


def roadbook_late(now=None):
    """The deadline has passed and the road-book is not sent: the student and the mentor."""
    now = now or timezone.now()
    return send_notices("roadbook_overdue", _late_notices(now))


def _late_notices(now):
    for mentorship, roadbook in _unsent_with_deadlines(now):
        if now < roadbook.due_at:
            continue
        for person, path, label in [
            (mentorship.student, reverse("roadbook:edit", args=[mentorship.pk]), _("Send my road-book now")),
            (mentorship.mentor, mentorship.get_absolute_url(), _("Open the mentorship")),
        ]:
            context = _context(mentorship, roadbook, path, label)
            yield Notice(person, mentorship, context, roadbook.due_at.isoformat())
