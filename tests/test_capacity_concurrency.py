"""A mentor never goes over capacity, even under concurrent accepts (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection

from accounts.factories import StudentFactory
from mentoring import services
from mentoring.factories import CampaignFactory, EnrollmentFactory, MentorshipFactory
from mentoring.models import Mentorship

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_concurrently(calls):
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def worker(call):
        try:
            barrier.wait()
            outcomes.append(("ok", call()))
        except services.RuleError as error:
            outcomes.append(("refused", str(error)))
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

    assert [kind for kind, _ in outcomes].count("ok") == 2
    refused = [message for kind, message in outcomes if kind == "refused"]
    assert len(refused) == 18
    assert all("your maximum for this campaign" in message for message in refused)
    assert Mentorship.objects.filter(status=Mentorship.Status.ACCEPTED).count() == 2


def test_twenty_concurrent_requests_by_one_student_make_one_request():
    CampaignFactory.in_matching()
    student = StudentFactory()
    enrollments = [EnrollmentFactory(capacity=2) for _ in range(20)]

    outcomes = run_concurrently(
        [lambda e=e: services.mentorship_request(student=student, enrollment=e, message="hi") for e in enrollments]
    )

    assert [kind for kind, _ in outcomes].count("ok") == 1
    assert Mentorship.objects.filter(student=student).count() == 1
