import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from accounts.models import User
from mentoring.models import Campaign, Phase

pytestmark = pytest.mark.django_db


def counts():
    return User.objects.count(), Campaign.objects.count(), EmailAddress.objects.count()


def test_seed_demo_creates_the_documented_accounts_and_campaign(client):
    call_command("seed_demo", stdout=io.StringIO())
    campaign = Campaign.objects.current()
    assert campaign.phase == Phase.MATCHING
    alumni = User.objects.filter(role=User.Role.ALUMNUS, is_staff=False)
    students = User.objects.filter(role=User.Role.STUDENT)
    assert alumni.count() == 30
    assert students.count() == 20
    assert alumni.values("alumnus_profile__sector").distinct().count() >= 10
    assert alumni.values("alumnus_profile__city").distinct().count() >= 8
    for email in ["student@example.org", "mentor@example.org", "staff@example.org"]:
        assert client.login(email=email, password="demo-mentoring"), email
    assert User.objects.get(email="staff@example.org").is_staff


def test_seed_demo_twice_creates_nothing_new(capsys):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert "created: 0 users, 0 campaigns" in capsys.readouterr().out
