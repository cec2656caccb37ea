"""The 3-day rule through the pages that apply it, at the minute, across daylight-saving changes."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from evaluations.factories import InterviewFactory
from evaluations.models import Interview
from mentoring.factories import CampaignFactory, MentorshipFactory
from roadbook.factories import RoadbookFactory
from roadbook.services import roadbook_submit

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def at(*args):
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def mentorship():
    with time_machine.travel(at(2027, 3, 1, 9, 0)):
        campaign = CampaignFactory(
            recruitment_opens=at(2027, 1, 1),
            recruitment_closes=at(2027, 2, 1),
            matching_opens=at(2027, 2, 1),
            campaign_ends=at(2027, 12, 31),
        )
        return MentorshipFactory.accepted(enrollment__campaign=campaign)


def propose(client, mentorship, start):
    return client.post(
        reverse("evaluations:propose", args=[mentorship.pk]),
        {"slot_1": start.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": "60", "mode": "phone", "phone": "0102030405"},
    )


def test_proposing_across_the_spring_change_counts_calendar_days(client, mentorship):
    # Saturday 27 March 2027, 10:00 in Paris; clocks go forward the next night.
    with time_machine.travel(at(2027, 3, 27, 10, 0), tick=False):
        client.force_login(mentorship.student)  # sessions, too, live in the travelled time
        response = propose(client, mentorship, at(2027, 3, 30, 9, 59))
        assert response.status_code == 200
        assert "the earliest start is" in response.content.decode()
        assert not Interview.objects.exists()
        response = propose(client, mentorship, at(2027, 3, 30, 10, 0))
        assert response.status_code == 302
    assert Interview.objects.get().slots.get().start == at(2027, 3, 30, 10, 0)


def test_confirming_across_the_autumn_change_is_checked_again_at_the_minute(client, mentorship):
    with time_machine.travel(at(2027, 10, 20, 12, 0), tick=False):
        interview = InterviewFactory(mentorship=mentorship, slot__start=at(2027, 11, 1, 10, 0))
    slot = interview.slots.get()
    # Clocks go back on Sunday 31 October: the last minute to confirm Monday 10:00 is Friday 10:00.
    with time_machine.travel(at(2027, 10, 29, 10, 1), tick=False):
        client.force_login(mentorship.mentor)
        client.post(reverse("evaluations:confirm", args=[interview.pk]), {"slot": slot.pk})
    interview.refresh_from_db()
    assert interview.status == Interview.Status.PROPOSED
    with time_machine.travel(at(2027, 10, 29, 10, 0), tick=False):
        client.post(reverse("evaluations:confirm", args=[interview.pk]), {"slot": slot.pk})
    interview.refresh_from_db()
    assert interview.status == Interview.Status.CONFIRMED


def test_once_sent_the_rule_counts_from_the_sending_time_and_still_refuses_earlier(client, mentorship):
    roadbook = RoadbookFactory(mentorship=mentorship)
    with time_machine.travel(at(2027, 5, 3, 14, 30), tick=False):
        roadbook_submit(roadbook=roadbook, student=mentorship.student)
    with time_machine.travel(at(2027, 5, 4, 8, 0), tick=False):
        client.force_login(mentorship.student)
        assert propose(client, mentorship, at(2027, 5, 6, 14, 29)).status_code == 200
        assert not Interview.objects.exists()
        assert propose(client, mentorship, at(2027, 5, 6, 14, 30)).status_code == 302
    with time_machine.travel(at(2027, 5, 6, 13, 0), tick=False):
        # Sent long enough ago: an hour from now is fine for a road-book already in hand.
        interview = Interview.objects.get()
        interview.delete()
        assert propose(client, mentorship, at(2027, 5, 6, 14, 30)).status_code == 302
