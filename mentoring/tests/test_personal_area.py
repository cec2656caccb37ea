from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.factories import AlumnusFactory, StudentFactory
from mentoring.factories import CampaignFactory, EnrollmentFactory, MentorshipFactory
from mentoring.models import Mentorship

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
    assert "Campaign “2026–2027”" in content
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


class TestStudentMentorCard:
    def card(self, client, student):
        client.force_login(student)
        response = client.get(ME)
        return response, response.content.decode()

    @pytest.mark.parametrize("status", ["declined", "withdrawn", "expired"])
    def test_a_request_that_ended_is_not_my_mentor(self, client, campaign, status):
        ended = MentorshipFactory(
            status=status, decline_reason="I am abroad until June." if status == "declined" else ""
        )
        response, content = self.card(client, ended.student)
        assert response.context["mentorship"] is None
        assert "My mentor" not in content
        assert "Choose another mentor" in content
        assert reverse("mentoring:directory") in content

    def test_the_decline_reason_comes_with_the_next_step(self, client, campaign):
        ended = MentorshipFactory(status=Mentorship.Status.DECLINED, decline_reason="I am abroad until June.")
        _response, content = self.card(client, ended.student)
        assert "declined your request" in content
        assert "I am abroad until June." in content

    @pytest.mark.parametrize("status", ["requested", "accepted", "closed"])
    def test_a_live_or_closed_mentorship_is_my_mentor(self, client, campaign, status):
        mentorship = MentorshipFactory(status=status)
        response, content = self.card(client, mentorship.student)
        assert response.context["mentorship"] == mentorship
        assert "My mentor" in content
        assert mentorship.mentor.get_full_name() in content

    def test_a_new_request_after_a_declined_one_is_my_mentor(self, client, campaign):
        declined = MentorshipFactory(status=Mentorship.Status.DECLINED)
        again = MentorshipFactory(student=declined.student, requested_at=declined.requested_at - timedelta(hours=1))
        response, _content = self.card(client, declined.student)
        assert response.context["mentorship"] == again


def test_the_mentor_sees_their_places_taken_out_of_their_capacity(client, campaign):
    enrollment = EnrollmentFactory(campaign=campaign, capacity=3)
    for status in (Mentorship.Status.ACCEPTED, Mentorship.Status.REQUESTED, Mentorship.Status.CLOSED):
        MentorshipFactory(enrollment=enrollment, campaign=campaign, status=status)
    client.force_login(enrollment.alumnus)
    assert "My mentees (2 of 3)" in client.get(reverse("mentoring:me")).content.decode()
