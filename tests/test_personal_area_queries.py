"""The mentor's personal area lists mentees with their road-book status without a query storm."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.factories import InterviewFactory
from mentoring.factories import CampaignFactory, EnrollmentFactory
from roadbook.factories import RoadbookFactory

pytestmark = pytest.mark.django_db


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/me/").status_code == 200
    return len(queries.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_mentees(client):
    CampaignFactory.in_matching()
    enrollment = EnrollmentFactory(capacity=10)
    client.force_login(enrollment.alumnus)

    def mentee():
        RoadbookFactory(mentorship=InterviewFactory.confirmed(mentorship__enrollment=enrollment).mentorship)

    mentee()
    one = _queries(client)
    mentee()
    mentee()
    # Road-book, campaign and interviews come with the mentees; the road-book tag reads them.
    assert _queries(client) == one


def test_dates_waiting_for_the_mentor_cost_no_query_per_mentee(client):
    CampaignFactory.in_matching()
    enrollment = EnrollmentFactory(capacity=10)
    client.force_login(enrollment.alumnus)

    def mentee():
        InterviewFactory(mentorship__enrollment=enrollment)  # proposed by the student, waiting for the mentor

    mentee()
    one = _queries(client)
    mentee()
    mentee()
    assert _queries(client) == one
