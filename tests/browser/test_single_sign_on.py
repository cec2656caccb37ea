"""School single sign-on in Chromium, against real providers on 127.0.0.1: the OpenID Connect
authorization-code flow (oidc-provider-mock) and the SAML 2.0 flow (a pysaml2 IdP). The app's pages
carry their CSP, so a form-action that stopped the redirect to the provider would fail here."""

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import User
from tests.identity_providers import oidc_provider, saml_idp
from tests.sso import add_oidc_app, add_saml_app

pytestmark = pytest.mark.django_db(transaction=True)

ALICE = {
    "email": "alice.martin@students.school.test",
    "email_verified": True,
    "given_name": "Alice",
    "family_name": "Martin",
    "roles": ["student"],
}
LEA = {
    "eduPersonPrincipalName": ["lea@school.test"],
    "mail": ["lea.moreau@students.school.test"],
    "givenName": ["Léa"],
    "sn": ["Moreau"],
    "eduPersonAffiliation": ["member", "student"],
}


@pytest.fixture(autouse=True)
def _plain_http(settings):
    # Production tells providers to come back over https; the live server speaks plain HTTP.
    settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"


def _base(live_server):
    # python3-saml wants a dotted host or an IP in our own URLs; the live server answers on both.
    return live_server.url.replace("localhost", "127.0.0.1")


def _console_errors(page, base):
    """Errors on our pages (a CSP violation among them); the providers' own pages are not ours."""
    errors = []

    def collect(message):
        if message.type == "error" and message.location.get("url", "").startswith(base):
            errors.append(message.text)

    page.on("console", collect)
    return errors


def test_oidc_first_sign_in_creates_the_account_and_the_second_finds_it(live_server, page):
    base = _base(live_server)
    errors = _console_errors(page, base)
    with oidc_provider({"alice": ALICE}) as provider:
        add_oidc_app(provider, role_claim="roles")

        for _time in range(2):
            page.context.clear_cookies()
            page.goto(base + reverse("account_login"))
            page.get_by_role("button", name="Sign in with Lycée Test").click()
            # The provider's own page: Alice signs in there.
            expect(page.get_by_role("heading", name="Authorize Client")).to_be_visible()
            page.get_by_role("button", name="alice", exact=True).click()

            expect(page).to_have_url(base + reverse("mentoring:me"))
            expect(page.get_by_role("heading", name="Hello Alice")).to_be_visible()

    alice = User.objects.get()
    assert (alice.email, alice.role) == ("alice.martin@students.school.test", User.Role.STUDENT)
    assert SocialAccount.objects.get().user == alice
    assert not errors, errors


def test_oidc_a_token_for_another_audience_is_refused(live_server, page):
    base = _base(live_server)
    with oidc_provider({"alice": ALICE}) as provider:
        add_oidc_app(provider, role_claim="roles")
        provider.other_audience = "another-application"

        page.goto(base + reverse("account_login"))
        page.get_by_role("button", name="Sign in with Lycée Test").click()
        page.get_by_role("button", name="alice", exact=True).click()

        expect(page.get_by_role("heading", name="Sign-in with your school account failed")).to_be_visible()
    assert not User.objects.exists()
    page.goto(base + reverse("mentoring:me"))
    expect(page).to_have_url(f"{base}{reverse('account_login')}?next=/me/")


def test_saml_sign_in_creates_the_account_with_the_role_from_the_affiliation(live_server, page):
    base = _base(live_server)
    errors = _console_errors(page, base)
    with saml_idp({"lea": LEA}) as idp:
        app = add_saml_app(idp, role_claim="urn:oid:1.3.6.1.4.1.5923.1.1.1.1", use_metadata_url=True)
        # The IdP's administrator registers our metadata, at the URL the admin shows.
        metadata = requests.get(base + reverse("saml_metadata", args=[app.client_id]), timeout=10)
        idp.trust(metadata.text)

        page.goto(base + reverse("account_login"))
        page.get_by_role("button", name="Sign in with Lycée Test").click()
        expect(page.get_by_role("heading", name="School IdP")).to_be_visible()
        page.get_by_role("button", name="lea", exact=True).click()

        expect(page).to_have_url(base + reverse("mentoring:me"))
        expect(page.get_by_role("heading", name="Hello Léa")).to_be_visible()
    lea = User.objects.get()
    assert (lea.email, lea.role, lea.last_name) == ("lea.moreau@students.school.test", User.Role.STUDENT, "Moreau")
    assert not errors, errors
