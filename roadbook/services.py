"""Writes of the road-book: drafts, submissions (with the 3-day rule) and the mentor's first read."""

from datetime import datetime
from typing import Literal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.career_department import send_staff_notice
from accounts.models import User
from core.errors import RuleError
from core.notices import action, send_notice
from mentoring.models import Mentorship
from roadbook import permissions, rules
from roadbook.models import REQUIRED_SECTIONS, SECTION_NAMES, Roadbook, RoadbookVersion


def get_or_create_roadbook(mentorship: Mentorship) -> Roadbook:
    roadbook, _created = Roadbook.objects.get_or_create(mentorship=mentorship)
    return roadbook


def roadbook_set_first_interview(*, mentorship: Mentorship, start: datetime | None) -> None:
    """Records the first interview's agreed date (None once it has none) and the deadline it sets.

    Called by the interview services, in their transaction, whenever that date changes: the road-book
    page, its lateness and the reminders all read the stored deadline.
    """
    due_at = rules.roadbook_deadline(mentorship.campaign, start) if start else None
    # Only these two fields: a draft saved at the same moment keeps its text.
    updated = Roadbook.objects.filter(mentorship=mentorship).update(first_interview_at=start, due_at=due_at)
    if not updated and start is not None:
        Roadbook.objects.get_or_create(mentorship=mentorship, defaults={"first_interview_at": start, "due_at": due_at})


def editable_reason(roadbook: Roadbook, now: datetime | None = None) -> str:
    """Why the student can no longer change the road-book, or "" while they can."""
    now = now or timezone.now()
    status = roadbook.mentorship.status
    if status == Mentorship.Status.CLOSED:
        return _("The mentorship is completed: the road-book can no longer change.")
    if status != Mentorship.Status.ACCEPTED:
        return _("This mentorship is no longer under way (%(status)s): the road-book can no longer change.") % {
            "status": roadbook.mentorship.get_status_display().lower()
        }
    if roadbook.first_interview_at is not None and roadbook.first_interview_at <= now:
        return _("The first interview has taken place: the road-book can no longer change.")
    return ""


def roadbook_save_draft(
    *,
    roadbook: Roadbook,
    student: User,
    sections: dict[str, str],
    cv: UploadedFile | Literal[False] | None = None,
    cv_filename: str | None = None,
    now: datetime | None = None,
) -> Roadbook:
    """Saves what the student typed: ``sections`` holds the valid sections (a refused one keeps its
    text on the form, the others are saved now, so nothing is lost); ``cv`` is a new file, False to
    remove it, or None to leave it."""
    if not permissions.can_edit_roadbook(student, roadbook.mentorship):
        raise RuleError(_("Only the student writes their road-book."))
    reason = editable_reason(roadbook, now)
    if reason:
        raise RuleError(reason)
    unknown = set(sections) - set(SECTION_NAMES)
    if unknown:
        raise ValueError(f"not sections of the road-book: {sorted(unknown)}")
    with transaction.atomic():
        # Under the lock a submission takes; only the fields the student edits are written, so
        # the mentor's first open or a submission at the same moment is never overwritten.
        locked = Roadbook.objects.select_for_update().get(pk=roadbook.pk)
        previous_cv = locked.cv.name
        fields = list(sections)
        for name, text in sections.items():
            setattr(locked, name, text)
        if cv:
            # A valid CV is kept even when a section is refused.
            locked.cv.save(cv.name, cv, save=False)
            locked.cv_filename = (cv_filename or cv.name)[:255]
            fields += ["cv", "cv_filename"]
        elif cv is False:
            locked.cv = ""
            locked.cv_filename = ""
            fields += ["cv", "cv_filename"]
        if fields:
            locked.save(update_fields=[*fields, "updated_at"])
        if previous_cv and previous_cv != locked.cv.name:
            _delete_cv_on_commit(previous_cv)
    return locked


def _delete_cv_on_commit(name: str) -> None:
    """Deletes a draft's former CV once the change commits (never if it rolls back), unless a sent
    version names it: the mentor keeps reading the CV they received. Versions are only written
    under the road-book's lock, which the caller holds."""
    if RoadbookVersion.objects.filter(cv=name).exists():
        return
    storage = Roadbook._meta.get_field("cv").storage
    transaction.on_commit(lambda: storage.delete(name), robust=True)


