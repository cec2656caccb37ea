from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mentoring.models import Campaign
from roadbook import rules

PARIS = ZoneInfo("Europe/Paris")


def at(*args):
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def campaign():
    return Campaign(roadbook_min_days=3)


def test_without_a_road_book_the_earliest_start_is_now_plus_three_days(campaign):
    now = at(2027, 5, 10, 14, 30)
    assert rules.earliest_first_interview(campaign, None, now) == at(2027, 5, 13, 14, 30)


def test_after_submission_the_earliest_start_counts_from_the_submission(campaign):
    submitted = at(2027, 5, 1, 9, 0)
    assert rules.earliest_first_interview(campaign, submitted, at(2027, 5, 10)) == at(2027, 5, 4, 9, 0)


@pytest.mark.parametrize(
    ("start", "allowed"),
    [(at(2027, 5, 13, 14, 29), False), (at(2027, 5, 13, 14, 30), True), (at(2027, 5, 13, 14, 31), True)],
)
def test_boundary_to_the_minute(campaign, start, allowed):
    verdict = rules.check_first_interview_start(campaign, start, None, at(2027, 5, 10, 14, 30))
    assert verdict.allowed is allowed
    if not allowed:
        assert "has not been sent yet" in verdict.message
        assert "the earliest start is" in verdict.message


def test_spring_daylight_saving_change_keeps_the_wall_clock(campaign):
    # Clocks go forward in Paris on Sunday 28 March 2027: Saturday 10:00 + 3 days is Tuesday 10:00,
    # only 71 hours later.
    submitted = at(2027, 3, 27, 10, 0)
    earliest = rules.earliest_first_interview(campaign, submitted)
    assert earliest == at(2027, 3, 30, 10, 0)
    assert earliest.astimezone(UTC) - submitted.astimezone(UTC) == timedelta(hours=71)
    assert not rules.check_first_interview_start(campaign, at(2027, 3, 30, 9, 59), submitted).allowed
    assert rules.check_first_interview_start(campaign, at(2027, 3, 30, 10, 0), submitted).allowed


def test_autumn_daylight_saving_change_for_the_deadline(campaign):
    # Clocks go back on Sunday 31 October 2027: the deadline of a Monday 10:00 interview is Friday 10:00.
    start = at(2027, 11, 1, 10, 0)
    deadline = rules.roadbook_deadline(campaign, start)
    assert deadline == at(2027, 10, 29, 10, 0)
    assert start.astimezone(UTC) - deadline.astimezone(UTC) == timedelta(hours=73)
    assert not rules.is_late(campaign, at(2027, 10, 29, 10, 0), start)
    assert rules.is_late(campaign, at(2027, 10, 29, 10, 1), start)


def test_the_number_of_days_is_the_campaigns(campaign):
    campaign.roadbook_min_days = 5
    assert rules.earliest_first_interview(campaign, None, at(2027, 5, 10)) == at(2027, 5, 15)


def test_message_names_the_submission_when_there_was_one(campaign):
    verdict = rules.check_first_interview_start(campaign, at(2027, 5, 2), at(2027, 5, 1, 9, 0), at(2027, 5, 1, 10))
    assert not verdict.allowed
    assert "it was sent on" in verdict.message
    assert verdict.earliest == at(2027, 5, 4, 9, 0)
