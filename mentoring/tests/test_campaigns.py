import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from mentoring.factories import CampaignFactory
from mentoring.models import Campaign, Phase

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def at(*args):
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def year():
    return CampaignFactory(
        name="2026–2027",
        recruitment_opens=at(2027, 3, 1, 9, 0),
        recruitment_closes=at(2027, 5, 3, 0, 0),
        matching_opens=at(2027, 5, 3, 0, 0),
        campaign_ends=at(2027, 12, 31, 23, 59),
    )


@pytest.mark.parametrize(
    ("instant", "phase"),
    [
        (at(2027, 3, 1, 8, 59, 59), Phase.UPCOMING),
        (at(2027, 3, 1, 9, 0), Phase.RECRUITMENT),
        (at(2027, 5, 2, 23, 59, 59), Phase.RECRUITMENT),
        (at(2027, 5, 3, 0, 0), Phase.MATCHING),
        (at(2027, 12, 31, 23, 58, 59), Phase.MATCHING),
        (at(2027, 12, 31, 23, 59), Phase.ENDED),
    ],
)
def test_phase_at_boundary_instants(year, instant, phase):
    assert year.phase_at(instant) == phase


def test_phase_follows_the_clock(year):
    with time_machine.travel(at(2027, 5, 2, 23, 59, 59), tick=False):
        assert year.phase == Phase.RECRUITMENT
        assert year.is_recruitment_open()
        assert not year.is_matching_open()
    with time_machine.travel(at(2027, 5, 3, 0, 0), tick=False):
        assert year.phase == Phase.MATCHING
        assert year.is_matching_open()


def test_gap_between_recruitment_and_matching_is_its_own_phase():
    campaign = CampaignFactory(
        recruitment_opens=at(2027, 3, 1),
        recruitment_closes=at(2027, 5, 1),
        matching_opens=at(2027, 5, 3),
        campaign_ends=at(2027, 12, 1),
    )
    assert campaign.phase_at(at(2027, 5, 2)) == Phase.PREPARATION


def test_timeline_has_the_four_steps_with_dates_and_the_current_one(year):
    steps = year.timeline(when=at(2027, 6, 1))
    assert [s.number for s in steps] == [1, 2, 3, 4]
    assert steps[0].ends == at(2027, 5, 3, 0, 0)
    assert steps[1].starts == at(2027, 5, 3, 0, 0)
    assert steps[3].ends == at(2027, 12, 31, 23, 59)
    assert [s.is_current for s in steps] == [False, True, False, False]
    assert steps[0].is_done
    assert "3 days" in steps[1].description


def test_a_caller_can_highlight_a_later_step(year):
    steps = year.timeline(current_step=3, when=at(2027, 6, 1))
    assert [s.is_current for s in steps] == [False, False, True, False]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("recruitment_closes", at(2027, 2, 1), "Recruitment must close after it opens."),
        ("matching_opens", at(2027, 5, 2), "Matching can open only once"),
        ("campaign_ends", at(2027, 5, 3), "The campaign must end after matching opens."),
    ],
)
def test_dates_out_of_order_are_refused(year, field, value, message):
    setattr(year, field, value)
    with pytest.raises(ValidationError, match=re.escape(message)) as excinfo:
        year.full_clean()
    assert message in str(excinfo.value.message_dict[field])


def test_database_refuses_dates_out_of_order_too(year):
    with pytest.raises(IntegrityError, match="campaign_dates_in_order"):
        Campaign.objects.filter(pk=year.pk).update(campaign_ends=year.recruitment_opens)


def test_making_a_campaign_current_retires_the_previous_one():
    old = CampaignFactory(is_current=True)
    new = CampaignFactory(is_current=True)
    old.refresh_from_db()
    assert not old.is_current
    assert Campaign.objects.current() == new


def test_two_current_campaigns_cannot_coexist():
    CampaignFactory(is_current=True)
    other = CampaignFactory(is_current=False)
    # SQLite names the column, PostgreSQL the constraint.
    with pytest.raises(IntegrityError, match=r"one_current_campaign|mentoring_campaign\.is_current"):
        Campaign.objects.filter(pk=other.pk).update(is_current=True)


def test_current_is_none_without_a_current_campaign():
    CampaignFactory(is_current=False)
    assert Campaign.objects.current() is None


def test_campaign_defaults_follow_the_charter():
    campaign = CampaignFactory()
    assert campaign.roadbook_min_days == 3
    assert campaign.request_expiry_days == 7


class TestAdmin:
    url = "/admin/mentoring/campaign/add/"

    def form(self, **overrides):
        data = {
            "name": "2027–2028",
            "is_current": "on",
            "recruitment_opens_0": "2027-03-01",
            "recruitment_opens_1": "09:00:00",
            "recruitment_closes_0": "2027-05-03",
            "recruitment_closes_1": "00:00:00",
            "matching_opens_0": "2027-05-03",
            "matching_opens_1": "00:00:00",
            "campaign_ends_0": "2027-12-31",
            "campaign_ends_1": "23:59:00",
            "roadbook_min_days": "3",
            "default_mentor_capacity": "2",
            "request_expiry_days": "7",
            "recruitment_closing_reminder_days": "7",
            "no_mentor_reminder_days": "14",
            "request_unanswered_reminder_days": "3",
            "roadbook_due_reminder_days": "2",
            "evaluation_pending_reminder_days": "2",
            "no_follow_up_reminder_weeks": "6",
            "final_form_reminder_days": "14",
            "retention_months": "12",
        }
        data.update(overrides)
        return data

    def test_staff_create_a_campaign(self, client, staff_user):
        client.force_login(staff_user)
        response = client.post(self.url, self.form())
        assert response.status_code == 302
        campaign = Campaign.objects.get(name="2027–2028")
        assert campaign.matching_opens == at(2027, 5, 3, 0, 0)
        assert campaign.is_current

    def test_admin_form_refuses_dates_out_of_order(self, client, staff_user):
        client.force_login(staff_user)
        response = client.post(self.url, self.form(matching_opens_0="2027-04-01"))
        assert response.status_code == 200
        assert "Matching can open only once the recruitment of mentors has closed." in response.content.decode()
        assert not Campaign.objects.exists()

    def test_admin_list_shows_the_phase(self, client, staff_user):
        CampaignFactory.in_matching(name="Shown")
        client.force_login(staff_user)
        content = client.get("/admin/mentoring/campaign/").content.decode()
        assert "Shown" in content
        assert "Matching, interviews and follow-ups" in content


def test_factory_phases():
    assert CampaignFactory.in_recruitment().phase == Phase.RECRUITMENT
    assert CampaignFactory.in_matching().phase == Phase.MATCHING
    assert CampaignFactory.upcoming().phase == Phase.UPCOMING
    assert CampaignFactory.in_matching().matching_opens < CampaignFactory.in_matching().campaign_ends - timedelta(
        days=1
    )
