import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import User
from accounts.tests.test_signup import SIGNUP, signup_data
from core.models import SentNotice

pytestmark = pytest.mark.django_db


def test_confirming_the_address_sends_the_welcome_notice_once(client, django_capture_on_commit_callbacks):
    client.post(SIGNUP, signup_data())
    confirm_link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/confirm-email/" in line)
    path = confirm_link[confirm_link.index("/accounts/confirm-email/") :].strip()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path)
    assert response.status_code == 302
    user = User.objects.get()
    assert EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    welcome = mail.outbox[0]
    assert welcome.to == [user.email]
    assert "Welcome" in welcome.subject
    assert "http://127.0.0.1:8000/me/" in welcome.body
    assert welcome.alternatives and welcome.alternatives[0][1] == "text/html"
    assert SentNotice.objects.filter(kind="welcome", recipient=user).count() == 1
