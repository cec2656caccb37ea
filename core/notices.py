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

import contextlib
import logging
import smtplib
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from itertools import groupby, islice

from celery import shared_task
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.html import escape
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
    return _render(notice_kind(kind), recipient, context, _language(recipient))


def _language(recipient):
    return getattr(recipient, "language", "") or settings.LANGUAGE_CODE


def _render(kind, recipient, context, language):
    ctx = {
        "recipient": recipient,
        "site_url": settings.SITE_URL,
        **(context or {}),
    }
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


# The layouts name the recipient in the greeting only. A mail sent to many people with one context
# (a campaign's opening, say) is rendered once per language with this mark in the name's place,
# which the name of each recipient then replaces: letters and digits only, so that HTML escaping
# leaves it as it is.
_NAME_MARK = f"recipientname{uuid.uuid4().hex}"


class _Greeted:
    """Stands for every recipient of a shared rendering: the layouts ask it only for the name."""

    def get_short_name(self):
        return _NAME_MARK


_GREETED = _Greeted()


def _shares_parts(kind):
    """True when the kind's own templates never name the recipient nor include another template:
    their text then depends on the context and the language only."""
    names = [kind.subject_template, kind.content_template, kind.reason_template]
    if kind.html_content:
        names.append(kind.html_content_template)
    sources = [get_template(name).template.source for name in names]
    return not any("recipient" in source or "include" in source for source in sources)


def _render_for(kind, recipient, context, shared):
    """Renders one notice; ``shared`` (a dict, for one chunk of a send; None when the kind's
    templates name the recipient) keeps the renderings of the contexts several notices share."""
    language = _language(recipient)
    if shared is None:
        return _render(kind, recipient, context, language)
    key = (id(context), language, recipient is None)
    entry = shared.get(key)
    # The context itself is kept with its rendering: its id can't be another object's meanwhile.
    if entry is None or entry[0] is not context:
        entry = shared[key] = (context, *_render(kind, None if recipient is None else _GREETED, context, language))
    _context, subject, text, html = entry
    if recipient is None:
        return subject, text, html
    name = recipient.get_short_name()
    return subject, text.replace(_NAME_MARK, name), html.replace(_NAME_MARK, escape(name))


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


# A send works through its notices in chunks: one chunk's keys, rendered mails and rows are all it
# holds at once, whatever the campaign's size, and each chunk takes the same few queries. Deliveries
# leave in tasks of DELIVERY_BATCH notices, not one task per mail.
CHUNK_SIZE = 1000
DELIVERY_BATCH = 100


def _chunks(items, size):
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def send_notices(kind, notices):
    """Queues the notice ``kind`` for every item whose key was not used yet; returns how many.

    ``notices`` may be any iterable (a generator over a queryset's ``iterator()`` keeps a large
    sweep's memory flat): it is read in chunks of ``CHUNK_SIZE``. Each chunk takes a fixed number
    of queries, whatever its size: one to find the keys already sent, then the insert that skips
    keys a concurrent sweep inserted meanwhile and tells which rows this call wrote
    (``SentNoticeQuerySet.insert_new``: on PostgreSQL a COPY and two statements, elsewhere an
    insert, which SQLite splits in batches of its own, and a read-back). Delivery is queued after
    commit, in batches, except for held notices, which wait for the digest. Raises
    ``UnknownNoticeKind`` for a kind no app declared.
    """
    kind = notice_kind(kind)
    return sum(_send_chunk(kind, chunk) for chunk in _chunks(notices, CHUNK_SIZE))


def _send_chunk(kind, notices):
    content_types = ContentType.objects.get_for_models(*{type(n.obj) for n in notices})
    sent = _sent_keys(kind, notices, content_types)
    now = timezone.now()
    rows, seen, shared = [], set(), {} if _shares_parts(kind) else None
    for notice in notices:
        content_type = content_types[type(notice.obj)]
        key = notice.key(content_type)
        if key in sent or key in seen:
            continue
        seen.add(key)
        subject, text, html = _render_for(kind, notice.recipient, notice.context, shared)
        rows.append(
            {
                "kind": kind.name,
                "content_type_id": content_type.pk,
                "object_id": notice.obj.pk,
                "recipient_id": notice.recipient.pk if notice.recipient is not None else None,
                "period": notice.period,
                "email": notice.address,
                "subject": subject[:255],
                "body_text": text,
                "body_html": html,
                "attachments": [list(a) for a in notice.attachments],
                "link": str(notice.context.get("action_url", ""))[:500],
                "held": notice.held,
                # Its delivery is queued on commit; the re-queue sweep leaves it alone meanwhile.
                "queued_at": None if notice.held else now,
            }
        )
    if not rows:
        return 0
    with transaction.atomic():
        # Keys inserted by a concurrent call are skipped here.
        inserted = SentNotice.objects.insert_new(rows)
        queued = [pk for pk, held in inserted if not held]
        # robust: a broker that does not answer must not undo the caller's work; the rows stay
        # undelivered, visible in the admin, and the re-queue sweep picks them up.
        if queued:
            transaction.on_commit(partial(_queue_deliveries, queued), robust=True)
    return len(inserted)


