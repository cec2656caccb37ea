""" "My data": everything the programme holds about a person, as one ZIP archive.

``data.json`` gathers the account, the profile, what the person accepted, the mails sent to them,
and the sections every app contributes (``accounts.data_protection.export_sections``); the files
those sections name (CVs) sit beside it. A small account downloads at once; a larger one is built
by a Celery task, kept in storage for ``DATA_EXPORT_LINK_HOURS`` and its link mailed to the owner.
"""

import io
import json
import zipfile
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from accounts.data_protection import ExportSection, export_sections
from accounts.models import DataExport, User
from core import ratelimit
from core.audit import record_access
from core.models import AccessRecord
from core.notices import action, send_notice


def _iso(moment):
    return moment.isoformat() if moment else None


def _own_section(user: User) -> ExportSection:
    profile = user.profile
    profile_data = {}
    if profile is not None:
        for field in profile._meta.concrete_fields:
            if field.name in ("id", "user"):
                continue
            value = getattr(profile, field.name)
            profile_data[str(field.verbose_name)] = str(value) if value is not None else None
        for field in profile._meta.many_to_many:  # languages; a student's target sectors
            profile_data[str(field.verbose_name)] = [str(item) for item in getattr(profile, field.name).all()]
    return ExportSection(
        "account",
        {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "role": user.get_role_display(),
            "language": user.language,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "profile": profile_data,
            "accepted": [
                {"document": c.get_document_display(), "version": c.version, "accepted_at": _iso(c.accepted_at)}
                for c in user.consents.all()
            ],
        },
    )


def _notices_section(user: User) -> ExportSection:
    return ExportSection(
        "notices_sent_to_you",
        [
            {
                "kind": notice.kind,
                "queued_at": _iso(notice.created_at),
                "delivered_at": _iso(notice.delivered_at),
                "to": notice.email,
                "subject": notice.subject,
                "text": notice.body_text,
            }
            for notice in user.sent_notices.order_by("created_at", "pk")
        ],
    )


def sections(user: User) -> list[ExportSection]:
    """Every section of the person's export, in the person's language."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        found = [_own_section(user)]
        found += [section for contribution in export_sections if (section := contribution(user)) is not None]
        found.append(_notices_section(user))
    return found


def files_size(found: list[ExportSection]) -> int:
    return sum(storage.size(name) for section in found for _arcname, storage, name in section.files)


def build_zip(user: User, found: list[ExportSection] | None = None) -> bytes:
    found = sections(user) if found is None else found
    document = {
        "programme": settings.PROGRAMME_NAME,
        "school": settings.SCHOOL_NAME,
        "generated_at": timezone.now().isoformat(),
        **{section.name: section.data for section in found},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(document, ensure_ascii=False, indent=2, default=str))
        for section in found:
            for arcname, storage, name in section.files:
                if storage.exists(name):
                    with storage.open(name, "rb") as handle:
                        archive.writestr(arcname, handle.read())
    return buffer.getvalue()


def filename(user: User) -> str:
    return f"my-data-{timezone.localdate():%Y-%m-%d}.zip"


def export_start(*, user: User) -> bytes | None:
    """A person asks for their data: the archive itself when the account is small, else None, and
    the archive is built in the background and its link mailed. Rationed per person
    (``ratelimit.RateLimited``); recorded in the audit trail."""
    ratelimit.check(
        "data_export", user.pk, gettext_lazy("You have asked for your data many times in a short time; wait a while.")
    )
    ratelimit.record("data_export", user.pk)
    record_access(user, user, AccessRecord.What.EXPORT)
    found = sections(user)
    if files_size(found) <= settings.DATA_EXPORT_DIRECT_MAX_BYTES:
        return build_zip(user, found)
    export_request(user=user)
    return None


def export_request(*, user: User) -> DataExport:
    """Queues the archive of a large account; the owner is mailed its link when it is ready."""
    with transaction.atomic():
        export = DataExport.objects.create(user=user)
        transaction.on_commit(lambda: build_export_task.delay(export.pk))
    return export


def export_build(export_id: int, now=None) -> DataExport | None:
    """Builds a queued archive once (a task run twice does nothing more) and mails its link."""
    now = now or timezone.now()
    with transaction.atomic():
        export = DataExport.objects.select_for_update().select_related("user").filter(pk=export_id).first()
        if export is None or export.ready_at is not None:
            return export
        export.file.save(filename(export.user), ContentFile(build_zip(export.user)), save=False)
        export.size = export.file.size
        export.ready_at = now
        export.expires_at = now + timedelta(hours=settings.DATA_EXPORT_LINK_HOURS)
        export.save(update_fields=["file", "size", "ready_at", "expires_at"])
        send_notice(
            "data_export_ready",
            recipient=export.user,
            obj=export,
            context={
                "export": export,
                "hours": settings.DATA_EXPORT_LINK_HOURS,
                **action(export.get_absolute_url(), gettext_lazy("Download my data")),
            },
        )
    return export


@shared_task
def build_export_task(export_id):
    export_build(export_id)
