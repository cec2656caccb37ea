"""SAML 2.0 sign-in through allauth (python3-saml) against a real IdP on 127.0.0.1 (pysaml2)."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from accounts.factories import AlumnusFactory
from accounts.models import User
from tests.identity_providers import saml_idp
from tests.sso import add_saml_app, saml_sign_in

pytestmark = pytest.mark.django_db

# Attributes by their friendly names; the IdP sends them as Shibboleth does (urn:oid:…).
PEOPLE = {
    "lea": {
        "eduPersonPrincipalName": ["lea@school.test"],
        "mail": ["lea.moreau@students.school.test"],
        "givenName": ["Léa"],
        "sn": ["Moreau"],
        "eduPersonAffiliation": ["student", "member"],
    },
    "marc": {
        "eduPersonPrincipalName": ["marc@school.test"],
        "mail": ["marc.roux@alumni.test"],
        "givenName": ["Marc"],
        "sn": ["Roux"],
        "eduPersonAffiliation": ["alum"],
    },
}
AFFILIATION = "urn:oid:1.3.6.1.4.1.5923.1.1.1.1"


@pytest.fixture
def client(client):
    # python3-saml takes only addresses with a dotted host (or an IP) for our ACS and SLS URLs.
    client.defaults["HTTP_HOST"] = "127.0.0.1"
    return client


@pytest.fixture
def idp():
    with saml_idp(PEOPLE) as running:
        yield running


def test_first_sign_in_creates_the_account_with_the_role_from_the_affiliation(client, idp):
    app = add_saml_app(idp, role_claim=AFFILIATION)

    response = saml_sign_in(client, app, idp, "lea")

    assert response.status_code == 302 and response["Location"] == reverse("mentoring:me")
    lea = User.objects.get(email="lea.moreau@students.school.test")
    assert (lea.first_name, lea.last_name, lea.role) == ("Léa", "Moreau", User.Role.STUDENT)
    assert SocialAccount.objects.get(user=lea).uid == "lea@school.test"
    assert client.session["_auth_user_id"] == str(lea.pk)


def test_the_idp_metadata_url_is_enough_and_an_alumnus_is_linked(client, idp):
    marc = AlumnusFactory(email="marc.roux@alumni.test")
    app = add_saml_app(idp, role_claim=AFFILIATION, use_metadata_url=True)

    saml_sign_in(client, app, idp, "marc")
    client.logout()
    saml_sign_in(client, app, idp, "marc")

    assert User.objects.count() == 1
    assert client.session["_auth_user_id"] == str(marc.pk)
    assert SocialAccount.objects.get().user == marc


def test_a_response_signed_with_another_key_is_refused(client, idp):
    app = add_saml_app(idp, role_claim=AFFILIATION)
    idp.forge_signatures()

    response = saml_sign_in(client, app, idp, "lea")

    assert "Sign-in with your school account failed" in response.content.decode()
    assert not User.objects.exists()
    assert "_auth_user_id" not in client.session


def test_the_sp_metadata_names_the_acs(client, idp):
    app = add_saml_app(idp)

    response = client.get(reverse("saml_metadata", kwargs={"organization_slug": app.client_id}))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert b"http://127.0.0.1/accounts/saml/school/acs/" in response.content
