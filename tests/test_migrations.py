"""The migration that brings one active interview per mentorship and the stored road-book deadline."""

from datetime import timedelta

import pytest
from django.utils import timezone

BEFORE = [("evaluations", "0004_interview_change_reason"), ("roadbook", "0002_reminder_schedule")]
AFTER = [("evaluations", "0005_one_active_interview_and_roadbook_deadlines")]


def _pair(apps, n):
    now = timezone.now()
    User = apps.get_model("accounts", "User")
    Campaign = apps.get_model("mentoring", "Campaign")
    campaign = Campaign.objects.get_or_create(
        name="2026–2027",
        defaults={
            "recruitment_opens": now - timedelta(days=60),
            "recruitment_closes": now - timedelta(days=30),
            "matching_opens": now - timedelta(days=30),
            "campaign_ends": now + timedelta(days=200),
            "is_current": True,
        },
    )[0]
    student = User.objects.create(email=f"s{n}@example.org", first_name="S", last_name=str(n), role="student")
    alumnus = User.objects.create(email=f"a{n}@example.org", first_name="A", last_name=str(n), role="alumnus")
    enrollment = apps.get_model("mentoring", "MentorEnrollment").objects.create(
        alumnus=alumnus, campaign=campaign, capacity=2, status="approved"
    )
    return apps.get_model("mentoring", "Mentorship").objects.create(
        student=student, enrollment=enrollment, campaign=campaign, status="accepted", message="Hello"
    )


def _interview(apps, mentorship, **fields):
    return apps.get_model("evaluations", "Interview").objects.create(
        mentorship=mentorship, mode="phone", phone="01", proposed_by_id=mentorship.student_id, **fields
    )


class TestOneActiveInterviewMigration:
    def test_extra_unanswered_proposals_are_cancelled_and_deadlines_written(self, migrate):
        old = migrate(BEFORE)
        start = (timezone.now() + timedelta(days=10)).replace(microsecond=0)
        dated = _pair(old, 1)
        confirmed = _interview(old, dated, kind="first", status="confirmed", start=start)
        stray = _interview(old, dated, kind="follow_up", status="proposed")
        proposals = _pair(old, 2)
        older = _interview(old, proposals, kind="first", status="proposed")
        newer = _interview(old, proposals, kind="follow_up", status="proposed")

        new = migrate(AFTER)
        Interview = new.get_model("evaluations", "Interview")
        status = dict(Interview.objects.values_list("pk", "status"))
        assert (status[confirmed.pk], status[stray.pk]) == ("confirmed", "cancelled")
        assert (status[older.pk], status[newer.pk]) == ("cancelled", "proposed")
        roadbook = new.get_model("roadbook", "Roadbook").objects.get(mentorship_id=dated.pk)
        assert roadbook.first_interview_at == start
        assert roadbook.due_at == start - timedelta(days=3)

    def test_two_agreed_dates_stop_the_migration_and_are_named(self, migrate):
        old = migrate(BEFORE)
        mentorship = _pair(old, 1)
        soon = timezone.now() + timedelta(days=5)
        _interview(old, mentorship, kind="first", status="confirmed", start=soon)
        _interview(old, mentorship, kind="follow_up", status="confirmed", start=soon + timedelta(days=7))
        with pytest.raises(RuntimeError, match=f"mentorship {mentorship.pk}"):
            migrate(AFTER)
        old.get_model("evaluations", "Interview").objects.filter(kind="follow_up").update(status="cancelled")
