from datetime import timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.factories import AlumnusFactory, LanguageFactory, SectorFactory, StudentFactory
from core.models import SentNotice
from mentoring import reminders
from mentoring.factories import CampaignFactory, EnrollmentFactory, MentorshipFactory, ParticipationFactory
from mentoring.models import MentorEnrollment, Mentorship

pytestmark = pytest.mark.django_db


def recipients():
    return sorted(m.to[0] for m in mail.outbox)


class TestRecruitmentClosing:
    @pytest.fixture
    def setup(self):
        last_year = CampaignFactory(
            is_current=False,
            recruitment_opens=timezone.now() - timedelta(days=400),
            recruitment_closes=timezone.now() - timedelta(days=360),
        )
        current = CampaignFactory.in_recruitment()
        former = EnrollmentFactory(campaign=last_year).alumnus
        already_back = EnrollmentFactory(campaign=last_year).alumnus
        complete = {"sectors": [SectorFactory()], "languages": [LanguageFactory()]}
        EnrollmentFactory(campaign=current, alumnus=already_back, status=MentorEnrollment.Status.APPLIED, **complete)
        rejected_last_year = EnrollmentFactory(campaign=last_year, status=MentorEnrollment.Status.REJECTED).alumnus
        AlumnusFactory()  # never a mentor
        return current, former, rejected_last_year

    def test_past_mentors_not_yet_back_are_reminded_once_n_days_before(self, setup, on_commit):
        current, former, _rejected = setup
        closes = current.recruitment_closes
        with time_machine.travel(closes - timedelta(days=7, minutes=1)):
            assert reminders.recruitment_closing() == 0
        with time_machine.travel(closes - timedelta(days=7)), on_commit():
            assert reminders.recruitment_closing() == 1
            assert reminders.recruitment_closing() == 0
        assert recipients() == [former.email]
        assert "/mentor/apply/" in mail.outbox[0].body
        assert "You receive this reminder because you were a mentor" in mail.outbox[0].body

    def test_applicants_with_no_sector_or_no_language_are_reminded(self, setup, on_commit):
        current, former, _rejected = setup
        status = MentorEnrollment.Status.APPLIED
        no_sector = EnrollmentFactory(campaign=current, status=status, languages=[LanguageFactory()]).alumnus
        no_language = EnrollmentFactory(campaign=current, status=status, sectors=[SectorFactory()]).alumnus
        EnrollmentFactory(campaign=current, status=MentorEnrollment.Status.APPROVED)  # approved: not an applicant
        with time_machine.travel(current.recruitment_closes - timedelta(days=7)), on_commit():
            assert reminders.recruitment_closing() == 3
            assert reminders.recruitment_closing() == 0
        assert recipients() == sorted([former.email, no_sector.email, no_language.email])
        to_applicant = next(m for m in mail.outbox if m.to == [no_sector.email])
        assert to_applicant.subject.startswith("Finish your mentor application")
        assert "You mentored a student" not in to_applicant.body
        to_former = next(m for m in mail.outbox if m.to == [former.email])
        assert to_former.subject.startswith("Mentor again this year?")

    def test_nothing_after_the_close(self, setup):
        current, _former, _rejected = setup
        with time_machine.travel(current.recruitment_closes):
            assert reminders.recruitment_closing() == 0


class TestMatchingOpen:
    def test_every_student_of_the_roster_once_from_matching_opens(self, on_commit):
        campaign = CampaignFactory.in_recruitment()
        students = [p.student for p in ParticipationFactory.create_batch(3, campaign=campaign)]
        StudentFactory()  # not on the roster
        AlumnusFactory()
        with time_machine.travel(campaign.matching_opens - timedelta(seconds=1)):
            assert reminders.matching_open() == 0
        with time_machine.travel(campaign.matching_opens), on_commit():
            assert reminders.matching_open() == 3
            assert reminders.matching_open() == 0
        assert recipients() == sorted(s.email for s in students)
        assert "/mentors/" in mail.outbox[0].body


class TestWithoutMentor:
    def test_weekly_from_n_days_after_matching_for_students_without_a_mentor(self, on_commit):
        campaign = CampaignFactory.in_matching()
        alone = ParticipationFactory(campaign=campaign).student
        pending = MentorshipFactory().student  # a student with a pending request: not reminded
        declined = MentorshipFactory(status=Mentorship.Status.DECLINED).student  # choose again: reminded
        for student in (pending, declined):
            ParticipationFactory(campaign=campaign, student=student)
        start = campaign.matching_opens + timedelta(days=14)
        with time_machine.travel(start - timedelta(minutes=1)):
            assert reminders.without_mentor() == 0
        with time_machine.travel(start), on_commit():
            assert reminders.without_mentor() == 2
            assert reminders.without_mentor() == 0
        with time_machine.travel(start + timedelta(days=7)), on_commit():
            assert reminders.without_mentor() == 2  # a new week, a new reminder
        assert recipients() == sorted([alone.email, declined.email] * 2)
        assert SentNotice.objects.filter(kind="without_mentor").values("period").distinct().count() == 2


class TestRequests:
    def test_unanswered_requests_remind_the_mentor_once(self, on_commit):
        CampaignFactory.in_matching()
        request_ = MentorshipFactory(requested_at=timezone.now() - timedelta(days=3, minutes=1))
        MentorshipFactory(requested_at=timezone.now() - timedelta(days=2))
        with on_commit():
            assert reminders.request_unanswered() == 1
            assert reminders.request_unanswered() == 0
        assert recipients() == [request_.mentor.email]
        assert request_.get_absolute_url() in mail.outbox[0].body

    def test_expiry_is_bulk_and_tells_each_student_once(self, on_commit):
        from mentoring.services import expire_overdue_requests

        CampaignFactory.in_matching()
        old = [MentorshipFactory(requested_at=timezone.now() - timedelta(days=8)) for _ in range(3)]
        with on_commit():
            assert expire_overdue_requests() == 3
            assert expire_overdue_requests() == 0
        assert recipients() == sorted(m.student.email for m in old)


def _select_count(callable_):
    # Content types are cached per process: without this, the count depends on which test ran before.
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as queries:
        callable_()
    statements = [q["sql"] for q in queries.captured_queries]
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    return len(selects), len(statements)


@pytest.mark.parametrize(
    ("sweep", "make_targets"),
    [
        (reminders.matching_open, lambda n: ParticipationFactory.create_batch(n)),
        (
            reminders.request_unanswered,
            lambda n: [MentorshipFactory(requested_at=timezone.now() - timedelta(days=4)) for _ in range(n)],
        ),
    ],
)
def test_a_sweep_takes_the_same_number_of_queries_for_5_and_500_targets(sweep, make_targets, one_way_into_the_outbox):
    CampaignFactory.in_matching()
    make_targets(5)
    few = _select_count(sweep)
    SentNotice.objects.all().delete()
    make_targets(495)
    many = _select_count(sweep)
    assert SentNotice.objects.count() == 500
    assert few[0] == many[0]
    if connection.vendor == "postgresql":
        # SQLite splits a large insert into batches of 999 parameters; PostgreSQL does not.
        assert few[1] == many[1]
