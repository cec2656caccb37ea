"""A mentor never goes over capacity, even under concurrent accepts (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection

from accounts.factories import AlumnusFactory, StudentFactory
from core.errors import RuleError
from mentoring import services
from mentoring.factories import CampaignFactory, EnrollmentFactory, MentorshipFactory
from mentoring.models import MentorEnrollment, Mentorship

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_concurrently(calls):
    """Runs the calls at once; each outcome is ("ok", result), ("refused", message) or ("error", exception).

    Any exception other than a rule's refusal is an outcome too, so that a test sees it (an
    exception in a thread would otherwise only print).
    """
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def worker(call):
        try:
            barrier.wait()
            outcomes.append(("ok", call()))
        except RuleError as error:
            outcomes.append(("refused", str(error)))
        except Exception as error:
            outcomes.append(("error", error))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_twenty_concurrent_accepts_at_a_capacity_two_mentor_accept_exactly_two():
    CampaignFactory.in_matching()
    enrollment = EnrollmentFactory(capacity=2)
    requests = [MentorshipFactory(enrollment=enrollment) for _ in range(20)]
    mentor = enrollment.alumnus

    outcomes = run_concurrently([lambda m=m: services.mentorship_accept(mentorship=m, mentor=mentor) for m in requests])

    assert errors(outcomes) == []
    assert [kind for kind, _ in outcomes].count("ok") == 2
    refused = [message for kind, message in outcomes if kind == "refused"]
    # The first accepts win; once the last place is taken the other requests are declined, so a
    # late accept finds its request answered already.
    assert len(refused) == 18
    assert all("your maximum for this campaign" in message or "already been answered" in message for message in refused)
    assert Mentorship.objects.filter(status=Mentorship.Status.ACCEPTED).count() == 2
    assert Mentorship.objects.filter(status=Mentorship.Status.DECLINED).count() == 18


def test_twenty_concurrent_requests_by_one_student_make_one_request():
    CampaignFactory.in_matching()
    student = StudentFactory()
    enrollments = [EnrollmentFactory(capacity=2) for _ in range(20)]

    outcomes = run_concurrently(
        [lambda e=e: services.mentorship_request(student=student, enrollment=e, message="hi") for e in enrollments]
    )

    assert errors(outcomes) == []
    assert [kind for kind, _ in outcomes].count("ok") == 1
    assert Mentorship.objects.filter(student=student).count() == 1


def errors(outcomes):
    return [error for kind, error in outcomes if kind == "error"]


def test_requests_racing_a_withdrawal_leave_no_pending_request_to_a_withdrawn_mentor():
    CampaignFactory.in_matching()
    enrollment = EnrollmentFactory(capacity=5)
    students = [StudentFactory() for _ in range(10)]
    calls = [lambda s=s: services.mentorship_request(student=s, enrollment=enrollment, message="hi") for s in students]
    calls.insert(5, lambda: services.enrollment_withdraw(enrollment=enrollment))

    outcomes = run_concurrently(calls)

    assert errors(outcomes) == []
    assert MentorEnrollment.objects.get().status == MentorEnrollment.Status.WITHDRAWN
    assert not Mentorship.objects.filter(status=Mentorship.Status.REQUESTED).exists()
    refused = [message for kind, message in outcomes if kind == "refused"]
    assert all("This mentor is not available" in message for message in refused)


def test_an_alumnus_applying_twice_at_once_gets_one_application_and_no_error():
    campaign = CampaignFactory.in_recruitment()
    alumnus = AlumnusFactory()

    def apply(capacity):
        return services.enrollment_apply(
            alumnus=alumnus, campaign=campaign, capacity=capacity, modes=["video"], languages=[], sectors=[]
        )

    outcomes = run_concurrently([lambda c=c: apply(c) for c in range(1, 9)])

    assert errors(outcomes) == []
    assert [kind for kind, _ in outcomes] == ["ok"] * 8
    enrollment = MentorEnrollment.objects.get()
    assert enrollment.status == MentorEnrollment.Status.APPLIED
    assert 1 <= enrollment.capacity <= 8
