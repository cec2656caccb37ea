"""Road-book reminders need first interviews: a cross-app test (roadbook × evaluations)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from evaluations.factories import InterviewFactory
from mentoring.factories import CampaignFactory
from roadbook import reminders
from roadbook.factories import RoadbookFactory
from roadbook.services import roadbook_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def interview():
    CampaignFactory.in_matching()
    return InterviewFactory.confirmed(start=(timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0))


def test_the_student_is_reminded_n_days_before_the_deadline(interview, on_commit):
    deadline = interview.start - timedelta(days=3)
    with time_machine.travel(deadline - timedelta(days=2, minutes=1)):
        assert reminders.roadbook_due() == 0
    with time_machine.travel(deadline - timedelta(days=2)), on_commit():
        assert reminders.roadbook_due() == 1
        assert reminders.roadbook_due() == 0
    assert [m.to for m in mail.outbox] == [[interview.mentorship.student.email]]
    assert f"/mentorships/{interview.mentorship.pk}/roadbook/" in mail.outbox[0].body
    with time_machine.travel(deadline):
        assert reminders.roadbook_due() == 0


def test_no_reminder_once_the_road_book_is_sent(interview):
    roadbook = RoadbookFactory(mentorship=interview.mentorship)
    roadbook_submit(roadbook=roadbook, student=interview.mentorship.student)
    with time_machine.travel(interview.start - timedelta(days=4)):
        assert reminders.roadbook_due() == 0
    with time_machine.travel(interview.start - timedelta(days=1)):
        assert reminders.roadbook_late() == 0


def test_late_road_book_tells_the_student_and_the_mentor_once(interview, on_commit):
    deadline = interview.start - timedelta(days=3)
    with time_machine.travel(deadline - timedelta(minutes=1)):
        assert reminders.roadbook_late() == 0
    with time_machine.travel(deadline), on_commit():
        assert reminders.roadbook_late() == 2
        assert reminders.roadbook_late() == 0
    mentorship = interview.mentorship
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentorship.student.email, mentorship.mentor.email])
    with time_machine.travel(interview.start + timedelta(minutes=1)):
        assert reminders.roadbook_late() == 0  # the interview has started: too late to matter
