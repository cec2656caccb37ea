"""The road-book against its first interview: lateness and the end of revisions (roadbook × evaluations)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from evaluations.factories import InterviewFactory
from roadbook.factories import RoadbookFactory
from roadbook.tests.test_roadbook import FULL, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


class TestRoadbookDeadline:
    def test_late_submission_is_accepted_recorded_and_both_are_told(self, client, on_commit):
        interview = InterviewFactory.confirmed(start=timezone.now() + timedelta(days=4))
        roadbook = RoadbookFactory(mentorship=interview.mentorship)
        deadline = interview.start - timedelta(days=3)
        with time_machine.travel(deadline + timedelta(minutes=1)), on_commit():
            client.force_login(roadbook.mentorship.student)
            data = {name: getattr(roadbook, name) for name in FULL} | {"submit": "1"}
            response = client.post(url(roadbook.mentorship), data, follow=True)
        assert "after the deadline" in response.content.decode()
        roadbook.refresh_from_db()
        assert roadbook.is_late
        kinds = sorted((m.to[0], m.subject) for m in mail.outbox)
        mentorship = roadbook.mentorship
        assert (mentorship.mentor.email, "The road-book arrived after its deadline") in kinds
        assert (mentorship.student.email, "The road-book arrived after its deadline") in kinds

    def test_on_time_at_the_deadline_minute(self):
        interview = InterviewFactory.confirmed(start=timezone.now() + timedelta(days=4))
        roadbook = RoadbookFactory(mentorship=interview.mentorship)
        from roadbook.services import roadbook_submit

        with time_machine.travel(interview.start - timedelta(days=3), tick=False):
            roadbook_submit(roadbook=roadbook, student=roadbook.mentorship.student)
        roadbook.refresh_from_db()
        assert not roadbook.is_late

    def test_no_change_after_the_first_interview_has_started(self, client):
        interview = InterviewFactory.confirmed(start=timezone.now() + timedelta(days=4))
        roadbook = RoadbookFactory(mentorship=interview.mentorship)
        client.force_login(roadbook.mentorship.student)
        with time_machine.travel(interview.start + timedelta(minutes=1)):
            response = client.post(
                url(roadbook.mentorship), {"professional_project": "Too late", "save": "1"}, follow=True
            )
        assert "can no longer change" in response.content.decode()
        roadbook.refresh_from_db()
        assert roadbook.professional_project != "Too late"
