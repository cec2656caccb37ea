"""The school's single sign-on policy: the sign-in page's buttons, who may still use a password,
and what staff see and may enter in the admin. No provider needs to answer for these."""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialApp
from django.urls import reverse

from accounts.factories import PASSWORD, AlumnusFactory, StaffFactory, StudentFactory
from accounts.models import SchoolSignOn, User

pytestmark = pytest.mark.django_db

IDP = "https://login.school.test"


def school_app(**policy):
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id="school",
        name="Lycée Test",
        client_id="mentoring",
        secret="s",
        settings={"server_url": IDP + "/tenant/v2.0"},
    )
    SchoolSignOn.objects.create(app=app, **policy)
    return app


def sign_in(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def test_the_sign_in_page_has_a_button_per_provider_and_may_send_its_forms_there(client):
    school_app()

    response = client.get(reverse("account_login"))

    page = response.content.decode()
    assert "Sign in with Lycée Test" in page
    assert 'action="/accounts/oidc/school/login/"' in page
    policy = response["Content-Security-Policy"]
    form_action = next(d for d in policy.split(";") if d.strip().startswith("form-action"))
    assert "'self'" in form_action and IDP in form_action


def test_without_a_provider_the_sign_in_page_is_as_before(client):
    response = client.get(reverse("account_login"))

    assert "Sign in with" not in response.content.decode()
    assert "form-action 'self';" in response["Content-Security-Policy"] + ";"


def test_students_who_must_use_sso_are_sent_to_the_button(client):
    school_app(students_must_use=True)
    student = StudentFactory()

    response = sign_in(client, student)

    assert response.status_code == 200
    assert "use the “Sign in with Lycée Test” button" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_alumni_always_keep_their_password(client):
    school_app(students_must_use=True, staff_must_use=True)
    alumnus = AlumnusFactory()

    response = sign_in(client, alumnus)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alumnus.pk)


def test_staff_who_must_use_sso_are_refused_but_superusers_keep_their_password(client):
    school_app(staff_must_use=True)
    staff = StaffFactory()
    admin = User.objects.create_superuser("root@school.test", PASSWORD)
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)

    assert "use the “Sign in with Lycée Test” button" in sign_in(client, staff).content.decode()
    assert "_auth_user_id" not in client.session
    assert sign_in(client, admin).status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)


def test_a_student_keeps_the_password_while_only_staff_must_use_sso(client):
    school_app(staff_must_use=True)
    student = StudentFactory()

    assert sign_in(client, student).status_code == 302


def test_a_wrong_password_is_still_just_a_wrong_password(client):
    school_app(students_must_use=True)
    student = StudentFactory()

    response = client.post(reverse("account_login"), {"login": student.email, "password": "wrong"})

    assert "Sign in with Lycée Test”" not in response.content.decode()
    assert "not correct" in response.content.decode()


def test_students_cannot_sign_up_with_a_password_when_they_must_use_sso(client):
    school_app(students_must_use=True)
    data = {
        "role": "student",
        "first_name": "Zoé",
        "last_name": "Blanc",
        "email": "zoe@students.school.test",
        "password1": "a long enough passphrase 42",
        "password2": "a long enough passphrase 42",
        "language": "fr",
        "accept_charter": "on",
        "accept_privacy": "on",
    }

    response = client.post(reverse("account_signup"), data)

    assert response.status_code == 200
    assert "Students sign in with their school account" in response.content.decode()
    assert not User.objects.filter(email="zoe@students.school.test").exists()
    # Alumni still sign up.
    client.post(reverse("account_signup"), {**data, "role": "alumnus", "email": "zoe@alumni.test"})
    assert User.objects.filter(email="zoe@alumni.test", role=User.Role.ALUMNUS).exists()


def test_role_values_are_matched_without_case_students_first():
    policy = SchoolSignOn()

    assert policy.role_for(["Member", "STUDENT", "staff"]) == User.Role.STUDENT
    assert policy.role_for(["Faculty"]) == User.Role.STAFF
    assert policy.role_for(["alum"]) == User.Role.ALUMNUS
    assert policy.role_for(["member"]) is None


# --- The admin -----------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_staff_see_the_addresses_to_register_for_each_kind_of_provider(staff_client, settings):
    settings.SITE_URL = "https://mentoring.school.test"
    oidc = school_app()
    saml = SocialApp.objects.create(
        provider="saml",
        name="Shibboleth",
        client_id="campus",
        settings={"idp": {"entity_id": "x", "metadata_url": "https://idp.school.test/md"}},
    )

    page = staff_client.get(reverse("admin:socialaccount_socialapp_change", args=[oidc.pk])).content.decode()
    assert "https://mentoring.school.test/accounts/oidc/school/login/callback/" in page
    page = staff_client.get(reverse("admin:socialaccount_socialapp_change", args=[saml.pk])).content.decode()
    assert "https://mentoring.school.test/accounts/saml/campus/metadata/" in page
    assert "https://mentoring.school.test/accounts/saml/campus/acs/" in page


def _add(staff_client, **fields):
    data = {
        "provider": "openid_connect",
        "provider_id": "school",
        "name": "Lycée Test",
        "client_id": "mentoring",
        "secret": "s",
        "key": "",
        "settings": '{"server_url": "https://login.school.test"}',
        "school_sign_on-TOTAL_FORMS": "1",
        "school_sign_on-INITIAL_FORMS": "0",
        "school_sign_on-MIN_NUM_FORMS": "0",
        "school_sign_on-MAX_NUM_FORMS": "1",
        "school_sign_on-0-students_must_use": "on",
        "school_sign_on-0-role_claim": "roles",
        "school_sign_on-0-student_values": "student",
        "school_sign_on-0-alumnus_values": "alum",
        "school_sign_on-0-staff_values": "staff",
        **fields,
    }
    return staff_client.post(reverse("admin:socialaccount_socialapp_add"), data)


def test_staff_add_a_provider_with_its_policy(staff_client):
    response = _add(staff_client)

    assert response.status_code == 302, response.content.decode()[:3000]
    app = SocialApp.objects.get()
    assert app.school_sign_on.students_must_use and app.school_sign_on.role_claim == "roles"


def test_a_saml_provider_is_told_apart_by_its_slug(staff_client):
    settings = '{"idp": {"entity_id": "e", "metadata_url": "https://idp.school.test/md"}}'
    response = _add(staff_client, provider="saml", provider_id="", client_id="campus", settings=settings)

    assert response.status_code == 302
    assert SocialApp.objects.get().provider_id == "campus"


def test_a_second_provider_with_the_same_name_is_refused(staff_client):
    school_app()

    response = _add(staff_client)

    assert "Another provider of this kind already uses this name." in response.content.decode()
    assert SocialApp.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"settings": "{}"}, "OpenID Connect needs"),
        ({"provider_id": ""}, "needs a provider ID"),
        ({"provider_id": "a/b"}, "part of a URL"),
        ({"provider": "saml", "settings": '{"idp": {}}'}, "SAML needs"),
        ({"provider": "saml", "settings": '{"idp": {"entity_id": "e"}}'}, "metadata_url"),
        ({"settings": "[1]"}, "braces"),
    ],
)
def test_a_provider_missing_what_it_needs_is_refused_with_the_reason(staff_client, fields, message):
    response = _add(staff_client, **fields)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SocialApp.objects.exists()
