"""Retention: a campaign's personal data is kept ``retention_months`` after it ends, then erased.

One sweep, scheduled by Celery beat, every hour:

- 30 days before a campaign's retention ends, its students are told, with a link to download
  their documents (once each: the outbox's key);
- once it has ended, the campaign's mentorships lose their messages, road-books and CVs, the text
  of their interviews, evaluation forms and coaching (each app's ``retention_steps``); statuses,
  dates and outcomes stay for the statistics. Each mentorship is claimed under its row lock and
  marked (``data_erased_at``), so a second run, or a concurrent one, does nothing again;
- sent notices older than ``RETENTION_MONTHS`` lose their text, and the audit trail's rows older
  than that go; "my data" archives whose link expired are deleted, file and row.

Each step handles at most ``RETENTION_BATCH_SIZE`` rows per run: a large backlog drains over
several runs, none holds its locks for long.
"""

from datetime import datetime, timedelta

from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import DataExport, User
from core.models import AccessRecord, SentNotice
from core.notices import Notice, action, send_notices
from core.privacy import blank_free_text, forget, scrub_notices
from mentoring import contributions
from mentoring.models import Campaign, Mentorship, Message, Participation

NOTICE_DAYS = 30


def _campaigns(now: datetime, *, notice: bool) -> list[Campaign]:
    # A campaign a year: few rows, and months don't add up in SQL the same way on every database.
    if notice:
        return [
            c
            for c in Campaign.objects.all()
            if c.retention_ends - timedelta(days=NOTICE_DAYS) <= now < c.retention_ends
        ]
    return [c for c in Campaign.objects.all() if c.retention_ends <= now]


def retention_notices(now: datetime | None = None) -> int:
    """Tells the students of campaigns whose data goes within 30 days; once each."""
    now = now or timezone.now()
    link = action(reverse("accounts:export"), _("Download my data"))
    notices = []
    for campaign in _campaigns(now, notice=True):
        students = User.objects.filter(
            is_active=True, mentorships__campaign=campaign, mentorships__data_erased_at__isnull=True
        ).distinct()
        notices += [
            Notice(student, campaign, {"campaign": campaign, "erased_on": campaign.retention_ends, **link})
            for student in students
        ]
    return send_notices("retention_notice", notices) if notices else 0


def erase_past_retention(now: datetime | None = None, batch_size: int | None = None) -> int:
    """Erases the personal data of one batch of mentorships past their campaign's retention."""
    now = now or timezone.now()
    batch_size = batch_size or settings.RETENTION_BATCH_SIZE
    past = [campaign.pk for campaign in _campaigns(now, notice=False)]
    if not past:
        return 0
    with transaction.atomic():
        # Rows another worker holds are left to it: each mentorship is erased by one run only.
        batch = list(
            Mentorship.objects.filter(campaign__in=past, data_erased_at__isnull=True)
            .select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not batch:
            return 0
        mentorships = Mentorship.objects.filter(pk__in=batch)
        messages = Message.objects.filter(mentorship__in=batch)
        blank_free_text(messages)
        forget(messages)
        blank_free_text(mentorships)
        forget(mentorships)
        for step in contributions.retention_steps:
            step(mentorships, now)
        mentorships.update(data_erased_at=now)
    roster = Participation.objects.filter(campaign__in=past).exclude(withdrawn_reason="").values_list("pk", flat=True)
    blank_free_text(Participation.objects.filter(pk__in=list(roster[:batch_size])))
    return len(batch)


def expire_old_records(now: datetime | None = None, batch_size: int | None = None) -> int:
    """Sent notices older than RETENTION_MONTHS lose their text; the audit trail's older rows go."""
    now = now or timezone.now()
    batch_size = batch_size or settings.RETENTION_BATCH_SIZE
    cutoff = now - relativedelta(months=settings.RETENTION_MONTHS)
    with transaction.atomic():
        said = SentNotice.objects.filter(created_at__lt=cutoff).exclude(subject="", body_text="", body_html="")
        done = scrub_notices(SentNotice.objects.filter(pk__in=list(said.values_list("pk", flat=True)[:batch_size])))
        reads = AccessRecord.objects.filter(at__lt=cutoff).values_list("pk", flat=True)[:batch_size]
        done += AccessRecord.objects.filter(pk__in=list(reads)).delete()[0]
        changes = LogEntry.objects.filter(timestamp__lt=cutoff).values_list("pk", flat=True)[:batch_size]
        done += LogEntry.objects.filter(pk__in=list(changes)).delete()[0]
        # "My data" archives whose link expired: nobody may download them any more.
        expired = DataExport.objects.filter(expires_at__lte=now).order_by("pk").values_list("pk", flat=True)
        done += DataExport.objects.filter(pk__in=list(expired[:batch_size])).delete_with_files()
    return done


def retention_sweep(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return {
        "notices": retention_notices(now),
        "mentorships": erase_past_retention(now),
        "records": expire_old_records(now),
    }
