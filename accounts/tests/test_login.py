import pytest
from django.urls import reverse

from accounts.factories import PASSWORD, StudentFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")


def test_login_by_email_lands_in_the_personal_area(client):
    user = StudentFactory(email="Camille@Students.School.test".lower())
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mentoring:me")
    assert client.get(reverse("mentoring:me")).status_code == 200


def test_login_form_asks_for_an_email_not_a_username(client):
    content = client.get(LOGIN).content.decode()
    assert 'type="email"' in content
    assert "username" not in content.lower()


def test_wrong_password_is_refused_with_a_message(client):
    user = StudentFactory()
    response = client.post(LOGIN, {"login": user.email, "password": "wrong"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_unverified_address_cannot_sign_in(client):
    user = UserFactory(verified=False)
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_repeated_login_failures_are_rate_limited(client):
    user = StudentFactory()
    for _ in range(5):
        client.post(LOGIN, {"login": user.email, "password": "wrong"})
    # Past the per-account limit (5 failures in 5 minutes) even the right password is refused.
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_admin_refuses_a_signed_in_non_staff_user(client):
    client.force_login(StudentFactory())
    response = client.get("/admin/login/")
    assert response.status_code == 403
    assert "This page is for the Alumni Career Department" in response.content.decode()  # the site's page
    assert client.get("/admin/").status_code == 302  # to the admin login, which then refuses


def test_admin_opens_for_staff(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Campaigns" in response.content.decode()


def test_allauth_pages_use_sentence_case_like_the_rest(client):
    content = client.get(reverse("account_login")).content.decode()
    assert "Sign in" in content and "Sign In" not in content
    assert "Forgot your password?" in content or "Forgot password?" in content
    content = client.get(reverse("account_reset_password")).content.decode()
    assert "Password reset" in content and "Password Reset" not in content
    # French keeps allauth's own translation.
    content = client.get(reverse("account_login"), headers={"accept-language": "fr"}).content.decode()
    assert "Sign in" not in content
