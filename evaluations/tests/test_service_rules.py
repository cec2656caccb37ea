"""Rules that the services enforce themselves, whatever a view checked before calling them."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.errors import RuleError
from evaluations.factories import InterviewFactory
from evaluations.models import CoachingReferral, Interview
from evaluations.services import coaching, interviews
from mentoring.factories import MentorshipFactory
from roadbook.models import Roadbook

pytestmark = pytest.mark.django_db


def _propose(mentorship, by, kind, days=6):
    return interviews.interview_propose(
        mentorship=mentorship,
        by=by,
        kind=kind,
        starts=[timezone.now() + timedelta(days=days)],
        duration_minutes=60,
        mode="phone",
        phone="0102030405",
    )


class TestOneActiveInterview:
    @pytest.fixture
    def after_first(self, campaign):
        mentorship = MentorshipFactory.accepted(campaign=campaign)
        InterviewFactory.confirmed(mentorship=mentorship, start=timezone.now() - timedelta(days=2))
        mentorship.interviews.update(status=Interview.Status.HELD)
        return mentorship

    def test_a_second_follow_up_called_directly_is_refused(self, after_first):
        _propose(after_first, after_first.mentor, "follow_up")
        with pytest.raises(RuleError, match="already scheduled or proposed"):
            _propose(after_first, after_first.student, "follow_up", days=8)
        assert after_first.interviews.filter(status__in=Interview.ACTIVE).count() == 1

    def test_the_database_refuses_two_active_interviews(self, after_first):
        _propose(after_first, after_first.mentor, "follow_up")
        with pytest.raises(IntegrityError), transaction.atomic():
            Interview.objects.create(
                mentorship=after_first, kind="follow_up", mode="phone", proposed_by=after_first.mentor
            )

    def test_a_follow_up_after_a_cancelled_one_is_fine(self, after_first):
        follow_up = _propose(after_first, after_first.mentor, "follow_up")
        interviews.interview_cancel(interview=follow_up, by=after_first.mentor, reason="Travelling.")
        assert _propose(after_first, after_first.student, "follow_up", days=8).status == Interview.Status.PROPOSED


class TestRoadbookDeadlineWrittenDown:
    def test_confirm_move_and_cancel_keep_the_stored_deadline_current(self, campaign):
        mentorship = MentorshipFactory.accepted(campaign=campaign)
        first = _propose(mentorship, mentorship.student, "first", days=6)
        assert not Roadbook.objects.filter(mentorship=mentorship).exists()  # no date agreed yet

        interviews.interview_confirm(interview=first, slot_id=first.slots.get().pk, by=mentorship.mentor)
        first.refresh_from_db()
        roadbook = Roadbook.objects.get(mentorship=mentorship)
        assert roadbook.first_interview_at == first.start
        assert roadbook.due_at == first.start - timedelta(days=campaign.roadbook_min_days)

        later = (first.start + timedelta(days=2)).replace(second=0, microsecond=0)
        interviews.interview_propose_other(interview=first, by=mentorship.mentor, starts=[later], reason="Away.")
        roadbook.refresh_from_db()
        assert roadbook.first_interview_at == first.start  # the agreed date holds while it is being moved
        interviews.interview_confirm(
            interview=first, slot_id=first.slots.get(proposal_round=2).pk, by=mentorship.student
        )
        roadbook.refresh_from_db()
        assert roadbook.first_interview_at == later
        assert roadbook.due_at == later - timedelta(days=campaign.roadbook_min_days)

        interviews.interview_cancel(interview=first, by=mentorship.student, reason="Ill.")
        roadbook.refresh_from_db()
        assert roadbook.first_interview_at is None and roadbook.due_at is None

    def test_a_draft_keeps_its_text_when_the_date_is_written(self, campaign):
        mentorship = MentorshipFactory.accepted(campaign=campaign)
        Roadbook.objects.create(mentorship=mentorship, professional_project="Typed before the date")
        InterviewFactory.confirmed(mentorship=mentorship)
        roadbook = Roadbook.objects.get(mentorship=mentorship)
        assert roadbook.professional_project == "Typed before the date"
        assert roadbook.due_at is not None


class TestCoachingMovesThroughTheService:
    @pytest.fixture
    def referral(self, campaign):
        mentorship = MentorshipFactory.accepted(campaign=campaign)
        return coaching.coaching_recommend(mentorship=mentorship, mentor=mentorship.mentor, reason="Interviews.")

    def test_a_jump_is_refused_and_names_the_field(self, referral):
        with pytest.raises(RuleError) as refused:
            coaching.coaching_staff_update(referral=referral, status="done", scheduled_for=None, staff_note="")
        assert refused.value.field == "status"
        referral.refresh_from_db()
        assert referral.status == CoachingReferral.Status.RECOMMENDED

    def test_scheduling_tells_the_student_once(self, referral, on_commit):
        CoachingReferral.objects.filter(pk=referral.pk).update(status=CoachingReferral.Status.REQUESTED)
        when = timezone.now() + timedelta(days=3)
        with on_commit():
            coaching.coaching_staff_update(
                referral=referral, status="scheduled", scheduled_for=when, staff_note="Room 4"
            )
            coaching.coaching_staff_update(
                referral=referral, status="scheduled", scheduled_for=when, staff_note="Room 5"
            )
        referral.refresh_from_db()
        assert (referral.status, referral.staff_note) == (CoachingReferral.Status.SCHEDULED, "Room 5")
        assert [m.to for m in mail.outbox] == [[referral.mentorship.student.email]]


class TestDraftsAreRefusedOnceClosed:
    def test_an_evaluation_draft_is_refused_once_the_form_is_completed(self, campaign):
        from evaluations.models import Evaluation
        from evaluations.services import evaluations as evaluation_services

        interview = InterviewFactory.confirmed(start=timezone.now() - timedelta(hours=1))
        evaluation = Evaluation.objects.create(
            interview=interview, kind="first", status=Evaluation.Status.COMPLETED, advice="Kept"
        )
        with pytest.raises(RuleError, match="completed"):
            evaluation_services.evaluation_save_draft(
                evaluation=evaluation, mentor=interview.mentorship.mentor, values={"advice": "Overwritten"}
            )
        evaluation.refresh_from_db()
        assert evaluation.advice == "Kept"

    def test_only_the_mentor_saves_a_draft(self, campaign):
        from evaluations.models import Evaluation
        from evaluations.services import evaluations as evaluation_services

        interview = InterviewFactory.confirmed(start=timezone.now() - timedelta(hours=1))
        evaluation = Evaluation.objects.create(interview=interview, kind="first")
        with pytest.raises(RuleError):
            evaluation_services.evaluation_save_draft(
                evaluation=evaluation, mentor=interview.mentorship.student, values={"advice": "Student's"}
            )
        evaluation.refresh_from_db()
        assert evaluation.advice == ""

    def test_a_road_book_draft_is_refused_once_the_first_interview_started(self, campaign):
        from roadbook.services import roadbook_save_draft

        interview = InterviewFactory.confirmed(start=timezone.now() + timedelta(days=5))
        roadbook = Roadbook.objects.get(mentorship=interview.mentorship)
        with time_machine.travel(interview.start + timedelta(minutes=1)), pytest.raises(RuleError, match="taken place"):
            roadbook_save_draft(
                roadbook=roadbook, student=interview.mentorship.student, sections={"targets": "Too late"}
            )
        roadbook.refresh_from_db()
        assert roadbook.targets == ""


def test_the_mentor_is_told_why_there_is_nothing_to_propose_before_the_first_interview(client, campaign):
    mentorship = MentorshipFactory.accepted(campaign=campaign)
    client.force_login(mentorship.mentor)
    response = client.get(reverse("evaluations:propose", args=[mentorship.pk]), follow=True)
    assert "The student proposes the first interview" in response.content.decode()
    assert "already scheduled or proposed" not in response.content.decode()
