from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from evaluations import reminders
from evaluations.factories import InterviewFactory
from evaluations.models import Evaluation, Interview
from mentoring.factories import CampaignFactory, MentorshipFactory
from mentoring.models import Mentorship

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return CampaignFactory.in_matching()


def recipients():
    return sorted(m.to[0] for m in mail.outbox)


def pair(interview):
    return sorted([interview.mentorship.student.email, interview.mentorship.mentor.email])


class TestInterviewTomorrow:
    def test_both_sides_once_within_24_hours(self, campaign, on_commit):
        interview = InterviewFactory.confirmed()
        InterviewFactory()  # only proposed: no reminder
        with time_machine.travel(interview.start - timedelta(hours=24, minutes=1)):
            assert reminders.interview_tomorrow() == 0
        with time_machine.travel(interview.start - timedelta(hours=24)), on_commit():
            assert reminders.interview_tomorrow() == 2
            assert reminders.interview_tomorrow() == 0
        assert recipients() == pair(interview)
        assert interview.get_absolute_url() in mail.outbox[0].body

    def test_a_moved_interview_is_reminded_again(self, campaign, on_commit):
        interview = InterviewFactory.confirmed()
        with time_machine.travel(interview.start - timedelta(hours=2)), on_commit():
            reminders.interview_tomorrow()
        Interview.objects.filter(pk=interview.pk).update(start=interview.start + timedelta(days=1))
        with time_machine.travel(interview.start + timedelta(hours=2)), on_commit():
            assert reminders.interview_tomorrow() == 2


class TestEvaluationPending:
    def test_the_mentor_is_reminded_n_days_after_an_interview_without_completed_form(self, campaign, on_commit):
        interview = InterviewFactory.confirmed()
        done = InterviewFactory.confirmed()
        Evaluation.objects.create(interview=done, kind="first", status=Evaluation.Status.COMPLETED)
        Interview.objects.filter(pk=done.pk).update(status=Interview.Status.HELD)
        moment = interview.start + timedelta(days=2)
        with time_machine.travel(moment - timedelta(minutes=1)):
            assert reminders.evaluation_pending() == 0
        with time_machine.travel(moment), on_commit():
            assert reminders.evaluation_pending() == 1
            assert reminders.evaluation_pending() == 0
        assert recipients() == [interview.mentorship.mentor.email]
        assert f"/interviews/{interview.pk}/" in mail.outbox[0].body


class TestNoFollowUp:
    def test_both_sides_n_weeks_after_a_held_first_interview_without_follow_up(self, campaign, on_commit):
        held = InterviewFactory.confirmed(status=Interview.Status.HELD)
        with_follow_up = InterviewFactory.confirmed(status=Interview.Status.HELD)
        InterviewFactory.confirmed(mentorship=with_follow_up.mentorship, kind=Interview.Kind.FOLLOW_UP)
        # Proposed, never confirmed: the follow-up may never happen, so both are reminded.
        only_proposed = InterviewFactory.confirmed(status=Interview.Status.HELD)
        InterviewFactory(mentorship=only_proposed.mentorship, kind=Interview.Kind.FOLLOW_UP)
        moment = held.start + timedelta(weeks=6)
        with time_machine.travel(moment - timedelta(minutes=1)):
            assert reminders.no_follow_up() == 0
        with time_machine.travel(moment), on_commit():
            assert reminders.no_follow_up() == 4
            assert reminders.no_follow_up() == 0
        assert recipients() == sorted(pair(held) + pair(only_proposed))
        body = {m.to[0]: m.body for m in mail.outbox}
        assert f"/mentorships/{held.mentorship.pk}/interviews/new/" in body[held.mentorship.student.email]
        waiting = body[only_proposed.mentorship.student.email]
        assert f"/mentorships/{only_proposed.mentorship.pk}/" in waiting and "/interviews/new/" not in waiting


class TestFinalFormMissing:
    def test_mentors_of_open_mentorships_n_days_before_the_end(self, campaign, on_commit):
        open_ = MentorshipFactory.accepted()
        MentorshipFactory(status=Mentorship.Status.CLOSED)
        moment = campaign.campaign_ends - timedelta(days=14)
        with time_machine.travel(moment - timedelta(minutes=1)):
            assert reminders.final_form_missing() == 0
        with time_machine.travel(moment), on_commit():
            assert reminders.final_form_missing() == 1
            assert reminders.final_form_missing() == 0
        with time_machine.travel(campaign.campaign_ends):
            assert reminders.final_form_missing() == 0
        assert recipients() == [open_.mentor.email]
