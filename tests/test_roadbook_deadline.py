"""The road-book against its first interview: lateness and the end of revisions (roadbook × evaluations)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from evaluations.factories import InterviewFactory
from roadbook.factories import RoadbookFactory
from roadbook.tests.test_roadbook import FULL, url

pytestmark = pytest.mark.django_db


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

    def test_the_late_mail_names_the_deadline_and_the_interview_date(self, client, on_commit):
        from core.dates import local_datetime
        from roadbook.services import roadbook_submit

        interview = InterviewFactory.confirmed(start=timezone.now() + timedelta(days=4))
        roadbook = RoadbookFactory(mentorship=interview.mentorship)
        with time_machine.travel(interview.start - timedelta(days=2)), on_commit():
            roadbook_submit(roadbook=roadbook, student=interview.mentorship.student)
        [late] = [m for m in mail.outbox if m.to == [interview.mentorship.mentor.email] and "deadline" in m.subject]
        assert f"({local_datetime(interview.start - timedelta(days=3))})" in late.body
        assert f"for the first interview on {local_datetime(interview.start)}." in late.body

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


class TestCurrentDate:
    def test_a_submission_while_the_date_is_being_moved_is_judged_against_the_agreed_date(self, client, on_commit):
        from evaluations.models import Interview
        from roadbook.services import roadbook_submit

        interview = InterviewFactory.confirmed(start=timezone.now() + timedelta(days=4))
        Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.PROPOSED)  # new dates proposed
        roadbook = RoadbookFactory(mentorship=interview.mentorship)
        with time_machine.travel(interview.start - timedelta(days=2)), on_commit():
            roadbook_submit(roadbook=roadbook, student=interview.mentorship.student)
        roadbook.refresh_from_db()
        assert roadbook.is_late
        assert any(m.subject == "The road-book arrived after its deadline" for m in mail.outbox)

    def test_after_a_reschedule_that_respects_the_rule_the_road_book_is_no_longer_shown_late(self, client):
        from evaluations.services import interviews as interview_services
        from roadbook.services import roadbook_submit

        interview = InterviewFactory.confirmed(start=timezone.now() + timedelta(days=4))
        roadbook = RoadbookFactory(mentorship=interview.mentorship)
        with time_machine.travel(interview.start - timedelta(days=2)):
            roadbook_submit(roadbook=roadbook, student=interview.mentorship.student)
        client.force_login(interview.mentorship.mentor)
        assert "Keep the date" in client.get(interview.get_absolute_url()).content.decode()
        # The mentor moves the date through the services, which write the new deadline down.
        new_start = interview.start + timedelta(days=7)
        interview_services.interview_propose_other(
            interview=interview, by=interview.mentorship.mentor, starts=[new_start], reason="Time to read it."
        )
        slot = interview.slots.get(proposal_round=2)
        interview_services.interview_confirm(interview=interview, slot_id=slot.pk, by=interview.mentorship.student)
        page = client.get(interview.get_absolute_url()).content.decode()
        assert "Keep the date" not in page
        assert "sent late" not in page

    def test_the_mentor_cannot_keep_a_date_when_nothing_is_late(self, client):
        interview = InterviewFactory.confirmed(start=timezone.now() + timedelta(days=5))
        client.force_login(interview.mentorship.mentor)
        response = client.post(reverse("evaluations:keep_date", args=[interview.pk]), follow=True)
        assert "not late" in response.content.decode()
        interview.refresh_from_db()
        assert interview.late_roadbook_kept_at is None

    def test_keeping_the_date_tells_the_student(self, client, on_commit):
        from roadbook.services import roadbook_submit

        interview = InterviewFactory.confirmed(start=timezone.now() + timedelta(days=4))
        roadbook = RoadbookFactory(mentorship=interview.mentorship)
        with time_machine.travel(interview.start - timedelta(days=2)):
            roadbook_submit(roadbook=roadbook, student=interview.mentorship.student)
        client.force_login(interview.mentorship.mentor)
        with on_commit():
            client.post(reverse("evaluations:keep_date", args=[interview.pk]))
        assert [m.to for m in mail.outbox] == [[interview.mentorship.student.email]]
        assert "keeps the first interview" in mail.outbox[0].body

    def test_the_campaigns_number_of_days_is_what_pages_and_mails_say(self, client, django_capture_on_commit_callbacks):
        from evaluations.services import interviews as interview_services
        from mentoring.models import Campaign

        interview = InterviewFactory(slot__start=(timezone.now() + timedelta(days=8)).replace(second=0, microsecond=0))
        Campaign.objects.filter(pk=interview.mentorship.campaign_id).update(roadbook_min_days=5)
        interview.mentorship.campaign.refresh_from_db()
        client.force_login(interview.mentorship.student)
        page = client.get(interview.get_absolute_url()).content.decode()
        assert "5 days before" in page and "3 days" not in page
        with django_capture_on_commit_callbacks(execute=True):
            interview_services.interview_confirm(
                interview=interview, slot_id=interview.slots.get().pk, by=interview.mentorship.mentor
            )
        body = mail.outbox[0].body
        assert "at least 5 days before" in body
        assert "by " in body


def test_text_sent_after_the_lock_is_shown_back_to_copy(client):
    interview = InterviewFactory.confirmed(start=timezone.now() + timedelta(days=4))
    roadbook = RoadbookFactory(mentorship=interview.mentorship)
    client.force_login(roadbook.mentorship.student)
    with time_machine.travel(interview.start + timedelta(minutes=5)):
        response = client.post(url(roadbook.mentorship), {"professional_project": "TYPED_AFTER_LOCK", "save": "1"})
    content = response.content.decode()
    assert "can no longer change" in content
    assert "TYPED_AFTER_LOCK" in content
    roadbook.refresh_from_db()
    assert roadbook.professional_project != "TYPED_AFTER_LOCK"
