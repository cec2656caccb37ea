import pytest
from playwright.sync_api import expect

from accounts.factories import PASSWORD, StudentFactory
from mentoring.factories import CampaignFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_student_signs_in_and_sees_the_campaign_on_a_phone(live_server, page):
    CampaignFactory.in_matching(name="2026–2027")
    student = StudentFactory(first_name="Alice")
    page.set_viewport_size({"width": 390, "height": 844})
    messages = []
    page.on("console", lambda message: messages.append(message))

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Email").fill(student.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    expect(page).to_have_url(live_server.url + "/me/")
    expect(page.get_by_role("heading", name="Hello Alice")).to_be_visible()
    expect(page.get_by_text("Campaign “2026–2027”")).to_be_visible()
    # The collapsed menu opens with Bootstrap's script: the vendored JS loaded under the CSP.
    page.get_by_role("button", name="Toggle navigation").click()
    expect(page.get_by_role("link", name="My area")).to_be_visible()
    assert not [m for m in messages if m.type == "error"], [m.text for m in messages]
