import smtplib
from unittest import mock

import pytest
from django.core import mail

from accounts.factories import AlumnusFactory, StudentFactory
from mentoring.models import SentNotice
from mentoring.notices import send_notice

pytestmark = pytest.mark.django_db


def test_a_notice_is_sent_once_per_key(student):
    assert send_notice("welcome", recipient=student, obj=student) is True
    assert send_notice("welcome", recipient=student, obj=student) is False
    assert len(mail.outbox) == 1
    assert SentNotice.objects.filter(kind="welcome", recipient=student, object_id=student.pk).count() == 1


def test_other_recipient_or_period_is_another_notice(student):
    other = AlumnusFactory()
    assert send_notice("welcome", recipient=student, obj=student)
    assert send_notice("welcome", recipient=other, obj=student)
    assert send_notice("welcome", recipient=student, obj=student, period="2027-W10")
    assert not send_notice("welcome", recipient=student, obj=student, period="2027-W10")
    assert len(mail.outbox) == 3


def test_the_mail_is_html_and_text_addressed_to_the_recipient():
    student = StudentFactory(first_name="Zoé")
    send_notice("welcome", recipient=student, obj=student, context={"action_url": "http://x/me/", "action_label": "Go"})
    message = mail.outbox[0]
    assert message.to == [student.email]
    assert "Hello Zoé," in message.body
    assert "Go: http://x/me/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'href="http://x/me/"' in html
    assert "You receive this message because" in html


def test_a_failed_send_is_not_recorded_and_a_later_call_sends_it(student):
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=smtplib.SMTPServerDisconnected("down"),
        ),
        pytest.raises(smtplib.SMTPServerDisconnected),
    ):
        send_notice("welcome", recipient=student, obj=student)
    assert not SentNotice.objects.exists()
    assert mail.outbox == []

    assert send_notice("welcome", recipient=student, obj=student) is True
    assert len(mail.outbox) == 1
    assert SentNotice.objects.count() == 1


def test_the_mail_is_rendered_in_the_recipients_language(student):
    from django.utils import translation

    student.language = "fr"
    seen = {}

    def render(template, context):
        seen[template] = translation.get_language()
        return "x"

    with mock.patch("mentoring.notices.render_to_string", side_effect=render):
        send_notice("welcome", recipient=student, obj=student)
    assert set(seen.values()) == {"fr"}
    assert translation.get_language() != "fr" or translation.get_language() is None
