"""The language switch in the navbar and the footer, and a French browser's sign-up."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from mentoring.factories import CampaignFactory
from tests.browser.test_walk import sign_in_context

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_visitor_switches_to_french_in_the_footer_and_a_student_in_the_navbar(live_server, browser, student):
    CampaignFactory.in_matching()
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.locator("footer").get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_url(live_server.url + "/accounts/login/")
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    context.close()

    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    sign_in_context(context, live_server, student.email)
    page = context.new_page()
    page.goto(live_server.url + "/me/")
    page.get_by_role("button", name="Toggle navigation").click()
    page.locator("nav").get_by_role("button", name="Français").click()
    expect(page.get_by_role("heading", name="Prochaines étapes")).to_be_visible()
    student.refresh_from_db()
    assert student.language == "fr"


def test_a_french_browser_signs_up_in_french(live_server, browser):
    CampaignFactory.in_matching()
    page = browser.new_context(locale="fr-FR").new_page()
    page.goto(live_server.url + "/accounts/signup/")
    expect(page.get_by_label("Langue préférée")).to_have_value("fr")
    page.locator("input[name=role][value=student]").check()
    page.locator("input[name=first_name]").fill("Zoé")
    page.locator("input[name=last_name]").fill("Martin")
    page.locator("input[name=email]").fill("zoe.martin@example.org")
    page.locator("input[name=password1]").fill("a-long-and-unusual-passphrase")
    page.locator("input[name=password2]").fill("a-long-and-unusual-passphrase")
    page.locator("input[name=accept_charter]").check()
    page.locator("input[name=accept_privacy]").check()
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.wait_for_load_state()
    assert User.objects.get(email="zoe.martin@example.org").language == "fr"
