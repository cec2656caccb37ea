"""Road-book reminders: due soon, and late. First interviews are read through the mentorship's
reverse relation; this app never imports the one that defines them."""

from datetime import timedelta

from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentoring.models import Campaign, Mentorship
from mentoring.notices import Notice, action, send_notices
from roadbook import rules

FIRST_CONFIRMED = Q(interviews__kind="first", interviews__status="confirmed")


def _unsent_with_a_first_interview(campaign, now):
    """Accepted mentorships whose road-book is not sent and whose first interview is still ahead."""
    return (
        Mentorship.objects.filter(campaign=campaign, status=Mentorship.Status.ACCEPTED)
        .filter(FIRST_CONFIRMED, interviews__start__gt=now)
        .exclude(roadbook__submitted_at__isnull=False)
        .annotate(first_start=Min("interviews__start", filter=FIRST_CONFIRMED))
        .select_related("student", "enrollment__alumnus", "campaign")
    )


def roadbook_due(now=None):
    """N days before the deadline (first interview − 3 days): students who have not sent it."""
    now = now or timezone.now()
    campaign = Campaign.objects.current()
    if campaign is None:
        return 0
    notices = []
    for mentorship in _unsent_with_a_first_interview(campaign, now):
        deadline = rules.roadbook_deadline(campaign, mentorship.first_start)
        if deadline - timedelta(days=campaign.roadbook_due_reminder_days) <= now < deadline:
            context = {
                "mentorship": mentorship,
                "deadline": deadline,
                "interview_start": mentorship.first_start,
                **action(f"/mentorships/{mentorship.pk}/roadbook/", _("Finish and send my road-book")),
            }
            notices.append(Notice(mentorship.student, mentorship, context, deadline.isoformat()))
    return send_notices("roadbook_due", notices)


def roadbook_late(now=None):
    """The deadline has passed and the road-book is not sent: the student and the mentor."""
    now = now or timezone.now()
    campaign = Campaign.objects.current()
    if campaign is None:
        return 0
    notices = []
    for mentorship in _unsent_with_a_first_interview(campaign, now):
        deadline = rules.roadbook_deadline(campaign, mentorship.first_start)
        if now < deadline:
            continue
        for person, path, label in [
            (mentorship.student, reverse("roadbook:edit", args=[mentorship.pk]), _("Send my road-book now")),
            (mentorship.mentor, mentorship.get_absolute_url(), _("Open the mentorship")),
        ]:
            context = {
                "mentorship": mentorship,
                "deadline": deadline,
                "interview_start": mentorship.first_start,
                **action(path, label),
            }
            notices.append(Notice(person, mentorship, context, deadline.isoformat()))
    return send_notices("roadbook_overdue", notices)
