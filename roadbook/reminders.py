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
from roadbook.services import FIRST_KIND, WITH_A_DATE

# The first interview's agreed date, also while new dates are being proposed (as services.first_interview).
FIRST_WITH_A_DATE = Q(interviews__kind=FIRST_KIND, interviews__status__in=WITH_A_DATE, interviews__start__isnull=False)


def _unsent_with_deadlines(now):
    """(mentorship, deadline) for the current campaign's accepted mentorships whose road-book is
    not sent and whose first interview is still ahead: two queries, whatever their number."""
    campaign = Campaign.objects.current()
    if campaign is None:
        return
    mentorships = (
        Mentorship.objects.filter(campaign=campaign, status=Mentorship.Status.ACCEPTED)
        .filter(FIRST_WITH_A_DATE, interviews__start__gt=now)
        .exclude(roadbook__submitted_at__isnull=False)
        .annotate(first_start=Min("interviews__start", filter=FIRST_WITH_A_DATE))
        .select_related("student", "enrollment__alumnus", "campaign")
    )
    for mentorship in mentorships:
        yield mentorship, rules.roadbook_deadline(campaign, mentorship.first_start)


def _context(mentorship, deadline, path, label):
    return {
        "mentorship": mentorship,
        "deadline": deadline,
        "interview_start": mentorship.first_start,
        **action(path, label),
    }


def roadbook_due(now=None):
    """N days before the deadline (first interview − 3 days): students who have not sent it."""
    now = now or timezone.now()
    notices = []
    for mentorship, deadline in _unsent_with_deadlines(now):
        days = mentorship.campaign.roadbook_due_reminder_days
        if deadline - timedelta(days=days) <= now < deadline:
            path = reverse("roadbook:edit", args=[mentorship.pk])
            context = _context(mentorship, deadline, path, _("Finish and send my road-book"))
            notices.append(Notice(mentorship.student, mentorship, context, deadline.isoformat()))
    return send_notices("roadbook_due", notices)


def roadbook_late(now=None):
    """The deadline has passed and the road-book is not sent: the student and the mentor."""
    now = now or timezone.now()
    notices = []
    for mentorship, deadline in _unsent_with_deadlines(now):
        if now < deadline:
            continue
        for person, path, label in [
            (mentorship.student, reverse("roadbook:edit", args=[mentorship.pk]), _("Send my road-book now")),
            (mentorship.mentor, mentorship.get_absolute_url(), _("Open the mentorship")),
        ]:
            context = _context(mentorship, deadline, path, label)
            notices.append(Notice(person, mentorship, context, deadline.isoformat()))
    return send_notices("roadbook_overdue", notices)
