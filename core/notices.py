"""The one way the product sends mail to its users: exactly once per key, in their language.

Every kind of notice is declared once, by the app that sends it, in its ``<app>/notices.py``
(``register(NoticeKind(...))``); the outbox refuses a kind nobody declared.

``send_notice`` records the rendered mail in the sent-notice outbox inside the caller's
transaction and queues its delivery after commit; ``deliver_notice`` sends it, and the Celery
task around it retries SMTP and connection errors with a capped exponential backoff.

A notice may be *held* for the recipient's daily digest instead: it is written the same way,
keyed the same way, but waits for ``send_digests``, which gathers every held notice of a person
into one mail.
"""

import logging
import smtplib
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import groupby

from celery import shared_task
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError as KombuOperationalError

from core import i18n
from core.models import SentNotice

logger = logging.getLogger(__name__)


def absolute_url(path):
    """A link for a mail: mails are read outside the site, so links carry the site's address."""
    return settings.SITE_URL + path


def action(path, label):
    """The link back to the page where the recipient acts: the mail's button and its text form."""
    return {"action_url": absolute_url(path), "action_label": label}


# The footer that says why the person receives a notice, unless its kind has its own.
DEFAULT_REASON = "emails/reason.txt"


@dataclass(frozen=True)
class NoticeKind:
    """A kind of notice and its templates, in ``templates/emails/<template_dir>/``.

    ``subject.txt`` and ``content.txt`` (plain paragraphs) are the kind's own; the shared layouts
    ``emails/layout.txt`` and ``emails/layout.html`` add the greeting and the link back. The
    footer that says why the person receives it is ``emails/reason.txt``, or the kind's own
    ``reason.txt`` when it declares ``own_reason``.

    ``label`` names the kind for staff reading the outbox in the admin: a short translatable
    phrase (``gettext_lazy``), in the programme's words. Every declared kind has one (a test says
    so); it is no part of the kind's identity.
    """

    name: str
    template_dir: str = ""
    own_reason: bool = False
    # A footer shared by several kinds (the one of staff notices, say), instead of the default.
    reason: str = ""
    # The kind's own ``content.html``, for content plain paragraphs can't say (a list of links).
    html_content: bool = False
    label: str | Promise = field(default="", kw_only=True, compare=False)

    def __post_init__(self):
        if not self.template_dir:
            object.__setattr__(self, "template_dir", self.name)

    @property
    def subject_template(self):
        return f"emails/{self.template_dir}/subject.txt"

    @property
    def content_template(self):
        return f"emails/{self.template_dir}/content.txt"

    @property
    def reason_template(self):
        if self.own_reason:
            return f"emails/{self.template_dir}/reason.txt"
        return self.reason or DEFAULT_REASON

    @property
    def html_content_template(self):
        return f"emails/{self.template_dir}/content.html" if self.html_content else ""


class UnknownNoticeKind(LookupError):
    """A notice of a kind no app declared: a typo would otherwise mail people a broken message."""


_KINDS: dict[str, NoticeKind] = {}


def register(*kinds):
    """Declares notice kinds; each name once, across every app."""
    for kind in kinds:
        if kind.name in _KINDS:
            raise ImproperlyConfigured(f"The notice kind {kind.name!r} is declared twice.")
        _KINDS[kind.name] = kind


def notice_kind(name):
    """The declared kind called ``name``; raises ``UnknownNoticeKind`` for any other name."""
    try:
        return _KINDS[name]
    except KeyError:
        raise UnknownNoticeKind(f"No app declares the notice kind {name!r}.") from None


def notice_kinds():
    """Every declared kind, by name."""
    return sorted(_KINDS.values(), key=lambda kind: kind.name)


def render_notice(kind, recipient, context=None):
    """Renders a notice of the declared ``kind`` (its name) for one person: (subject, text, html).

    ``recipient`` is None for a bare address: the mail is then in the site's language.
    """
    kind = notice_kind(kind)
    ctx = {
        "recipient": recipient,
        "site_url": settings.SITE_URL,
        **(context or {}),
    }
    language = getattr(recipient, "language", "") or settings.LANGUAGE_CODE
    ctx.setdefault("programme_name", i18n.programme_name(language))
    ctx.setdefault("school_name", i18n.school_name(language))
    ctx["LANGUAGE_CODE"] = language
    with translation.override(language):
        subject = " ".join(_render_plain(kind.subject_template, ctx).split())
        ctx["content"] = _render_plain(kind.content_template, ctx).strip()
        ctx["reason"] = _render_plain(kind.reason_template, ctx).strip()
        if kind.html_content:
            ctx["content_html"] = render_to_string(kind.html_content_template, ctx)
        text = _render_plain("emails/layout.txt", ctx)
        html = render_to_string("emails/layout.html", ctx)
    return subject, text, html


def _render_plain(template_name, context):
    """Renders a text template without HTML escaping: what users typed reaches the mail as typed.

    The HTML layout escapes these parts itself when it places them.
    """
    return get_template(template_name).template.render(Context(context, autoescape=False))


