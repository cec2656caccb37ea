"""A record can't be corrupted by two clicks, nor by a second tab: a form's write sees what a
service did to the row meanwhile (the row as the view loaded it is stale by then)."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.errors import RuleError
from core.models import SentNotice
from evaluations.factories import InterviewFactory
from evaluations.models import Evaluation, Interview
from evaluations.services import evaluations as evaluation_services
from evaluations.services import interviews as interview_services
from mentoring import services as mentoring_services
from mentoring.factories import MentorshipFactory
from mentoring.models import Mentorship, Message
from roadbook import services as roadbook_services
from roadbook.factories import RoadbookFactory
from roadbook.models import RoadbookVersion

pytestmark = pytest.mark.django_db


class TestMessages:
    def test_a_double_click_on_send_posts_once_and_mails_once(self, client):
        mentorship = MentorshipFactory.accepted()
        client.force_login(mentorship.student)
        url = reverse("mentoring:mentorship_message", args=[mentorship.pk])

        first = client.post(url, {"body": "Would Tuesday suit you?"})
        second = client.post(url, {"body": "Would Tuesday suit you? "})

        # The second click gets the first one's answer.
        assert first.status_code == second.status_code == 302
        assert first["Location"] == second["Location"]
        assert Message.objects.count() == 1
        assert SentNotice.objects.filter(kind="message_received").count() == 1

    def test_the_same_words_later_or_from_the_other_side_are_sent(self):
        mentorship = MentorshipFactory.accepted()
        post = mentoring_services.message_post
        first = post(mentorship=mentorship, author=mentorship.student, body="Thanks!")
        assert post(mentorship=mentorship, author=mentorship.student, body="Thanks!") == first
        post(mentorship=mentorship, author=mentorship.mentor, body="Thanks!")
        with time_machine.travel(timezone.now() + timedelta(seconds=11)):
            post(mentorship=mentorship, author=mentorship.student, body="Thanks!")
        assert Message.objects.count() == 3
        assert SentNotice.objects.filter(kind="message_received").count() == 3

    def test_a_thread_closed_after_the_page_loaded_takes_no_message(self):
        mentorship = MentorshipFactory.accepted()  # as the view loaded it
        Mentorship.objects.filter(pk=mentorship.pk).update(status=Mentorship.Status.CLOSED)
        with pytest.raises(RuleError, match="no longer open to messages"):
            mentoring_services.message_post(mentorship=mentorship, author=mentorship.student, body="hello?")
        assert not Message.objects.exists()


@pytest.fixture
def follow_up():
    """A confirmed follow-up interview that started an hour ago, its form (kind follow-up) saved."""
    start = (timezone.now() - timedelta(hours=1)).replace(second=0, microsecond=0)
    with time_machine.travel(start - timedelta(days=5)):
        first = InterviewFactory.confirmed(start=start - timedelta(days=1))
        interview = InterviewFactory.confirmed_follow_up(first.mentorship, start=start)
    evaluation = evaluation_services.evaluation_create(interview=interview, mentor=interview.mentorship.mentor)
    evaluation_services.evaluation_save_draft(
        evaluation=evaluation,
        mentor=interview.mentorship.mentor,
        values={
            "situation": "searching",
            "progress": "Two interviews.",
            "next_steps": "Follow up.",
            "next_meeting_to_be_agreed": True,
        },
    )
    return evaluation


class TestEvaluations:
    def test_switching_to_the_final_form_after_it_was_completed_in_another_tab_is_refused(self, follow_up):
        mentor = follow_up.interview.mentorship.mentor
        stale = Evaluation.objects.get(pk=follow_up.pk)  # the page as the second tab loaded it
        evaluation_services.evaluation_complete(evaluation=follow_up, mentor=mentor)

        with pytest.raises(RuleError):
            evaluation_services.switch_to_final(evaluation=stale, mentor=mentor)

        follow_up.refresh_from_db()
        assert follow_up.kind == Evaluation.Kind.FOLLOW_UP
        assert follow_up.is_completed

    def test_a_draft_after_completion_is_refused_and_changes_nothing(self, follow_up):
        mentor = follow_up.interview.mentorship.mentor
        stale = Evaluation.objects.get(pk=follow_up.pk)
        evaluation_services.evaluation_complete(evaluation=follow_up, mentor=mentor)
        with pytest.raises(RuleError, match="completed"):
            evaluation_services.evaluation_save_draft(evaluation=stale, mentor=mentor, values={"progress": "Changed"})
        follow_up.refresh_from_db()
        assert follow_up.progress == "Two interviews."


class TestRoadbook:
    def test_a_submission_sees_a_section_emptied_meanwhile(self):
        roadbook = RoadbookFactory()
        student = roadbook.mentorship.student
        stale = type(roadbook).objects.get(pk=roadbook.pk)  # the page as the submit loaded it
        roadbook_services.roadbook_save_draft(roadbook=roadbook, student=student, sections={"targets": ""})

        with pytest.raises(RuleError, match="still empty"):
            roadbook_services.roadbook_submit(roadbook=stale, student=student)

        assert not RoadbookVersion.objects.exists()

    def test_sending_twice_makes_one_version_and_one_mail(self):
        roadbook = RoadbookFactory()
        student = roadbook.mentorship.student
        stale = type(roadbook).objects.get(pk=roadbook.pk)
        roadbook_services.roadbook_submit(roadbook=roadbook, student=student)
        with pytest.raises(RuleError, match="Nothing changed"):
            roadbook_services.roadbook_submit(roadbook=stale, student=student)
        assert RoadbookVersion.objects.count() == 1
        assert SentNotice.objects.filter(kind="roadbook_submitted").count() == 1


class TestInterviews:
    def test_a_double_click_on_new_dates_proposes_them_once(self, client):
        interview = InterviewFactory()  # proposed by the student
        client.force_login(interview.mentorship.mentor)
        url = reverse("evaluations:propose_other", args=[interview.pk])
        new = timezone.localtime(timezone.now() + timedelta(days=8)).strftime("%Y-%m-%dT%H:%M")

        first = client.post(url, {"slot_1": new})
        second = client.post(url, {"slot_1": new})

        assert first.status_code == second.status_code == 302
        interview.refresh_from_db()
        assert interview.proposal_round == 2
        assert interview.slots.count() == 2
        assert SentNotice.objects.filter(kind="interview_proposed").count() == 1

    def test_keeping_the_date_of_an_interview_cancelled_meanwhile_sends_nothing(self):
        start = timezone.now() + timedelta(days=1)
        interview = InterviewFactory.confirmed(start=start)
        roadbook = interview.mentorship.roadbook
        type(roadbook).objects.filter(pk=roadbook.pk).update(due_at=timezone.now() - timedelta(hours=1))
        stale = Interview.objects.select_related("mentorship").get(pk=interview.pk)
        interview_services.interview_cancel(interview=interview, by=interview.mentorship.student, reason="Ill")

        with pytest.raises(RuleError):
            interview_services.interview_keep_despite_late_roadbook(interview=stale, by=stale.mentorship.mentor)

        interview.refresh_from_db()
        assert interview.late_roadbook_kept_at is None
        assert not SentNotice.objects.filter(kind="interview_date_kept").exists()


class TestProfile:
    def test_saving_the_profile_keeps_a_password_and_a_deactivation_made_meanwhile(self, rf, staff_user):
        from accounts import views

        stale = User.objects.get(pk=staff_user.pk)  # request.user, loaded as the request began
        new_password = make_password("a-new-password-42")
        User.objects.filter(pk=staff_user.pk).update(password=new_password, is_active=False)
        request = rf.post(
            reverse("accounts:profile"),
            {
                "user-first_name": "Ada",
                "user-last_name": "Lovelace",
                "user-language": "fr",
                "staff-staff_notices": "digest",
            },
        )
        request.user = stale
        request.session = SessionStore()
        request._messages = FallbackStorage(request)

        assert views.profile(request).status_code == 302

        staff_user.refresh_from_db()
        assert (staff_user.first_name, staff_user.language, staff_user.staff_notices) == ("Ada", "fr", "digest")
        assert staff_user.password == new_password
        assert not staff_user.is_active
