"""OpenID Connect sign-in through allauth against a real provider on 127.0.0.1 (oidc-provider-mock)."""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from accounts.factories import PASSWORD, AlumnusFactory, StudentFactory
from accounts.models import User
from tests.identity_providers import oidc_provider
from tests.sso import add_oidc_app, oidc_sign_in

pytestmark = pytest.mark.django_db

PEOPLE = {
    "alice": {
        "email": "alice.martin@students.school.test",
        "email_verified": True,
        "given_name": "Alice",
        "family_name": "Martin",
        "roles": ["student"],
    },
    "bruno": {
        "email": "bruno.staff@school.test",
        "email_verified": True,
        "given_name": "Bruno",
        "family_name": "Petit",
        "roles": ["faculty"],
    },
    "chloe": {"email": "chloe@students.school.test", "email_verified": True, "given_name": "Chloé"},
    "dan": {"email": "dan@elsewhere.test", "email_verified": True, "given_name": "Dan", "roles": ["student"]},
    "eve": {"given_name": "Eve"},
}


@pytest.fixture
def provider():
    with oidc_provider(PEOPLE) as running:
        yield running


def test_first_sign_in_creates_the_account_verified_with_the_role_from_the_claim(client, provider):
    app = add_oidc_app(provider, role_claim="roles")

    response = oidc_sign_in(client, app, "alice")

    assert response.status_code == 302
    assert response["Location"] == reverse("mentoring:me")
    alice = User.objects.get(email="alice.martin@students.school.test")
    assert (alice.first_name, alice.last_name, alice.role) == ("Alice", "Martin", User.Role.STUDENT)
    assert not alice.has_usable_password()
    assert alice.student_profile is not None
    assert EmailAddress.objects.get(user=alice).verified
    assert SocialAccount.objects.get(user=alice).uid == "alice"
    assert client.get(reverse("mentoring:me")).status_code == 200


def test_a_staff_value_of_the_claim_gives_the_staff_role_without_admin_access(client, provider):
    app = add_oidc_app(provider, role_claim="roles")

    oidc_sign_in(client, app, "bruno")

    bruno = User.objects.get(email="bruno.staff@school.test")
    assert bruno.role == User.Role.STAFF
    assert not bruno.is_staff and not bruno.groups.exists()


def test_without_a_claim_the_e_mail_domain_tells_the_role(client, provider):
    app = add_oidc_app(provider)

    oidc_sign_in(client, app, "chloe")
    client.logout()
    oidc_sign_in(client, app, "dan")

    assert User.objects.get(email="chloe@students.school.test").role == User.Role.STUDENT
    # Not a school address: an alumnus, whatever the (unused) claim says.
    assert User.objects.get(email="dan@elsewhere.test").role == User.Role.ALUMNUS


def test_a_student_by_the_claim_must_have_a_school_address(client, provider):
    app = add_oidc_app(provider, role_claim="roles")

    response = oidc_sign_in(client, app, "dan")

    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    assert not User.objects.filter(email="dan@elsewhere.test").exists()
    page = client.get(reverse("account_login"))
    assert "Students use their school address" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_no_verified_address_opens_no_account(client, provider):
    app = add_oidc_app(provider)

    response = oidc_sign_in(client, app, "eve")

    assert response["Location"] == reverse("account_login")
    assert not User.objects.exists()
    assert "did not tell us a verified e-mail address" in client.get(reverse("account_login")).content.decode()