@dataclass
class Notice:
    """One notice to send: to whom, about what, with what template context.

    ``recipient`` is a user, or None with ``email`` for an address that is nobody's account.
    ``held`` keeps the notice for the recipient's daily digest instead of mailing it on commit.
    """

    recipient: object
    obj: object
    context: dict = field(default_factory=dict)
    period: str = ""
    attachments: tuple = ()
    held: bool = False
    email: str = ""

    def __post_init__(self):
        # One address, one key, however it was typed.
        self.email = self.email.strip().lower()
        if self.recipient is None and not self.email:
            raise ValueError("A notice goes to a user or, without one, to an address.")
        if self.recipient is None and self.held:
            raise ValueError("Only a user has a daily digest to hold a notice for.")

    @property
    def address(self):
        return self.recipient.email if self.recipient is not None else self.email

    def key(self, content_type):
        """The outbox's key: a user, or a bare address in the user's place."""
        if self.recipient is not None:
            return (content_type.pk, self.obj.pk, self.recipient.pk, "", self.period)
        return (content_type.pk, self.obj.pk, None, self.email, self.period)


def send_notices(kind, notices):
    """Queues the notice ``kind`` for every item whose key was not used yet; returns how many.

    In a fixed number of queries, whatever the number of items (SQLite splits large inserts in
    batches of its own): one to find the keys already sent, one insert that skips keys a
    concurrent sweep inserted meanwhile, one to read back the rows this call inserted. Delivery is
    queued after commit, except for held notices, which wait for the digest. Raises
    ``UnknownNoticeKind`` for a kind no app declared.
    """
    notice_kind(kind)
    notices = list(notices)
    if not notices:
        return 0
    content_types = ContentType.objects.get_for_models(*{type(n.obj) for n in notices})
    key_filter = Q(pk__in=[])
    for model, content_type in content_types.items():
        ids = [n.obj.pk for n in notices if type(n.obj) is model]
        key_filter |= Q(content_type=content_type, object_id__in=ids)
    people = [n.recipient.pk for n in notices if n.recipient is not None]
    addresses = [n.email for n in notices if n.recipient is None]
    sent = {
        (content_type, object_id, recipient, "" if recipient is not None else email, period)
        for content_type, object_id, recipient, email, period in SentNotice.objects.filter(
            key_filter, Q(recipient__in=people) | Q(recipient__isnull=True, email__in=addresses), kind=kind
        ).values_list("content_type_id", "object_id", "recipient_id", "email", "period")
    }
    batch = uuid.uuid4()
    rows, seen = [], set()
    for notice in notices:
        content_type = content_types[type(notice.obj)]
        key = notice.key(content_type)
        if key in sent or key in seen:
            continue
        seen.add(key)
        subject, text, html = render_notice(kind, notice.recipient, notice.context)
        rows.append(
            SentNotice(
                kind=kind,
                content_type=content_type,
                object_id=notice.obj.pk,
                recipient=notice.recipient,
                period=notice.period,
                batch=batch,
                email=notice.address,
                subject=subject[:255],
                body_text=text,
                body_html=html,
                attachments=[list(a) for a in notice.attachments],
                link=str(notice.context.get("action_url", ""))[:500],
                held=notice.held,
            )
        )
    if not rows:
        return 0
    with transaction.atomic():
        # Keys inserted by a concurrent call are skipped here; the batch token tells this call's
        # rows from theirs.
        SentNotice.objects.bulk_create(rows, ignore_conflicts=True)
        inserted = list(SentNotice.objects.filter(batch=batch).values_list("pk", "held"))
        queued = [pk for pk, held in inserted if not held]
        # robust: a broker that does not answer must not undo the caller's work; the rows stay
        # undelivered, visible in the admin, and the re-queue sweep picks them up.
        if queued:
            transaction.on_commit(lambda: _queue_deliveries(queued), robust=True)
    return len(inserted)


def _queue_deliveries(notice_ids):
    for index, notice_id in enumerate(notice_ids):
        try:
            deliver_notice_task.delay(notice_id)
        except (KombuOperationalError, OSError) as error:
            # The broker is down: the notices stay undelivered in the outbox, and the re-queue
            # sweep queues them once it answers again. The request that sent them goes on.
            logger.warning(
                "the broker is unreachable (%s): %d notice(s) wait in the outbox for the re-queue sweep",
                error,
                len(notice_ids) - index,
            )
            return


def send_notice(kind, *, recipient, obj, context=None, period="", attachments=(), held=False):
    """Queues one notice unless its key (kind, object, recipient, period) was used; True when queued."""
    notice = Notice(recipient, obj, context or {}, period, tuple(attachments), held=held)
    return send_notices(kind, [notice]) == 1


# How long a worker may take to hand one mail to the SMTP server before another may try.
CLAIM_FOR = timedelta(minutes=5)


