"""Handing the programme over to next year's campaign: in the admin form, and in one action."""

import pytest

from mentoring.factories import CampaignFactory
from mentoring.models import Campaign
from mentoring.tests.test_campaigns import TestAdmin as CampaignForm

pytestmark = pytest.mark.django_db


def test_staff_save_a_new_campaign_as_current_while_another_is_current(client, staff_user):
    # The partial unique constraint was validated by the form before save() could retire the
    # previous campaign: "Constraint “one_current_campaign” is violated".
    old = CampaignFactory(is_current=True, name="2026–2027")
    client.force_login(staff_user)
    response = client.post(CampaignForm.url, CampaignForm().form(name="2027–2028"))
    assert response.status_code == 302, response.content.decode()
    old.refresh_from_db()
    assert not old.is_current
    assert Campaign.objects.current().name == "2027–2028"
