"""Actions that send someone a mail are limited per user: over the limit, the page says to wait,
and nothing is written or sent; other people act as before."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from core.models import SentNotice
from core.ratelimit import parse_rate
from evaluations.factories import InterviewFactory
from evaluations.models import Interview
from mentoring.factories import CampaignFactory, EnrollmentFactory, MentorshipFactory
from mentoring.models import Mentorship, Message

pytestmark = pytest.mark.django_db

TOO_MANY_MESSAGES = "You have sent many messages in a short time; wait a few minutes."
TOO_MANY_REQUESTS = "You have chosen or withdrawn mentors many times in a short time; wait a few minutes."
TOO_MANY_PROPOSALS = "You have proposed many interview dates in a short time; wait a few minutes."


@pytest.fixture
def limits(settings):
    def set_limits(**rates):
        settings.ACTION_RATE_LIMITS = {**settings.ACTION_RATE_LIMITS, **rates}

    return set_limits


def sent(kind):
    return SentNotice.objects.filter(kind=kind).count()


def test_the_defaults_are_sensible():
    assert parse_rate(django_settings.ACTION_RATE_LIMITS["message"]) == (20, 3600)
    assert parse_rate(django_settings.ACTION_RATE_LIMITS["mentor_request"]) == (5, 3600)
    assert parse_rate(django_settings.ACTION_RATE_LIMITS["interview_proposal"]) == (10, 3600)
    assert parse_rate("3/10m") == (3, 600)
    assert parse_rate("") is None
    with pytest.raises(ValueError):
        parse_rate("often")


class TestMessages:
    def post(self, client, mentorship, body):
        return client.post(reverse("mentoring:mentorship_message", args=[mentorship.pk]), {"body": body})

    def test_over_the_limit_the_page_says_to_wait_and_nothing_is_sent(self, client, limits):
        limits(message="3/h")
        mentorship = MentorshipFactory.accepted()
        client.force_login(mentorship.student)
        for n in range(3):
            assert self.post(client, mentorship, f"Message {n}").status_code == 302

        response = self.post(client, mentorship, "One too many")

        assert response.status_code == 429
        assert TOO_MANY_MESSAGES in response.content.decode()
        assert "One too many" in response.content.decode()  # what was typed is kept
        assert Message.objects.count() == 3
        assert sent("message_received") == 3

    def test_the_other_side_and_other_people_are_not_affected(self, client, limits):
        limits(message="2/h")
        mentorship = MentorshipFactory.accepted()
        client.force_login(mentorship.student)
        for n in range(3):
            self.post(client, mentorship, f"Message {n}")
        client.force_login(mentorship.mentor)
        assert self.post(client, mentorship, "The mentor answers").status_code == 302
        other = MentorshipFactory.accepted()
        client.force_login(other.student)
        assert self.post(client, other, "Another student writes").status_code == 302
        assert Message.objects.count() == 4

    def test_an_hour_later_the_student_writes_again(self, client, limits):
        limits(message="1/h")
        mentorship = MentorshipFactory.accepted()
        client.force_login(mentorship.student)
        self.post(client, mentorship, "First")
        assert self.post(client, mentorship, "Second").status_code == 429
        with time_machine.travel(timezone.now() + timedelta(minutes=61)):
            assert self.post(client, mentorship, "Second").status_code == 302
        assert Message.objects.count() == 2

    def test_a_refused_message_costs_nothing(self, client, limits):
        limits(message="1/h")
        mentorship = MentorshipFactory.accepted()
        client.force_login(mentorship.student)
        self.post(client, mentorship, "   ")
        assert self.post(client, mentorship, "Now with words").status_code == 302


class TestMentorRequests:
    def choose(self, client, enrollment, message="Your path inspires me."):
        return client.post(reverse("mentoring:choose_mentor", args=[enrollment.pk]), {"message": message})

    def withdraw(self, client, mentorship):
        return client.post(reverse("mentoring:mentorship_withdraw", args=[mentorship.pk]))

    def test_requests_and_withdrawals_count_together_and_over_the_limit_nothing_is_sent(self, client, student, limits):
        limits(mentor_request="3/h")
        CampaignFactory.in_matching()
        first, second, third = EnrollmentFactory(), EnrollmentFactory(), EnrollmentFactory()
        client.force_login(student)
        self.choose(client, first)
        self.withdraw(client, Mentorship.objects.get(enrollment=first))
        self.choose(client, second)
        self.withdraw(client, Mentorship.objects.get(enrollment=second))

        response = self.choose(client, third, "Please, I typed this carefully.")

        assert response.status_code == 429
        content = response.content.decode()
        assert TOO_MANY_REQUESTS in content
        assert "Please, I typed this carefully." in content
        assert not Mentorship.objects.filter(enrollment=third).exists()
        assert sent("request_received") == 2
        assert sent("request_withdrawn") == 2

    def test_a_pending_request_can_always_be_withdrawn(self, client, student, limits):
        limits(mentor_request="1/h")
        CampaignFactory.in_matching()
        enrollment = EnrollmentFactory()
        client.force_login(student)
        self.choose(client, enrollment)
        self.withdraw(client, Mentorship.objects.get())
        assert Mentorship.objects.get().status == Mentorship.Status.WITHDRAWN
        assert sent("request_withdrawn") == 1

    def test_a_refused_request_costs_nothing_and_others_are_not_affected(self, client, student, limits):
        limits(mentor_request="1/h")
        CampaignFactory.in_matching()
        full = EnrollmentFactory(capacity=1)
        MentorshipFactory.accepted(enrollment=full)
        client.force_login(student)
        assert "no free place left" in self.choose(client, full).content.decode()
        assert self.choose(client, EnrollmentFactory()).status_code == 302
        self.withdraw(client, Mentorship.objects.get(student=student))
        assert self.choose(client, EnrollmentFactory()).status_code == 429
        other = MentorshipFactory.accepted().student  # a student of the same campaign
        Mentorship.objects.filter(student=other).delete()
        client.force_login(other)
        assert self.choose(client, EnrollmentFactory()).status_code == 302


def proposal(*starts):
    data = {"duration_minutes": "60", "mode": "video", "link": "https://meet.example.org/abc", "place": "", "phone": ""}
    for i, start in enumerate(starts, 1):
        data[f"slot_{i}"] = timezone.localtime(start).strftime("%Y-%m-%dT%H:%M")
    return data


def in_days(days):
    return (timezone.now() + timedelta(days=days)).replace(second=0, microsecond=0)


class TestInterviewProposals:
    def propose(self, client, mentorship, days=5):
        return client.post(reverse("evaluations:propose", args=[mentorship.pk]), proposal(in_days(days)))

    def test_over_the_limit_no_interview_is_proposed(self, client, limits):
        limits(interview_proposal="2/h")
        mentorship = MentorshipFactory.accepted()
        client.force_login(mentorship.student)
        assert self.propose(client, mentorship).status_code == 302
        interview = Interview.objects.get()
        moved = client.post(reverse("evaluations:propose_other", args=[interview.pk]), {"slot_1": "x"})
        assert moved.status_code == 200  # an invalid form costs nothing
        client.post(
            reverse("evaluations:propose_other", args=[interview.pk]),
            {"slot_1": timezone.localtime(in_days(6)).strftime("%Y-%m-%dT%H:%M")},
        )
        interview.refresh_from_db()
        assert interview.proposal_round == 2
        client.post(reverse("evaluations:cancel", args=[interview.pk]), {"reason": "Something came up"})

        response = self.propose(client, mentorship, days=7)

        assert response.status_code == 429
        assert TOO_MANY_PROPOSALS in response.content.decode()
        assert Interview.objects.count() == 1
        assert sent("interview_proposed") == 2

    def test_new_dates_over_the_limit_are_refused_and_the_other_side_is_not_affected(self, client, limits):
        limits(interview_proposal="1/h")
        interview = InterviewFactory()  # proposed by the student, outside the service
        mentorship = interview.mentorship
        client.force_login(mentorship.mentor)
        other_dates = reverse("evaluations:propose_other", args=[interview.pk])
        date = timezone.localtime(in_days(6)).strftime("%Y-%m-%dT%H:%M")
        assert client.post(other_dates, {"slot_1": date}).status_code == 302
        client.force_login(mentorship.student)
        date = timezone.localtime(in_days(7)).strftime("%Y-%m-%dT%H:%M")
        assert client.post(other_dates, {"slot_1": date}).status_code == 302
        client.force_login(mentorship.mentor)
        date = timezone.localtime(in_days(8)).strftime("%Y-%m-%dT%H:%M")

        response = client.post(other_dates, {"slot_1": date})

        assert response.status_code == 429
        assert TOO_MANY_PROPOSALS in response.content.decode()
        interview.refresh_from_db()
        assert interview.proposal_round == 3  # the mentor's and the student's rounds, not a third
        assert sent("interview_proposed") == 2
