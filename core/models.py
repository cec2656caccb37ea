import hashlib
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _


class SentNoticeQuerySet(models.QuerySet):
    # From this many rows, PostgreSQL gets them by COPY: a sweep's chunk of a thousand costs a
    # quarter of a multi-row INSERT (where Django and psycopg prepared some twenty thousand
    # parameters one by one). A request's one or two notices take the plain INSERT.
    COPY_FROM_ROWS = 100

    def waiting(self):
        """Notices still to leave on their own (a held one leaves in its recipient's digest):
        what the partial index ``notice_undelivered`` holds."""
        return self.filter(delivered_at__isnull=True, held=False)

    def insert_new(self, rows: list[dict]) -> list[tuple[int, bool]]:
        """Writes ``rows`` (dicts of field attnames to values; fields left out take their
        defaults) but those whose key is already in the outbox, a concurrent sweep's say; returns
        the ``(pk, held)`` of the rows it wrote.

        On PostgreSQL, from ``COPY_FROM_ROWS`` rows: COPY into the session's staging table, then
        one statement that empties it into the outbox with ``ON CONFLICT DO NOTHING RETURNING``.
        Otherwise ``bulk_create`` skipping conflicts, and the rows read back by a batch token.
        """
        fields = {f.attname: f for f in self.model._meta.concrete_fields if not f.primary_key}
        for row in rows:
            if unknown := set(row) - set(fields):
                raise TypeError(f"{self.model.__name__} has no field {', '.join(sorted(unknown))}")
        if not rows:
            return []
        db = router.db_for_write(self.model)
        connection = connections[db]
        # Which call wrote a row: a bulk insert that skips conflicts reads back its own by it.
        batch = uuid.uuid4()
        if connection.vendor != "postgresql" or len(rows) < self.COPY_FROM_ROWS:
            self.using(db).bulk_create([self.model(**{**row, "batch": batch}) for row in rows], ignore_conflicts=True)
            return list(self.using(db).filter(batch=batch).values_list("pk", "held"))
        return _copy_in(connection, self.model, list(fields.values()), [{**row, "batch": batch} for row in rows])


def _copy_in(connection, model, fields, rows):
    now = timezone.now()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    # The staging table is named after its columns and their types: a release whose model
    # differs gets a table of its own, not one a session made before a migration.
    shape = ", ".join(f"{quote(f.column)} {f.db_type(connection)}" for f in fields)
    staging = quote(f"{model._meta.db_table}_staging_{hashlib.sha256(shape.encode()).hexdigest()[:12]}")
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    # Only the model's own names, quoted, go into the SQL; the values go by COPY.
    create = f"CREATE TEMP TABLE IF NOT EXISTS {staging} ({shape}) ON COMMIT DELETE ROWS"
    move = (
        f"WITH staged AS (DELETE FROM {staging} RETURNING {columns}) "  # noqa: S608
        f"INSERT INTO {table} ({columns}) SELECT {columns} FROM staged "
        f"ON CONFLICT DO NOTHING RETURNING {pk}, {quote('held')}"
    )
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        cursor.execute(create)
        with connection.wrap_database_errors, cursor.copy(f"COPY {staging} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([_database_value(field, row, now, connection) for field in fields])
        cursor.execute(move)
        return cursor.fetchall()


_AS_IS = {str, int, bool}


def _database_value(field, row, now, connection):
    """What ``save()`` would send for ``field`` of ``row``: its value, else its default."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        value = now
    elif field.attname in row:
        value = row[field.attname]
    elif field.has_db_default() and not field.has_default():
        value = getattr(field.db_default, "value", field.db_default)  # a constant, or Value(constant)
    else:
        value = field.get_default()  # the default, else "" for text that can't be NULL, else None
    if value is None or type(value) in _AS_IS or isinstance(value, SafeString):
        return value
    return field.get_db_prep_save(value, connection)  # dates, UUIDs, JSON, lazy strings


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
    # Which call inserted the row (SentNoticeQuerySet.insert_new).
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
