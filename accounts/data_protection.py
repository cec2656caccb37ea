"""People's rights over their data: erasure of an account, and the hooks of the export.

A person's data lives in every app: their account and profile here, their mentorships and
messages in ``mentoring``, their road-book in ``roadbook``, their interviews and evaluations in
``evaluations``. This app never names them: it declares hook points, and each app registers
what it erases and what it exports from ``AppConfig.ready()`` (the pattern of
``mentoring.contributions``).

Erasure keeps the rows the programme counts (a mentorship's status and dates, an evaluation's
outcome) and takes out what identifies the person or what they wrote: the user row stays, with
no name, no address and no password, so that no foreign key (``PROTECT`` ones included) ever
stands in the way, and the statistics still add up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from auditlog.models import LogEntry
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AlumnusProfile, DataExport, StudentProfile, User
from core.audit import track
from core.errors import RuleError
from core.hooks import Hook
from core.privacy import scrub_history, scrub_notices

# The audit trail: who changed what gives a person access (core.audit).
track(User, ("is_active", "is_staff", "is_superuser", "role", "erased_at"))

# The domain of the addresses erased accounts get: ``.invalid`` is reserved, a mail never leaves.
ERASED_DOMAIN = "erased.invalid"


@dataclass
class ExportSection:
    """What an app holds about a person: ``data`` (plain JSON values: text, numbers, booleans,
    ISO dates, lists and dicts), and ``files`` as (name in the archive, storage, stored name)."""

    name: str
    data: object
    files: list[tuple[str, object, str]] = field(default_factory=list)


erasure_blockers: Hook[Callable[[User], list[str]]] = Hook(
    "erasure_blockers",
    "Why a person's account can't be erased yet, in their words: f(user) -> list of messages (empty: nothing).",
)
erasure_steps: Hook[Callable[[User, datetime], None]] = Hook(
    "erasure_steps",
    "Erases or anonymises what an app holds about a person, in the erasure's transaction (the user row is "
    "locked and still holds their name): f(user, now). Files are removed from storage on commit.",
)
export_sections: Hook[Callable[[User], ExportSection | None]] = Hook(
    "export_sections",
    "What an app holds about a person, for their export: f(user) -> ExportSection or None, in a fixed "
    "number of queries.",
)


def blockers(user: User) -> list[str]:
    return [reason for contribution in erasure_blockers for reason in contribution(user)]


def erased_email(user: User) -> str:
    return f"erased-{user.pk}@{ERASED_DOMAIN}"


def user_erase(*, user: User, now: datetime | None = None) -> User:
    """Erases ``user``'s personal data in one transaction; raises RuleError while something must
    be settled first (a mentor's open mentorships), or when it was erased already."""
    now = now or timezone.now()
    reasons = blockers(user)
    if reasons:
        raise RuleError(" ".join(reasons))
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.erased_at is not None:
            raise RuleError(_("This account was erased already."))
        for step in erasure_steps:
            step(locked, now)
        StudentProfile.objects.filter(user=locked).delete()
        AlumnusProfile.objects.filter(user=locked).delete()
        locked.consents.all().delete()
        DataExport.objects.for_user(locked).delete_with_files()
        EmailAddress.objects.filter(user=locked).delete()
        Authenticator.objects.filter(user=locked).delete()
        # The school sign-in's link, with what the provider said of the person (its tokens go with it).
        SocialAccount.objects.filter(user=locked).delete()
        scrub_notices(locked.sent_notices.all())
        LogEntry.objects.filter(actor=locked).update(actor_email=None)
        scrub_history(User.objects.filter(pk=locked.pk))
        locked.sent_notices.update(email=erased_email(locked))
        locked.email = erased_email(locked)
        locked.first_name = locked.last_name = ""
        # An unusable password also ends every session: each one checks the password's hash.
        locked.set_unusable_password()
        locked.is_active = locked.is_staff = locked.is_superuser = False
        locked.last_login = None
        locked.erased_at = now
        locked.save()
        locked.groups.clear()
        locked.user_permissions.clear()
    return locked
