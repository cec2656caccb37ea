"""axe-core on the pages where it found serious violations, in the state that shows them."""

import pytest

from accounts.factories import StudentFactory
from mentoring.factories import CampaignFactory, EnrollmentFactory, MentorshipFactory
from tests.browser.checks import axe_violations
from tests.browser.test_walk import sign_in_context

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_link_in_the_info_box_of_the_first_interview_proposal_is_readable(live_server, browser):
    CampaignFactory.in_matching()
    mentorship = MentorshipFactory.accepted()
    context = browser.new_context()
    sign_in_context(context, live_server, mentorship.student.email)
    page = context.new_page()
    page.goto(live_server.url + f"/mentorships/{mentorship.pk}/interviews/new/")
    info_link = page.locator(".alert-info a").first
    assert info_link.is_visible()
    assert axe_violations(page) == []


def test_the_free_places_of_the_directory_are_readable(live_server, browser):
    CampaignFactory.in_matching()
    EnrollmentFactory.create_batch(2)
    student = StudentFactory()
    context = browser.new_context()
    sign_in_context(context, live_server, student.email)
    page = context.new_page()
    page.goto(live_server.url + "/mentors/")
    assert page.get_by_text("free place").first.is_visible()
    assert axe_violations(page) == []
