"""What the pages say, where a new user hesitated (issue: language, wording, forms)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from evaluations.factories import InterviewFactory, InterviewSlotFactory
from evaluations.models import Interview
from mentoring.factories import CampaignFactory, MentorshipFactory
from mentoring.models import Mentorship
from roadbook import services as roadbook_services
from roadbook.factories import RoadbookFactory
from roadbook.rules import round_up_to_quarter_hour

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def test_a_campaign_name_is_shown_as_entered_never_with_campaign_appended(client):
    CampaignFactory.in_matching(name="Demo campaign")
    mentorship = MentorshipFactory.accepted()
    for user in (mentorship.student, mentorship.mentor):
        client.force_login(user)
        for url in (reverse("mentoring:me"), mentorship.get_absolute_url()):
            content = client.get(url).content.decode()
            assert "Demo campaign" in content
            assert "campaign campaign" not in content.lower() and "Demo campaign campaign" not in content


def test_a_completed_mentorship_s_road_book_says_completed_not_inactive():
    roadbook = RoadbookFactory(mentorship__status=Mentorship.Status.CLOSED)
    reason = roadbook_services.editable_reason(roadbook)
    assert "completed" in reason and "not active" not in reason


def test_once_the_first_interview_is_held_the_road_book_page_stops_asking_to_send_it(client):
    CampaignFactory.in_matching()
    interview = InterviewFactory.confirmed(start=timezone.now() + timedelta(days=4))
    RoadbookFactory(mentorship=interview.mentorship)
    client.force_login(interview.mentorship.student)
    url = reverse("roadbook:edit", args=[interview.mentorship.pk])
    assert "Send it at least 3 days before" in client.get(url).content.decode()
    Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.HELD)
    with time_machine.travel(timezone.now() + timedelta(days=5)):
        content = client.get(url).content.decode()
    assert "Send it at least" not in content
    assert "as presented to" in content


def test_while_dates_are_only_proposed_the_deadline_says_which_date_it_follows(client):
    CampaignFactory.in_matching()
    first = datetime(2030, 3, 12, 18, 0, tzinfo=PARIS)
    with time_machine.travel(datetime(2030, 3, 1, 9, 0, tzinfo=PARIS)):
        interview = InterviewFactory(slot__start=first + timedelta(days=2))
        InterviewSlotFactory(interview=interview, start=first)
        client.force_login(interview.mentorship.student)
        content = client.get(interview.mentorship.get_absolute_url()).content.decode()
    assert "For the earliest date proposed, 12 Mar 2030, 18:00, that is 9 Mar 2030, 18:00." in content


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ((7, 58, 0), (8, 0)),
        ((8, 0, 0), (8, 0)),
        ((8, 0, 1), (8, 15)),
        ((8, 14, 30), (8, 15)),
        ((23, 50, 0), (0, 0)),
    ],
)
def test_the_earliest_start_is_rounded_up_to_the_next_quarter_hour(moment, expected):
    rounded = round_up_to_quarter_hour(datetime(2030, 12, 3, *moment, tzinfo=PARIS))
    assert (rounded.hour, rounded.minute, rounded.second) == (*expected, 0)


def test_the_proposal_page_offers_the_earliest_start_on_a_quarter_hour(client):
    CampaignFactory.in_matching()
    mentorship = MentorshipFactory.accepted()
    client.force_login(mentorship.student)
    now = timezone.localtime().replace(minute=58, second=20, microsecond=0) - timedelta(hours=1)
    with time_machine.travel(now, tick=False):
        content = client.get(reverse("evaluations:propose", args=[mentorship.pk])).content.decode()
    expected = timezone.localtime(now + timedelta(days=3, minutes=2)).replace(second=0)
    assert expected.minute == 0
    assert f"The earliest possible start is {date_format(expected, 'DATETIME_FORMAT')}" in content
    assert f"{now.hour:02d}:58" not in content
