"""What to do next and where a student stands: the personal area with the later steps' contributions."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from evaluations.factories import InterviewFactory
from evaluations.models import CoachingReferral, Evaluation, Interview
from mentoring.factories import CampaignFactory, MentorshipFactory
from roadbook.factories import RoadbookFactory
from roadbook.services import roadbook_submit

pytestmark = pytest.mark.django_db

ME = reverse("mentoring:me")


@pytest.fixture
def mentorship():
    CampaignFactory.in_matching()
    return MentorshipFactory.accepted()


def steps(client, user):
    client.force_login(user)
    return [(step.text, step.url) for step in client.get(ME).context["next_steps"]]


def texts(client, user):
    return " | ".join(text for text, _url in steps(client, user))


def test_a_new_pair_the_student_proposes_dates_and_prepares_the_road_book(client, mentorship):
    found = steps(client, mentorship.student)
    assert (
        "Propose one to three dates for your first interview.",
        f"/mentorships/{mentorship.pk}/interviews/new/",
    ) in found
    assert any(url == f"/mentorships/{mentorship.pk}/roadbook/" for _text, url in found)


def test_each_side_is_asked_to_answer_the_others_dates(client, mentorship):
    interview = InterviewFactory(mentorship=mentorship)  # proposed by the student
    assert "confirm one, or propose others" in texts(client, mentorship.mentor)
    assert "confirm one, or propose others" not in texts(client, mentorship.student)
    Interview.objects.filter(pk=interview.pk).update(proposed_by=mentorship.mentor)
    assert "confirm one, or propose others" in texts(client, mentorship.student)


def test_the_mentor_is_asked_to_read_the_road_book_then_to_fill_the_form(client, mentorship):
    interview = InterviewFactory.confirmed(mentorship=mentorship)
    roadbook_submit(roadbook=RoadbookFactory(mentorship=mentorship), student=mentorship.student)
    assert "sent you the road-book: read it" in texts(client, mentorship.mentor)
    client.get(reverse("roadbook:edit", args=[mentorship.pk]))  # the mentor reads it
    assert "sent you the road-book" not in texts(client, mentorship.mentor)
    with time_machine.travel(interview.start + timedelta(hours=1)):
        assert "Fill in the evaluation form of your interview" in texts(client, mentorship.mentor)


def test_after_the_first_interview_the_student_reads_the_feedback_asks_for_coaching_and_plans_a_follow_up(
    client, mentorship
):
    # Held yesterday: an interview is held once it has taken place and its form is completed.
    interview = InterviewFactory.confirmed(
        mentorship=mentorship, status=Interview.Status.HELD, start=timezone.now() - timedelta(days=1)
    )
    Evaluation.objects.create(interview=interview, kind="first", status=Evaluation.Status.COMPLETED)
    CoachingReferral.objects.create(mentorship=mentorship, recommended_by=mentorship.mentor, reason="x")
    found = texts(client, mentorship.student)
    assert "feedback and action plan" in found
    assert "recommends a free coaching session" in found
    assert "Agree on a follow-up interview" in found
    assert "Send your road-book" not in found
    assert "Fill in the evaluation form" not in texts(client, mentorship.mentor)


def test_nothing_stale_once_dates_are_agreed(client, mentorship):
    InterviewFactory.confirmed(mentorship=mentorship, start=timezone.now() + timedelta(days=5))
    found = texts(client, mentorship.student)
    assert "Propose one to three dates" not in found
    assert "confirm one" not in found


@pytest.mark.usefixtures("campaign")
class TestStudentTimeline:
    def current_step(self, client, mentorship):
        client.force_login(mentorship.student)
        [step] = [s for s in client.get(ME).context["timeline"] if s.is_current]
        return step.number

    def first_interview(self, mentorship, status):
        return Interview.objects.create(
            mentorship=mentorship,
            kind="first",
            status=status,
            mode="video",
            proposed_by=mentorship.student,
            start=timezone.now() + timedelta(days=5),
        )

    def test_step_two_until_the_first_interview_is_confirmed(self, client):
        mentorship = MentorshipFactory.accepted()
        assert self.current_step(client, mentorship) == 2
        self.first_interview(mentorship, "proposed")
        assert self.current_step(client, mentorship) == 2

    def test_step_three_once_confirmed_and_four_once_held(self, client):
        mentorship = MentorshipFactory.accepted()
        interview = self.first_interview(mentorship, "confirmed")
        assert self.current_step(client, mentorship) == 3
        interview.status = "held"
        interview.save()
        assert self.current_step(client, mentorship) == 4

    def test_a_pending_request_is_step_two(self, client):
        assert self.current_step(client, MentorshipFactory()) == 2
