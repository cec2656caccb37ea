"""The audit trail: who read a confidential record, and who changed a status.

Changes go to django-auditlog: each app registers the status fields of its models (``track``),
and its actor is the signed-in person (auditlog's middleware), or nobody for a sweep. A service
that changes a status with a conditional ``update()`` (a compare-and-set, which sends no signal)
says so with ``log_status``. Reads go to ``AccessRecord`` through ``record_access``.
"""

from dataclasses import dataclass
from datetime import datetime

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.models import AccessRecord


def track(model: type[Model], fields: tuple[str, ...] = ("status",)) -> None:
    """Records every change of ``fields`` of ``model``, with who made it."""
    if not auditlog.contains(model):
        auditlog.register(model, include_fields=list(fields))


def log_status(instance: Model, old: str, new: str, field: str = "status") -> None:
    """A status changed by a conditional update, which django-auditlog can't see."""
    LogEntry.objects.log_create(instance, action=LogEntry.Action.UPDATE, changes={field: [str(old), str(new)]})


def log_status_sweep(instances, old: str, new: str, field: str = "status") -> None:
    """Statuses a sweep changed in bulk: one query, and no actor (the programme did it)."""
    instances = list(instances)
    if not instances:
        return
    content_type = ContentType.objects.get_for_model(instances[0])
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                content_type=content_type,
                object_pk=str(instance.pk),
                object_id=instance.pk,
                object_repr=str(instance),
                action=LogEntry.Action.UPDATE,
                changes={field: [str(old), str(new)]},
            )
            for instance in instances
        ]
    )


def record_access(user, obj: Model, what: str) -> AccessRecord:
    return AccessRecord.objects.create(
        actor=user if user.is_authenticated else None,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        what=what,
    )


@dataclass(frozen=True)
class TrailRow:
    at: datetime
    who: str
    what: str


def accesses(obj: Model):
    return AccessRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("actor")


def trail(obj: Model, *, limit: int = 200) -> list[TrailRow]:
    """The record's reads and changes, newest first: for staff, on the record's admin page."""
    rows = [
        TrailRow(
            record.at,
            str(record.actor) if record.actor else _("nobody (erased)"),
            _("opened (%(what)s)") % {"what": record.get_what_display()},
        )
        for record in accesses(obj)[:limit]
    ]
    for entry in LogEntry.objects.get_for_object(obj).select_related("actor")[:limit]:
        action = _action_label(entry.action)
        changes = _changes(type(obj), entry.changes_dict)
        rows.append(
            TrailRow(
                entry.timestamp,
                str(entry.actor) if entry.actor else _("the programme (automatic)"),
                _("%(action)s: %(changes)s") % {"action": action, "changes": changes} if changes else action,
            )
        )
    return sorted(rows, key=lambda row: row.at, reverse=True)[:limit]


def _action_label(action) -> str:
    labels = {
        LogEntry.Action.CREATE: pgettext("audit trail", "created"),
        LogEntry.Action.UPDATE: pgettext("audit trail", "changed"),
        LogEntry.Action.DELETE: pgettext("audit trail", "deleted"),
    }
    return str(labels.get(action, action))


def _changes(model, changes: dict) -> str:
    """``{field: [old, new]}`` as the reader says it: the field's name and its values' labels, in
    the reader's language ("status: draft → sent")."""
    described = []
    # In the model's field order: PostgreSQL's JSON keeps no order of its own.
    order = {field.name: index for index, field in enumerate(model._meta.get_fields())}
    for name, (old, new) in sorted(changes.items(), key=lambda item: (order.get(item[0], len(order)), item[0])):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            label, choices = name, {}
        else:
            label, choices = str(getattr(field, "verbose_name", name)), dict(getattr(field, "flatchoices", ()))

        def shown(value, choices=choices):
            return "—" if value in (None, "None", "") else str(choices.get(value, value))

        described.append(_("%(field)s: %(old)s → %(new)s") % {"field": label, "old": shown(old), "new": shown(new)})
    return "; ".join(described)