def test_an_existing_account_with_the_address_is_signed_in_and_linked_not_duplicated(client, provider):
    existing = StudentFactory(email="alice.martin@students.school.test", first_name="Alicia")
    app = add_oidc_app(provider, role_claim="roles")

    oidc_sign_in(client, app, "alice")

    assert User.objects.filter(email__iexact="alice.martin@students.school.test").count() == 1
    assert client.session["_auth_user_id"] == str(existing.pk)
    assert SocialAccount.objects.get(uid="alice").user == existing
    existing.refresh_from_db()
    # Their own name and their password (the address was verified) are kept.
    assert existing.first_name == "Alicia"
    assert existing.check_password(PASSWORD)

    # The second time, the connected account is found by the provider's subject.
    client.logout()
    existing.emailaddress_set.update(email="alice.new@students.school.test")
    existing.email = "alice.new@students.school.test"
    existing.save()
    oidc_sign_in(client, app, "alice")
    assert client.session["_auth_user_id"] == str(existing.pk)
    assert User.objects.count() == 1


def test_an_unverified_account_with_the_address_loses_its_password(client, provider):
    # Someone signed up with the student's address without confirming it: the provider proves
    # who owns it, so whoever knew that password is locked out.
    squatter = AlumnusFactory(email="alice.martin@students.school.test", verified=False)
    EmailAddress.objects.create(user=squatter, email=squatter.email, verified=False, primary=True)
    app = add_oidc_app(provider)

    oidc_sign_in(client, app, "alice")

    squatter.refresh_from_db()
    assert client.session["_auth_user_id"] == str(squatter.pk)
    assert not squatter.has_usable_password()


def test_a_token_for_another_audience_is_refused(client, provider):
    app = add_oidc_app(provider, role_claim="roles")
    provider.other_audience = "another-application"

    response = oidc_sign_in(client, app, "alice")

    assert response.status_code == 401
    assert "Sign-in with your school account failed" in response.content.decode()
    assert not User.objects.exists()
    assert "_auth_user_id" not in client.session


def test_a_token_re_signed_by_the_provider_for_our_audience_is_accepted(client, provider):
    # The control of the test above: the provider's re-signed token differs only by its audience.
    app = add_oidc_app(provider, role_claim="roles")
    provider.other_audience = app.client_id

    oidc_sign_in(client, app, "alice")

    assert client.session["_auth_user_id"] == str(User.objects.get().pk)


def test_a_superuser_is_never_signed_in_by_a_provider(client, provider):
    admin = User.objects.create_superuser("alice.martin@students.school.test", PASSWORD)
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    app = add_oidc_app(provider)

    response = oidc_sign_in(client, app, "alice")

    assert response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in client.session
    admin.refresh_from_db()
    assert admin.check_password(PASSWORD)


def test_a_deactivated_account_with_the_address_gets_no_twin(client, provider):
    former = StudentFactory(email="alice.martin@students.school.test", is_active=False)
    app = add_oidc_app(provider, role_claim="roles")

    response = oidc_sign_in(client, app, "alice")

    # allauth finds the account by its address and says it is inactive.
    assert response["Location"] == reverse("account_inactive")
    assert User.objects.get() == former
    assert "_auth_user_id" not in client.session


def test_an_address_the_lookup_misses_still_gets_no_twin(client, provider):
    # Stored with capitals (an old import, say): allauth's exact lookup misses it, our check doesn't.
    StudentFactory(email="Alice.Martin@Students.School.Test")
    app = add_oidc_app(provider, role_claim="roles")

    response = oidc_sign_in(client, app, "alice")

    assert response["Location"] == reverse("account_login")
    assert User.objects.count() == 1
    assert "exists but cannot be signed in to" in client.get(reverse("account_login")).content.decode()


def test_a_signed_in_alumnus_connects_their_school_account(client, provider):
    # From allauth's connections page: the school account then signs them in to this account.
    alumnus = AlumnusFactory(email="alumnus@alumni.test")
    client.force_login(alumnus)
    app = add_oidc_app(provider, role_claim="roles")

    # Dan's school account would not open a new account (a "student" without a school address).
    oidc_sign_in(client, app, "dan", process="connect")
    client.logout()
    oidc_sign_in(client, app, "dan")

    assert SocialAccount.objects.get().user == alumnus
    assert client.session["_auth_user_id"] == str(alumnus.pk)
    assert User.objects.count() == 1
