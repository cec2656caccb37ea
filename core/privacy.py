"""Shared machinery of data protection: blanking what people wrote, and what the outbox kept.

Erasure (``accounts.data_protection``) and the retention sweep keep every row the programme's
statistics count (statuses, dates, outcomes) and take out what a person wrote or what names
them. These helpers do it the same way for every app, in one query per table.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet

from core.models import SentNotice


def free_text_fields(model: type[models.Model], *, keep: tuple[str, ...] = ()) -> list[str]:
    """The fields of ``model`` that hold what someone typed: text and character fields without
    choices (choices are statuses and answers the statistics count), files apart."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and not field.primary_key
        and field.name not in keep
    ]


def blank_free_text(queryset: QuerySet, *, keep: tuple[str, ...] = (), extra: dict | None = None) -> int:
    """Empties every free-text field of the rows of ``queryset`` (``keep`` apart), and writes
    ``extra`` too; returns how many rows. One query."""
    values = dict.fromkeys(free_text_fields(queryset.model, keep=keep), "") | (extra or {})
    return queryset.update(**values) if values else 0


# What a sent notice said; the row itself (kind, key, dates) stays, so it is still never sent twice.
NOTICE_BODY = {"subject": "", "body_text": "", "body_html": "", "attachments": [], "link": ""}


def notices_about(queryset: QuerySet) -> QuerySet[SentNotice]:
    """The sent notices whose object is one of ``queryset``'s rows."""
    content_type = ContentType.objects.get_for_model(queryset.model)
    return SentNotice.objects.filter(content_type=content_type, object_id__in=queryset.values("pk"))


def scrub_notices(notices: QuerySet[SentNotice]) -> int:
    """The notices lose what they said. A notice not delivered yet is dropped instead: a mail with
    its text taken out must not leave. Returns how many rows changed."""
    dropped, _by_model = notices.filter(delivered_at__isnull=True).delete()
    # Mails already scrubbed are left alone, so a second run changes nothing.
    scrubbed = notices.filter(delivered_at__isnull=False).exclude(Q(body_text="") & Q(subject="")).update(**NOTICE_BODY)
    return dropped + scrubbed


def scrub_history(queryset: QuerySet) -> int:
    """The audit trail of these rows keeps who changed which status and when, not what the row
    was called (its ``object_repr`` names people)."""
    from auditlog.models import LogEntry

    entries = LogEntry.objects.get_for_objects(queryset).exclude(object_repr="")
    return entries.update(object_repr="", serialized_data=None)


def forget(queryset: QuerySet) -> None:
    """What the outbox and the audit trail kept about these rows loses its text."""
    scrub_notices(notices_about(queryset))
    scrub_history(queryset)
