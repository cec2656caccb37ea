"""The one way the product sends mail to its users: exactly once per key, in their language.

``send_notice`` records the rendered mail in the sent-notice outbox inside the caller's
transaction and queues its delivery after commit; ``deliver_notice`` sends it, and the Celery
task around it retries SMTP and connection errors with a capped exponential backoff.
"""

import logging
import smtplib
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from mentoring.models import SentNotice

logger = logging.getLogger(__name__)


def absolute_url(path):
    """A link for a mail: mails are read outside the site, so links carry the site's address."""
    return settings.SITE_URL + path


def render_notice(template, recipient, context=None):
    """Renders ``templates/emails/<template>/`` for one person: (subject, text, html).

    Each notice has ``subject.txt`` and ``content.txt`` (plain paragraphs); the shared layouts
    ``emails/layout.txt`` and ``emails/layout.html`` add the greeting and the link back;
    ``reason.txt`` is the footer that says why the person receives it.
    """
    ctx = {
        "recipient": recipient,
        "site_url": settings.SITE_URL,
        "programme_name": settings.PROGRAMME_NAME,
        "school_name": settings.SCHOOL_NAME,
        **(context or {}),
    }
    language = recipient.language or settings.LANGUAGE_CODE
    ctx["LANGUAGE_CODE"] = language
    with translation.override(language):
        subject = " ".join(_render_plain(f"emails/{template}/subject.txt", ctx).split())
        ctx["content"] = _render_plain(f"emails/{template}/content.txt", ctx).strip()
        ctx["reason"] = _render_plain(f"emails/{template}/reason.txt", ctx).strip()
        text = _render_plain("emails/layout.txt", ctx)
        html = render_to_string("emails/layout.html", ctx)
    return subject, text, html


def _render_plain(template_name, context):
    """Renders a text template without HTML escaping: what users typed reaches the mail as typed.

    The HTML layout escapes these parts itself when it places them.
    """
    return get_template(template_name).template.render(Context(context, autoescape=False))


def send_notice(kind, *, recipient, obj, context=None, period="", template=None, attachments=()):
    """Queues the notice ``kind`` about ``obj`` for ``recipient`` unless it was queued already.

    Returns True when this call queued it. Two concurrent calls with the same key queue on the
    unique index; the second finds the row and queues nothing. ``attachments`` are
    ``(filename, text, mimetype)`` triples.
    """
    content_type = ContentType.objects.get_for_model(obj)
    subject, text, html = render_notice(template or kind, recipient, context)
    try:
        with transaction.atomic():
            notice = SentNotice.objects.create(
                kind=kind,
                content_type=content_type,
                object_id=obj.pk,
                recipient=recipient,
                period=period,
                email=recipient.email,
                subject=subject[:255],
                body_text=text,
                body_html=html,
                attachments=[list(a) for a in attachments],
            )
    except IntegrityError:
        return False
    # robust: a broker that does not answer must not undo the user's action; the row stays
    # undelivered and visible in the admin.
    transaction.on_commit(lambda: deliver_notice_task.delay(notice.pk), robust=True)
    return True


def deliver_notice(notice_id):
    """Sends one queued notice. Raises on SMTP or connection errors, so that the caller retries.

    Delivery claims the row: two workers given the same notice (a redelivered task, a re-queue
    by the sweep) never both send it. The second skips the locked row, or finds it delivered.
    """
    try:
        with transaction.atomic():
            notice = (
                SentNotice.objects.select_for_update(skip_locked=True)
                .filter(pk=notice_id, delivered_at__isnull=True)
                .first()
            )
            if notice is None:
                return False  # delivered already, or being delivered by another worker right now
            _message(notice).send()
            SentNotice.objects.filter(pk=notice.pk).update(
                delivered_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
            )
    except Exception as error:
        # After the rollback, so that the failure stays on record for the admin and the sweep.
        SentNotice.objects.filter(pk=notice_id).update(attempts=F("attempts") + 1, last_error=repr(error)[:2000])
        raise
    logger.info("notice %s delivered to user %s", notice.kind, notice.recipient_id)
    return True


def _message(notice):
    message = EmailMultiAlternatives(subject=notice.subject, body=notice.body_text, to=[notice.email])
    message.attach_alternative(notice.body_html, "text/html")
    for filename, content, mimetype in notice.attachments:
        message.attach(filename, content, mimetype)
    return message


# A notice whose delivery task was lost (broker down at commit, worker killed) is queued again by
# a periodic sweep once it is this old; past REQUEUE_MAX_ATTEMPTS failures only the task's own
# retries go on, so that a long SMTP outage does not pile up tasks.
REQUEUE_AFTER = timedelta(minutes=10)
REQUEUE_MAX_ATTEMPTS = 5


def requeue_undelivered_notices(now=None):
    """Queues delivery again for notices still undelivered after a while. Safe: delivery claims the row."""
    cutoff = (now or timezone.now()) - REQUEUE_AFTER
    ids = list(
        SentNotice.objects.filter(
            delivered_at__isnull=True, created_at__lte=cutoff, attempts__lt=REQUEUE_MAX_ATTEMPTS
        ).values_list("pk", flat=True)
    )
    for notice_id in ids:
        deliver_notice_task.delay(notice_id)
    return len(ids)


# Transient failures worth another try: the SMTP server or the network. Anything else is a bug
# and must show in the logs, not loop.
RETRIED = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)


@shared_task(
    acks_late=True,
    autoretry_for=RETRIED,
    retry_backoff=30,
    # Under the broker's visibility timeout (3,600 s), so a delayed retry is never redelivered.
    retry_backoff_max=3000,
    retry_jitter=True,
    max_retries=12,
)
def deliver_notice_task(notice_id):
    return deliver_notice(notice_id)
