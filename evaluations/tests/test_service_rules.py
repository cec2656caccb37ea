"""Rules that the services enforce themselves, whatever a view checked before calling them."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
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
