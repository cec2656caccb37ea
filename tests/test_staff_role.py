"""Staff are not alumni: a staff-only account is neither labelled nor treated as one."""

import pytest
from django.urls import reverse

from accounts.factories import AlumnusFactory, StaffFactory, StaffOnlyFactory
from accounts.models import User
from mentoring.factories import CampaignFactory

pytestmark = pytest.mark.django_db

ME = reverse("mentoring:me")
PROFILE = reverse("accounts:profile")
PROFILE_PROMPT = "Complete your profile so that your future mentor or mentee knows who you are."


@pytest.fixture(autouse=True)
def recruiting():
    # Recruitment open: the moment an alumnus is asked to volunteer.
    return CampaignFactory.in_recruitment()


def test_staff_only_are_staff_on_their_area_with_nothing_of_an_alumnus(client):
    client.force_login(StaffOnlyFactory())
    content = client.get(ME).content.decode()
    assert "· Staff" in content
    assert "Alumnus / alumna" not in content
    assert reverse("mentoring:mentor_apply") not in content  # neither the link nor the step
    assert "Volunteer" not in content
    assert PROFILE_PROMPT not in content
    assert reverse("mentoring:staff") in content


def test_an_alumnus_who_is_staff_is_both(client):
    client.force_login(StaffFactory())
    content = client.get(ME).content.decode()
    assert "· Alumnus / alumna" in content and "· Staff" in content
    assert reverse("mentoring:mentor_apply") in content
    assert PROFILE_PROMPT in content  # an alumnus without a profile yet


def test_an_alumnus_is_not_staff(client):
    client.force_login(AlumnusFactory())
    content = client.get(ME).content.decode()
    assert "Alumnus / alumna" in content and "· Staff" not in content
    assert "Volunteer" in content


def test_staff_only_cannot_volunteer(client):
    client.force_login(StaffOnlyFactory())
    assert client.get(reverse("mentoring:mentor_apply")).status_code == 404


def test_staff_only_have_no_profile_but_choose_how_they_are_told(client):
    member = StaffOnlyFactory()
    client.force_login(member)
    content = client.get(PROFILE).content.decode()
    assert ">Career</legend>" not in content and ">Alumni Career Department</legend>" in content
    assert 'name="profile-' not in content
    assert 'name="staff-staff_notices"' in content
    response = client.post(PROFILE, {"user-first_name": "Sophie", "user-last_name": "Career", "user-language": "fr"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.first_name, member.language) == ("Sophie", "fr")
    assert member.staff_notices == User.StaffNotices.IMMEDIATE  # left out of the form: kept
    assert member.profile is None and member.get_or_create_profile() is None


def test_people_who_are_not_staff_are_not_offered_the_choice(client):
    client.force_login(AlumnusFactory())
    assert 'name="staff-staff_notices"' not in client.get(PROFILE).content.decode()


def test_a_staff_member_who_is_an_alumnus_keeps_their_career_profile(client):
    client.force_login(StaffFactory())
    content = client.get(PROFILE).content.decode()
    assert 'name="profile-employer"' in content and 'name="staff-staff_notices"' in content


def test_createsuperuser_makes_a_staff_only_account():
    user = User.objects.create_superuser("root@school.test", "pw", first_name="R", last_name="Oot")
    assert user.role == User.Role.STAFF
    assert not user.is_alumnus and user.profile_model is None
