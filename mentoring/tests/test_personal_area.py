import pytest
from django.urls import reverse

from accounts.factories import AlumnusFactory, StudentFactory
from mentoring.factories import CampaignFactory

pytestmark = pytest.mark.django_db

ME = reverse("mentoring:me")


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(ME)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={ME}"


def test_landing_page_for_visitors(client):
    CampaignFactory.in_matching(name="2026–2027")
    response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Create an account" in content
    assert "2026–2027" in content


def test_landing_sends_a_signed_in_user_to_their_area(client, student):
    client.force_login(student)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == ME


def test_student_sees_the_timeline_and_choosing_a_mentor_during_matching(client, student):
    CampaignFactory.in_matching(name="2026–2027")
    client.force_login(student)
    content = client.get(ME).content.decode()
    assert "Campaign 2026–2027" in content
    for title in [
        "Recruitment of alumni mentors",
        "Matching and first contact",
        "First interview",
        "Follow-up interviews",
    ]:
        assert title in content
    assert 'aria-current="step"' in content
    assert "Choose a mentor" in content


def test_student_before_matching_is_told_when_it_opens(client, student):
    CampaignFactory.in_recruitment()
    client.force_login(student)
    assert "Matching opens on" in client.get(ME).content.decode()


def test_alumnus_during_recruitment_is_invited_to_volunteer(client):
    CampaignFactory.in_recruitment()
    client.force_login(AlumnusFactory())
    assert "Volunteer as a mentor for this campaign before" in client.get(ME).content.decode()


def test_alumnus_after_recruitment_is_told_it_closed(client):
    CampaignFactory.in_matching()
    client.force_login(AlumnusFactory())
    assert "The recruitment of mentors closed on" in client.get(ME).content.decode()


def test_incomplete_profile_is_the_first_thing_to_do(client):
    CampaignFactory.in_matching()
    student = StudentFactory(student_profile__specialization="")
    client.force_login(student)
    assert "Complete your profile" in client.get(ME).content.decode()


def test_staff_are_pointed_to_the_dashboard(client, staff_user):
    client.force_login(staff_user)
    content = client.get(ME).content.decode()
    assert reverse("mentoring:staff") in content
    assert reverse("admin:index") in content


def test_without_a_campaign_the_area_says_so(client, student):
    client.force_login(student)
    response = client.get(ME)
    assert response.status_code == 200
    assert "No campaign is open at the moment" in response.content.decode()


def test_pages_use_the_vendored_bootstrap_and_no_inline_script(client, student):
    client.force_login(student)
    response = client.get(ME)
    content = response.content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in content
    assert "cdn" not in content.lower()
    assert "<script>" not in content
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert 'href="#main"' in content  # skip link
