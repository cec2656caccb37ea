import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

SIGNUP = reverse("account_signup")


def signup_data(**overrides):
    data = {
        "role": "student",
        "first_name": "Élise",
        "last_name": "Durand",
        "email": "elise.durand@students.school.test",
        "password1": "a-long-and-unusual-passphrase",
        "password2": "a-long-and-unusual-passphrase",
        "language": "en",
        "accept_charter": "on",
        "accept_privacy": "on",
    }
    data.update(overrides)
    return data


def test_signup_page_shows_the_role_choice(client):
    response = client.get(SIGNUP)
    assert response.status_code == 200
    assert b'name="role"' in response.content
    assert b'name="first_name"' in response.content


def test_student_signs_up_with_a_school_address(client):
    response = client.post(SIGNUP, signup_data())
    assert response.status_code == 302
    user = User.objects.get(email="elise.durand@students.school.test")
    assert user.role == User.Role.STUDENT
    assert (user.first_name, user.last_name) == ("Élise", "Durand")
    # Verification is mandatory: a mail with a confirmation link goes out, the address is not verified yet.
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_student_signup_on_a_subdomain_of_the_school_is_accepted(client):
    client.post(SIGNUP, signup_data(email="x@mail.students.school.test"))
    assert User.objects.filter(email="x@mail.students.school.test", role="student").exists()


@pytest.mark.parametrize("email", ["elise@gmail.com", "elise@students.school.test.evil.com", "elise@notschool.test"])
def test_student_signup_outside_the_school_domains_is_refused(client, email):
    response = client.post(SIGNUP, signup_data(email=email))
    assert response.status_code == 200
    assert "Students sign up with their school address" in response.content.decode()
    assert not User.objects.exists()
    assert mail.outbox == []


def test_alumnus_signs_up_with_any_address(client):
    response = client.post(SIGNUP, signup_data(role="alumnus", email="elise@gmail.com", language="fr"))
    assert response.status_code == 302
    user = User.objects.get(email="elise@gmail.com")
    assert user.role == User.Role.ALUMNUS
    assert user.language == "fr"


def test_signup_without_a_role_is_refused(client):
    data = signup_data()
    del data["role"]
    response = client.post(SIGNUP, data)
    assert response.status_code == 200
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("role", "email", "profile"),
    [
        ("student", "elise.durand@students.school.test", "student_profile"),
        ("alumnus", "elise@gmail.com", "alumnus_profile"),
    ],
)
def test_signup_creates_the_roles_empty_profile(client, role, email, profile):
    client.post(SIGNUP, signup_data(role=role, email=email))
    user = User.objects.get(email=email)
    assert getattr(user, profile).user == user
    assert user.profile is not None
    assert not user.profile.is_complete


def test_an_address_too_long_for_the_database_is_refused(client):
    email = "z" * 300 + "@gmail.com"
    response = client.post(SIGNUP, signup_data(role="alumnus", email=email))
    assert response.status_code == 200
    assert not User.objects.exists()


def test_the_school_domain_rule_is_said_before_signing_up(client):
    assert "Students sign up with their school address" in client.get(SIGNUP).content.decode()