def _sent_keys(kind, notices, content_types):
    """The keys of these notices already in the outbox: one query."""
    key_filter = Q(pk__in=[])
    for model, content_type in content_types.items():
        ids = [n.obj.pk for n in notices if type(n.obj) is model]
        key_filter |= Q(content_type=content_type, object_id__in=ids)
    people = [n.recipient.pk for n in notices if n.recipient is not None]
    addresses = [n.email for n in notices if n.recipient is None]
    return {
        (content_type, object_id, recipient, "" if recipient is not None else email, period)
        for content_type, object_id, recipient, email, period in SentNotice.objects.filter(
            key_filter, Q(recipient__in=people) | Q(recipient__isnull=True, email__in=addresses), kind=kind.name
        ).values_list("content_type_id", "object_id", "recipient_id", "email", "period")
    }


def _queue_deliveries(notice_ids):
    """One delivery task per batch of notices. Returns how many notices were handed to the broker."""
    for start in range(0, len(notice_ids), DELIVERY_BATCH):
        try:
            deliver_notices_task.delay(notice_ids[start : start + DELIVERY_BATCH])
        except (KombuOperationalError, OSError) as error:
            # The broker is down: the notices stay undelivered in the outbox, marked as not
            # queued, and the re-queue sweep queues them once it answers again. The request that
            # sent them goes on.
            left = notice_ids[start:]
            SentNotice.objects.filter(pk__in=left).update(queued_at=None)
            logger.warning(
                "the broker is unreachable (%s): %d notice(s) wait in the outbox for the re-queue sweep",
                error,
                len(left),
            )
            return start
    return len(notice_ids)


def send_notice(kind, *, recipient, obj, context=None, period="", attachments=(), held=False):
    """Queues one notice unless its key (kind, object, recipient, period) was used; True when queued."""
    notice = Notice(recipient, obj, context or {}, period, tuple(attachments), held=held)
    return send_notices(kind, [notice]) == 1


# How long a worker may take to hand one mail to the SMTP server before another may try.
CLAIM_FOR = timedelta(minutes=5)


def deliver_notice(notice_id, now=None, connection=None):
    """Sends one queued notice. Raises on SMTP or connection errors, so that the caller retries.

    ``connection`` is an open mail connection that a batch shares (one SMTP session for its mails).

    A committed conditional update claims the row before the mail leaves: two workers given the
    same notice (a redelivered task, the re-queue sweep) never both send it, and no transaction
    stays open while the SMTP server answers. A worker that dies between sending and recording
    leaves a claim that expires; the mail may then go out again: the one case SMTP itself can't
    make exactly-once.
    """
    now = now or timezone.now()
    claimed = (
        # A held notice leaves in its recipient's digest, never on its own.
        SentNotice.objects.waiting()
        .filter(pk=notice_id)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM_FOR, last_attempt_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False  # delivered already, or being delivered by another worker right now
    notice = SentNotice.objects.get(pk=notice_id)
    try:
        _message(notice, connection).send()
    except Exception as error:
        # The caller retries it (a task queued again with a countdown): the re-queue sweep leaves
        # it to that retry.
        SentNotice.objects.filter(pk=notice_id).update(
            claimed_until=None, last_error=repr(error)[:2000], queued_at=timezone.now()
        )
        raise
    SentNotice.objects.filter(pk=notice_id).update(delivered_at=timezone.now(), claimed_until=None, last_error="")
    logger.info(
        "notice %s delivered to %s", notice.kind, f"user {notice.recipient_id}" if notice.recipient_id else "an address"
    )
    return True


def _message(notice, connection=None):
    message = EmailMultiAlternatives(
        subject=notice.subject, body=notice.body_text, to=[notice.email], connection=connection
    )
    message.attach_alternative(notice.body_html, "text/html")
    for filename, content, mimetype in notice.attachments:
        message.attach(filename, content, mimetype)
    return message


# A batch stops trying after this many transient failures in a row: the server is down, and the
# rest of the batch waits for the batch's retry rather than each mail waiting out its own timeout.
FAILURES_IN_A_ROW = 3


def deliver_notices(notice_ids):
    """Sends a batch of queued notices, one SMTP session for all, each claimed on its own.

    Returns (the notices to try again, the last transient error): those whose delivery failed on
    an SMTP or connection error, and those left untried after ``FAILURES_IN_A_ROW`` such failures.
    A notice that fails on anything else (a bug) is logged and left to the re-queue sweep; the
    batch goes on.
    """
    connection = get_connection()
    _open(connection)
    again, error, in_a_row = [], None, 0
    try:
        for index, notice_id in enumerate(notice_ids):
            try:
                deliver_notice(notice_id, connection=connection)
                in_a_row = 0
            except RETRIED as failure:
                again.append(notice_id)
                error, in_a_row = failure, in_a_row + 1
                if in_a_row >= FAILURES_IN_A_ROW:
                    again += notice_ids[index + 1 :]
                    break
                # A failed exchange may leave the session unusable: the next mail starts another.
                connection.close()
                _open(connection)
            except Exception:
                logger.exception("notice %s could not be delivered", notice_id)
    finally:
        connection.close()
    return again, error


def _open(connection):
    # When the server does not answer, each mail then tries (and fails) on its own, and says so.
    with contextlib.suppress(*RETRIED):
        connection.open()


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


# A notice whose delivery task was lost (broker down at commit, Redis restarted, a task that gave
# up after its retries) is queued again by a periodic sweep, spaced like the retries and never
# more than hourly, for as long as it is undelivered: a long SMTP outage delays mail, never drops
# it. A notice whose task was queued less than NOTICE_QUEUE_TIMEOUT ago is still on its way (a
# long campaign mailing waits its turn in the queue) and is left alone; so is one a worker has
# claimed. A worker killed while sending leaves a claim that expires, then the sweep re-sends it.
REQUEUE_SPACING_MAX = timedelta(hours=1)
REQUEUE_BATCH = 1000


def requeue_undelivered_notices(now=None):
    """Queues delivery again for the overdue notices, in batches; returns how many.

    Overdue: undelivered, not held, not claimed, never queued or queued longer ago than
    ``NOTICE_QUEUE_TIMEOUT``, and not tried lately. Each batch is locked (rows another sweep
    holds are skipped), stamped as queued and committed before its tasks leave, so that two
    sweeps at once queue each notice once, and the next sweep leaves them to their tasks.
    """
    now = now or timezone.now()
    overdue = (
        SentNotice.objects.waiting()
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lte=now - timedelta(seconds=settings.NOTICE_QUEUE_TIMEOUT)))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
    )
    total, after = 0, 0
    while True:
        with transaction.atomic():
            rows = list(
                overdue.filter(pk__gt=after)
                .order_by("pk")
                .select_for_update(skip_locked=True)
                .values_list("pk", "attempts", "last_attempt_at")[:REQUEUE_BATCH]
            )
            if not rows:
                return total
            after = rows[-1][0]
            due = [
                pk
                for pk, attempts, last_attempt in rows
                if last_attempt is None
                or last_attempt <= now - min(timedelta(seconds=retry_delay(attempts)), REQUEUE_SPACING_MAX)
            ]
            SentNotice.objects.filter(pk__in=due).update(queued_at=now)
        total += _queue_deliveries(due)


