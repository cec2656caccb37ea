"""Every road-book and evaluation sweep selects its targets in a fixed number of queries: the same
for 5 targets as for 500 (issue 6.3). "Now" is placed where each sweep fires."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import notices
from core.models import SentNotice
from evaluations import reminders as evaluation_reminders
from evaluations.factories import InterviewFactory
from evaluations.models import Interview
from mentoring.factories import CampaignFactory, EnrollmentFactory, MentorshipFactory
from roadbook import reminders as roadbook_reminders

pytestmark = pytest.mark.django_db


def _start():
    return (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)


def _interviews(status=Interview.Status.CONFIRMED):
    def make(n, enrollment, start):
        for _ in range(n):
            InterviewFactory.confirmed(start=start, status=status, mentorship__enrollment=enrollment)

    return make


def _mentorships(n, enrollment, start):
    for _ in range(n):
        MentorshipFactory.accepted(enrollment=enrollment)


# (sweep, how to make n targets, where "now" is for the sweep to fire, notices per target)
SWEEPS = {
    "roadbook_due": (roadbook_reminders.roadbook_due, _interviews(), lambda c, start: start - timedelta(days=4), 1),
    "roadbook_late": (roadbook_reminders.roadbook_late, _interviews(), lambda c, start: start - timedelta(days=1), 2),
    "interview_tomorrow": (
        evaluation_reminders.interview_tomorrow,
        _interviews(),
        lambda c, start: start - timedelta(hours=12),
        2,
    ),
    "evaluation_pending": (
        evaluation_reminders.evaluation_pending,
        _interviews(),
        lambda c, start: start + timedelta(days=c.evaluation_pending_reminder_days, hours=1),
        1,
    ),
    "no_follow_up": (
        evaluation_reminders.no_follow_up,
        _interviews(Interview.Status.HELD),
        lambda c, start: start + timedelta(weeks=c.no_follow_up_reminder_weeks, days=1),
        2,
    ),
    "final_form_missing": (
        evaluation_reminders.final_form_missing,
        _mentorships,
        lambda c, start: c.campaign_ends - timedelta(days=c.final_form_reminder_days, hours=-1),
        1,
    ),
}


def _counts(sweep, moment):
    # Content types are cached per process: clear them so both runs measure the same work.
    ContentType.objects.clear_cache()
    with time_machine.travel(moment, tick=False), CaptureQueriesContext(connection) as queries:
        sweep()
    statements = [q["sql"] for q in queries.captured_queries]
    return sum(s.lstrip().upper().startswith("SELECT") for s in statements), len(statements)


@pytest.mark.parametrize("name", list(SWEEPS))
def test_a_sweep_takes_the_same_number_of_queries_for_5_and_500_targets(name, monkeypatch, one_way_into_the_outbox):
    sweep, make_targets, when, per_target = SWEEPS[name]
    # Both runs in one chunk: a sweep takes the same queries for every chunk of CHUNK_SIZE notices
    # (tests/test_notice_batches.py), so past one chunk its queries grow by chunk, not by target.
    monkeypatch.setattr(notices, "CHUNK_SIZE", 1000)
    campaign = CampaignFactory.in_matching()
    # One mentor for every mentorship keeps the setup fast; each mentorship is still a target of its own.
    enrollment = EnrollmentFactory(campaign=campaign, capacity=600)
    start = _start()
    moment = when(campaign, start)
    make_targets(5, enrollment, start)
    few = _counts(sweep, moment)
    assert SentNotice.objects.count() == 5 * per_target
    SentNotice.objects.all().delete()
    make_targets(495, enrollment, start)
    many = _counts(sweep, moment)
    assert SentNotice.objects.count() == 500 * per_target
    assert few[0] == many[0]
    if connection.vendor == "postgresql":
        # SQLite splits a large insert into batches of 999 parameters; PostgreSQL does not.
        assert few[1] == many[1]
