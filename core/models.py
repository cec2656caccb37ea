import json

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SentNoticeQuerySet(models.QuerySet):
    # A session's staging table for COPY; its rows go at commit.
    STAGING = "sentnotice_staging"

    def insert_new(self, rows):
        """Writes ``rows`` (dicts of field attnames to values; one ``batch`` token for all) but
        those whose key is already in the outbox, a concurrent sweep's say; returns the ``(pk,
        held)`` of the rows it wrote. Fields a row leaves out take their defaults.

        On PostgreSQL the rows are streamed by COPY into a staging table, then moved by one
        ``INSERT … ON CONFLICT DO NOTHING RETURNING``: a sweep's chunk costs a quarter of a
        multi-row INSERT, where Django and psycopg prepared some ten thousand parameters one by one.
        Elsewhere, ``bulk_create`` that skips conflicts, and the rows read back by their batch.
        """
        if not rows:
            return []
        batch = rows[0]["batch"]
        if connections[self.db].vendor != "postgresql":
            self.bulk_create([self.model(**row) for row in rows], ignore_conflicts=True)
            return list(self.filter(batch=batch).values_list("pk", "held"))
        connection = connections[self.db]
        fields = [f for f in self.model._meta.concrete_fields if not f.primary_key]
        now = timezone.now()
        defaults = {f.attname: _default(f, now) for f in fields}
        json_fields = {f.attname: f for f in fields if isinstance(f, models.JSONField)}
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        table, staging = quote(self.model._meta.db_table), quote(self.STAGING)
        # Only the model's own names, quoted, go into the SQL; the values are COPY's and parameters.
        create = (
            f"CREATE TEMP TABLE IF NOT EXISTS {staging} ON COMMIT DELETE ROWS "  # noqa: S608
            f"AS SELECT {columns} FROM {table} WITH NO DATA"
        )
        # Rows an earlier call of the same transaction staged are still there: the batch tells
        # this call's.
        move = (
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {staging} "  # noqa: S608
            f"WHERE {quote('batch')} = %s ON CONFLICT DO NOTHING "
            f"RETURNING {quote(self.model._meta.pk.column)}, {quote('held')}"
        )
        with transaction.atomic(using=self.db, savepoint=False), connection.cursor() as cursor:
            cursor.execute(create)
            with cursor.copy(f"COPY {staging} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    values = {**defaults, **row}
                    for name, field in json_fields.items():
                        values[name] = json.dumps(values[name], cls=field.encoder)
                    copy.write_row([values[f.attname] for f in fields])
            cursor.execute(move, [batch])
            return cursor.fetchall()


def _default(field, now):
    """What the database would get for ``field`` from a ``save()`` that left it alone."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.has_db_default() and not field.has_default():
        return getattr(field.db_default, "value", field.db_default)  # a constant, or Value(constant)
    return field.get_default()  # the default, else "" for text that can't be NULL, else None


class SentNotice(models.Model):
    """The outbox and log that make every notice exactly-once.

    A row is written, with the mail rendered in the recipient's language, in the same transaction
    as the event it tells of; its unique key (kind, object, recipient, period) makes a second
    attempt write nothing. After commit a Celery task delivers it and sets ``delivered_at``;
    a failed delivery is retried and stays visible to staff until it succeeds. ``period`` tells
    apart the occurrences of a reminder that may legitimately repeat (an ISO week, say).
    """

    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    # None for a notice to an address that is nobody's account (the Career Department's own
    # mailbox): the address then takes the recipient's place in the key.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="sent_notices",
        null=True,
        blank=True,
    )
    period = models.CharField(_("period"), max_length=32, blank=True, default="")
    # Which call inserted the row: a bulk insert that skips existing keys reads back its own rows by it.
    batch = models.UUIDField(null=True, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True, db_index=True)

    email = models.EmailField(_("sent to"))
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"))
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    # The page the notice points to, for the digest that lists it. The new columns have defaults in
    # the database too: a worker still running the previous release keeps writing notices.
    link = models.URLField(_("link"), max_length=500, blank=True, db_default="")
    # Held notices wait for the recipient's daily digest instead of leaving on commit; the digest
    # sweep that takes them in marks them delivered and records its token here.
    held = models.BooleanField(_("held for the daily digest"), default=False, db_default=False)
    digest = models.UUIDField(_("digest"), null=True, blank=True, editable=False, db_index=True)

    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    # When a delivery task for the notice was last handed to the broker: while it is recent, the
    # task is waiting in the queue (or being retried) and the re-queue sweep leaves the notice
    # alone. Empty when the broker refused the task, and for rows written before the column.
    queued_at = models.DateTimeField(_("delivery queued at"), null=True, blank=True, editable=False)
    # Set while a worker hands the mail to the SMTP server: no other worker sends it meanwhile.
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True)

    objects = SentNoticeQuerySet.as_manager()

    class Meta:
        # The table keeps the name it had when the model lived in ``mentoring``: moving the model
        # moved no row.
        db_table = "mentoring_sentnotice"
        verbose_name = _("sent notice")
        verbose_name_plural = _("sent notices")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "recipient", "period"], name="notice_sent_once"
            ),
            # NULL never equals NULL in a unique index: an address without an account needs its own key.
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "email", "period"],
                condition=models.Q(recipient__isnull=True),
                name="notice_sent_once_to_address",
            ),
        ]
        indexes = [
            # The re-queue sweep reads only the undelivered notices, oldest queue time first: a
            # small index, however large the outbox of delivered mail grows.
            models.Index(
                fields=["queued_at", "id"],
                condition=models.Q(delivered_at__isnull=True, held=False),
                name="notice_undelivered",
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient or self.email}"

    @property
    def is_delivered(self):
        return self.delivered_at is not None


class AccessRecord(models.Model):
    """Someone opened a confidential record: a road-book, a CV, an evaluation, a PDF of one, or
    a person's data export. Changes are in the audit log (django-auditlog); reads are here.
    Shown to staff on the record, and to a student for their road-book; the retention sweep
    removes the rows of a campaign past its retention period."""

    class What(models.TextChoices):
        PAGE = "page", _("page")
        PDF = "pdf", _("PDF")
        CV = "cv", _("CV")
        EXPORT = "export", _("data export")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    what = models.CharField(_("what"), max_length=10, choices=What.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="access_record_target")]

    def __str__(self):
        return f"{self.actor} · {self.get_what_display()} · {self.at:%Y-%m-%d %H:%M}"