# Delivered notices keep their row, the key that makes each one exactly-once and the log staff
# read, but not their bodies: what a mail said is dropped NOTICE_BODY_RETENTION_DAYS after delivery,
# so that the outbox stays small and personal data does not linger.
PURGE_BATCH = 5000


def purge_delivered_notice_bodies(now=None):
    """Empties the text, HTML and attachments of the notices delivered more than
    ``NOTICE_BODY_RETENTION_DAYS`` ago, in batches; returns how many. Undelivered notices are kept whole."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.NOTICE_BODY_RETENTION_DAYS)
    old = SentNotice.objects.filter(delivered_at__lt=cutoff).exclude(body_html="")
    total = 0
    while ids := list(old.values_list("pk", flat=True)[:PURGE_BATCH]):
        total += SentNotice.objects.filter(pk__in=ids).update(body_text="", body_html="", attachments=[])
    return total


# Transient failures worth another try: the SMTP server or the network. Anything else is a bug
# and must show in the logs, not loop.
RETRIED = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)


def retry_delay(retries):
    """Exponential backoff with a cap: base, 2×base, 4×base… never more than the cap."""
    return min(settings.NOTICE_RETRY_BACKOFF * 2**retries, settings.NOTICE_RETRY_BACKOFF_MAX)


# Task names are those the tasks had before the outbox moved here: beat's rows and the messages
# already queued name them. The single-notice task stays for the messages still queued under it.
@shared_task(name="mentoring.notices.deliver_notice_task", bind=True, acks_late=True, max_retries=12)
def deliver_notice_task(self, notice_id):
    try:
        return deliver_notice(notice_id)
    except RETRIED as error:
        raise self.retry(exc=error, countdown=retry_delay(self.request.retries)) from error


@shared_task(name="core.notices.deliver_notices_task", bind=True, acks_late=True, max_retries=12)
def deliver_notices_task(self, notice_ids):
    """Delivers a batch; the notices that failed on a transient error are retried together."""
    again, error = deliver_notices(notice_ids)
    if again:
        raise self.retry(args=[again], exc=error, countdown=retry_delay(self.request.retries))
    return len(notice_ids)


@shared_task(name="mentoring.tasks.requeue_undelivered_notices_task", acks_late=True)
def requeue_undelivered_notices_task():
    return requeue_undelivered_notices()


@shared_task(name="core.tasks.send_digests_task", acks_late=True)
def send_digests_task():
    return send_digests()


@shared_task(name="core.tasks.purge_notice_bodies_task", acks_late=True)
def purge_notice_bodies_task():
    return purge_delivered_notice_bodies()