def missing_sections(roadbook: Roadbook) -> dict[str, str]:
    errors = {
        name: _("This section is needed before the road-book can be sent.")
        for name in REQUIRED_SECTIONS
        if not getattr(roadbook, name).strip()
    }
    if not roadbook.cv:
        errors["cv"] = _("Attach your CV (PDF) before sending the road-book.")
    return errors


def roadbook_submit(*, roadbook: Roadbook, student: User, now: datetime | None = None) -> RoadbookVersion:
    """Sends the road-book to the mentor as a new version. Returns the version.

    A first submission after the deadline is accepted but recorded as late, and both sides are told.
    """
    now = now or timezone.now()
    mentorship = roadbook.mentorship
    if not permissions.can_edit_roadbook(student, mentorship):
        raise RuleError(_("Only the student sends their road-book."))
    reason = editable_reason(roadbook, now)
    if reason:
        raise RuleError(reason)
    if missing_sections(roadbook):
        raise RuleError(_("Some sections are still empty; complete them before sending."))
    with transaction.atomic():
        # Under the lock a draft takes; what is sent is the row as it is now, checked again: a
        # draft saved meanwhile (another tab) may have emptied a section, an interview moved.
        roadbook = Roadbook.objects.select_for_update().get(pk=roadbook.pk)
        reason = editable_reason(roadbook, now)
        if reason:
            raise RuleError(reason)
        if missing_sections(roadbook):
            raise RuleError(_("Some sections are still empty; complete them before sending."))
        previous = roadbook.versions.order_by("-number").first()
        snapshot = roadbook.snapshot()
        changed = (
            [name for name in snapshot if snapshot[name] != previous.sections.get(name, "")]
            + (["cv"] if previous.cv != roadbook.cv.name else [])
            if previous
            else []
        )
        if previous and not changed:
            raise RuleError(_("Nothing changed since the version your mentor already has."))
        version = RoadbookVersion.objects.create(
            roadbook=roadbook,
            number=(previous.number + 1) if previous else 1,
            submitted_at=now,
            sections=snapshot,
            cv=roadbook.cv.name,
            cv_filename=roadbook.cv_filename,
            changed=changed,
            submitted_by=student,
        )
        first_time = roadbook.submitted_at is None
        if first_time:
            roadbook.submitted_at = now
            roadbook.is_late = roadbook.is_late_now()
        roadbook.status = Roadbook.Status.SUBMITTED
        roadbook.save(update_fields=["status", "submitted_at", "is_late", "updated_at"])
        send_notice(
            "roadbook_submitted",
            recipient=mentorship.mentor,
            obj=roadbook,
            period=f"v{version.number}",
            context={
                "roadbook": roadbook,
                "version": version,
                "mentorship": mentorship,
                **action(reverse("roadbook:edit", args=[mentorship.pk]), gettext_lazy("Read the road-book")),
            },
        )
        if first_time and roadbook.is_late:
            context = {
                "roadbook": roadbook,
                "mentorship": mentorship,
                "deadline": roadbook.due_at,
                "interview_start": roadbook.first_interview_at,
                # The mentorship page lists the interview, to keep or move it.
                **action(mentorship.get_absolute_url() + "#interviews", gettext_lazy("Open the mentorship")),
            }
            for person in (mentorship.mentor, mentorship.student):
                send_notice("roadbook_late", recipient=person, obj=roadbook, context=context)
            send_staff_notice(
                "staff_roadbook_late",
                obj=roadbook,
                context={
                    **context,
                    **action(
                        reverse("admin:roadbook_roadbook_change", args=[roadbook.pk]),
                        gettext_lazy("Open the road-book"),
                    ),
                },
            )
    return version


def roadbook_mark_opened(*, roadbook: Roadbook, user: User, now: datetime | None = None) -> bool:
    """Records the mentor's first open of the road-book; later opens change nothing."""
    if not permissions.opening_counts_as_read(user, roadbook.mentorship) or roadbook.submitted_at is None:
        return False
    return bool(
        Roadbook.objects.filter(pk=roadbook.pk, mentor_first_opened_at__isnull=True).update(
            mentor_first_opened_at=now or timezone.now()
        )
    )
