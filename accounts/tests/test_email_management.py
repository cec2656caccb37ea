"""The school-domain rule holds when a student adds or changes an address in allauth's e-mail
management, not only at sign-up; whether sub-domains count is a setting."""

import html

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.factories import AlumnusFactory, StudentFactory
from accounts.rules import is_school_email

pytestmark = pytest.mark.django_db

EMAIL = reverse("account_email")


def add(client, email):
    return client.post(EMAIL, {"action_add": "", "email": email})


@pytest.mark.parametrize("email", ["elise@gmail.com", "elise@students.school.test.evil.com"])
def test_a_student_cannot_add_an_address_outside_the_school(client, email):
    student = StudentFactory()
    client.force_login(student)
    response = add(client, email)
    assert response.status_code == 200
    assert "Students use their school address" in response.content.decode()
    assert not EmailAddress.objects.filter(email=email).exists()


def test_a_student_adds_a_school_address(client):
    student = StudentFactory()
    client.force_login(student)
    response = add(client, "elise.new@students.school.test")
    assert response.status_code == 302
    assert EmailAddress.objects.filter(user=student, email="elise.new@students.school.test").exists()


def test_an_alumnus_adds_any_address(client):
    alumnus = AlumnusFactory()
    client.force_login(alumnus)
    assert add(client, "me@gmail.com").status_code == 302
    assert EmailAddress.objects.filter(user=alumnus, email="me@gmail.com").exists()


def test_sub_domains_are_a_setting(client, settings):
    assert is_school_email("x@mail.students.school.test")
    settings.STUDENT_EMAIL_ALLOW_SUBDOMAINS = False
    assert not is_school_email("x@mail.students.school.test")
    assert is_school_email("x@students.school.test")
    student = StudentFactory()
    client.force_login(student)
    assert "Students use their school address" in add(client, "x@mail.students.school.test").content.decode()


def test_sub_domains_are_accepted_by_default():
    from django.conf import settings

    assert settings.STUDENT_EMAIL_ALLOW_SUBDOMAINS is True


def test_the_refusal_is_translated(client):
    student = StudentFactory(language="fr")
    client.force_login(student)
    content = html.unescape(add(client, "elise@gmail.com").content.decode())
    assert "Les étudiants utilisent leur adresse de l'école" in content
