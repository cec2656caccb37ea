"""The one way the product sends mail to its users: exactly once per key, in their language."""

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from mentoring.models import SentNotice

logger = logging.getLogger(__name__)


def absolute_url(path):
    """A link for a mail: mails are read outside the site, so links carry the site's address."""
    return settings.SITE_URL + path


def make_message(template, recipient, context=None):
    """Renders ``templates/emails/<template>/{subject.txt,body.txt,body.html}`` for one person."""
    ctx = {
        "recipient": recipient,
        "site_url": settings.SITE_URL,
        "programme_name": settings.PROGRAMME_NAME,
        "school_name": settings.SCHOOL_NAME,
        **(context or {}),
    }
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{template}/subject.txt", ctx).split())
        text = render_to_string(f"emails/{template}/body.txt", ctx)
        html = render_to_string(f"emails/{template}/body.html", ctx)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[recipient.email])
    message.attach_alternative(html, "text/html")
    return message


def send_notice(kind, *, recipient, obj, context=None, period="", template=None, attachments=()):
    """Sends the notice ``kind`` about ``obj`` to ``recipient`` unless it was sent already.

    The sent-notice row and the mail share one transaction: when the mail cannot be sent, the row
    is rolled back, so the notice counts as not sent and a later attempt may send it. Two
    concurrent calls with the same key queue on the unique index; the second finds the row and
    sends nothing. Returns True when this call sent the mail.
    """
    content_type = ContentType.objects.get_for_model(obj)
    with transaction.atomic():
        try:
            with transaction.atomic():
                SentNotice.objects.create(
                    kind=kind, content_type=content_type, object_id=obj.pk, recipient=recipient, period=period
                )
        except IntegrityError:
            return False
        message = make_message(template or kind, recipient, context)
        for attachment in attachments:
            message.attach(*attachment)
        message.send()
    logger.info("notice %s sent to user %s about %s #%s", kind, recipient.pk, content_type.model, obj.pk)
    return True