def deliver_notice(notice_id, now=None):
    """Sends one queued notice. Raises on SMTP or connection errors, so that the caller retries.

    A committed conditional update claims the row before the mail leaves: two workers given the
    same notice (a redelivered task, the re-queue sweep) never both send it, and no transaction
    stays open while the SMTP server answers. A worker that dies between sending and recording
    leaves a claim that expires; the mail may then go out again: the one case SMTP itself can't
    make exactly-once.
    """
    now = now or timezone.now()
    claimed = (
        # A held notice leaves in its recipient's digest, never on its own.
        SentNotice.objects.filter(pk=notice_id, delivered_at__isnull=True, held=False)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM_FOR, last_attempt_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False  # delivered already, or being delivered by another worker right now
    notice = SentNotice.objects.get(pk=notice_id)
    try:
        _message(notice).send()
    except Exception as error:
        SentNotice.objects.filter(pk=notice_id).update(claimed_until=None, last_error=repr(error)[:2000])
        raise
    SentNotice.objects.filter(pk=notice_id).update(delivered_at=timezone.now(), claimed_until=None, last_error="")
    logger.info(
        "notice %s delivered to %s", notice.kind, f"user {notice.recipient_id}" if notice.recipient_id else "an address"
    )
    return True


def _message(notice):
    message = EmailMultiAlternatives(subject=notice.subject, body=notice.body_text, to=[notice.email])
    message.attach_alternative(notice.body_html, "text/html")
    for filename, content, mimetype in notice.attachments:
        message.attach(filename, content, mimetype)
    return message


# --- The daily digest -------------------------------------------------------------------------

# The digest is a notice of its own: one per person and sweep, keyed by the sweep's token, so it
# is delivered, retried and logged like any other.
DIGEST = "notice_digest"
register(NoticeKind(DIGEST, own_reason=True, html_content=True, label=_("Daily summary for staff")))


def send_digests(now=None):
    """Gathers every held notice into one digest per recipient; returns how many digests were queued.

    A conditional update claims the held notices and marks them delivered in the transaction that
    queues the digests: a second sweep, even one running at the same moment, finds nothing left to
    claim (on PostgreSQL it waits for the first one's row locks, then sees them delivered). In a
    fixed number of queries, whatever the number of notices and people.
    """
    now = now or timezone.now()
    token = uuid.uuid4()
    with transaction.atomic():
        claimed = SentNotice.objects.filter(held=True, delivered_at__isnull=True).update(digest=token, delivered_at=now)
        if not claimed:
            return 0
        held = (
            SentNotice.objects.filter(digest=token)
            .select_related("recipient")
            .order_by("recipient_id", "created_at", "pk")
        )
        digests = []
        for _recipient_id, notices in groupby(held, key=lambda notice: notice.recipient_id):
            notices = list(notices)
            recipient = notices[0].recipient
            digests.append(Notice(recipient, recipient, {"notices": notices}, period=token.hex))
        return send_notices(DIGEST, digests)


# A notice whose delivery task was lost (broker down at commit, worker killed) or whose task gave
# up after its retries is queued again by a periodic sweep, spaced like the retries and never
# more than hourly, for as long as it is undelivered: a long SMTP outage delays mail, never drops it.
REQUEUE_AFTER = timedelta(minutes=10)
REQUEUE_SPACING_MAX = timedelta(hours=1)


def requeue_undelivered_notices(now=None):
    """Queues delivery again for notices still undelivered and not tried lately. Safe: delivery claims the row."""
    now = now or timezone.now()
    candidates = SentNotice.objects.filter(
        delivered_at__isnull=True, held=False, created_at__lte=now - REQUEUE_AFTER
    ).filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
    due = [
        pk
        for pk, attempts, last_attempt in candidates.values_list("pk", "attempts", "last_attempt_at")
        if last_attempt is None
        or last_attempt <= now - min(timedelta(seconds=retry_delay(attempts)), REQUEUE_SPACING_MAX)
    ]
    for notice_id in due:
        deliver_notice_task.delay(notice_id)
    return len(due)


# Transient failures worth another try: the SMTP server or the network. Anything else is a bug
# and must show in the logs, not loop.
RETRIED = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)


def retry_delay(retries):
    """Exponential backoff with a cap: base, 2×base, 4×base… never more than the cap."""
    return min(settings.NOTICE_RETRY_BACKOFF * 2**retries, settings.NOTICE_RETRY_BACKOFF_MAX)


# Task names are those the tasks had before the outbox moved here: beat's rows and the messages
# already queued name them.
@shared_task(name="mentoring.notices.deliver_notice_task", bind=True, acks_late=True, max_retries=12)
def deliver_notice_task(self, notice_id):
    try:
        return deliver_notice(notice_id)
    except RETRIED as error:
        raise self.retry(exc=error, countdown=retry_delay(self.request.retries)) from error


@shared_task(name="mentoring.tasks.requeue_undelivered_notices_task", acks_late=True)
def requeue_undelivered_notices_task():
    return requeue_undelivered_notices()


@shared_task(name="core.tasks.send_digests_task", acks_late=True)
def send_digests_task():
    return send_digests()
