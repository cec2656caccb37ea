"""Writes of the road-book: drafts, submissions (with the 3-day rule) and the mentor's first read."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring.models import Mentorship
from mentoring.notices import action, send_notice
from mentoring.services import RuleError
from roadbook import rules
from roadbook.models import REQUIRED_SECTIONS, SECTIONS, Roadbook, RoadbookVersion

# Interview states read through the mentorship's reverse relation: this app sits below the
# one that defines interviews and never imports it.
FIRST_KIND = "first"
# A first interview keeps its agreed date while new dates are being proposed for it.
WITH_A_DATE = ("proposed", "confirmed", "held")


def first_interview(mentorship):
    """The mentorship's first interview with an agreed date (confirmed, held, or being moved), or None.

    Reads prefetched interviews when the caller prefetched them (lists of mentorships do).
    """
    if "interviews" in getattr(mentorship, "_prefetched_objects_cache", {}):
        dated = [
            i
            for i in mentorship.interviews.all()
            if i.kind == FIRST_KIND and i.status in WITH_A_DATE and i.start is not None
        ]
        return max(dated, key=lambda i: i.start, default=None)
    return (
        mentorship.interviews.filter(kind=FIRST_KIND, status__in=WITH_A_DATE, start__isnull=False)
        .order_by("-start")
        .first()
    )


def is_late_now(mentorship, roadbook, interview):
    """Whether the road-book missed the deadline of the first interview's current date."""
    if roadbook is None or roadbook.submitted_at is None or interview is None:
        return False
    return rules.is_late(mentorship.campaign, roadbook.submitted_at, interview.start)


def deadline_for(mentorship):
    """The road-book deadline, once the first interview has a date; else None."""
    interview = first_interview(mentorship)
    return rules.roadbook_deadline(mentorship.campaign, interview.start) if interview else None


def get_or_create_roadbook(mentorship):
    roadbook, _created = Roadbook.objects.get_or_create(mentorship=mentorship)
    return roadbook


def editable_reason(roadbook, now=None):
    """Why the student can no longer change the road-book, or "" while they can."""
    now = now or timezone.now()
    if roadbook.mentorship.status != Mentorship.Status.ACCEPTED:
        return _("The mentorship is not active, so the road-book can no longer change.")
    interview = first_interview(roadbook.mentorship)
    if interview and (interview.status == "held" or interview.start <= now):
        return _("The first interview has taken place: the road-book can no longer change.")
    return ""


def roadbook_save_draft(*, roadbook, form, cv_filename=None):
    """Saves what the student typed. Invalid fields keep the student's text on the form; the
    valid ones are saved now, so nothing is lost even when one field is refused."""
    # Only the fields the student edits are written: a concurrent write of the mentor's first
    # open or of a submission is never overwritten by a draft save.
    fields = [name for name, _label in SECTIONS if name not in form.errors and name in form.cleaned_data]
    for name in fields:
        setattr(roadbook, name, form.cleaned_data[name])
    changed_cv = "cv" in form.changed_data and "cv" not in form.errors
    upload = form.cleaned_data["cv"] if changed_cv else None
    if upload:
        # A valid CV is kept even when a section is refused.
        roadbook.cv.save(upload.name, upload, save=False)
        roadbook.cv_filename = (cv_filename or upload.name)[:255]
        fields += ["cv", "cv_filename"]
    elif upload is False:  # "clear" ticked
        roadbook.cv = ""
        roadbook.cv_filename = ""
        fields += ["cv", "cv_filename"]
    if fields:
        roadbook.save(update_fields=[*fields, "updated_at"])
    return roadbook


def missing_sections(roadbook):
    errors = {
        name: _("This section is needed before the road-book can be sent.")
        for name in REQUIRED_SECTIONS
        if not getattr(roadbook, name).strip()
    }
    if not roadbook.cv:
        errors["cv"] = _("Attach your CV (PDF) before sending the road-book.")
    return errors


def roadbook_submit(*, roadbook, student, now=None):
    """Sends the road-book to the mentor as a new version. Returns the version.

    A first submission after the deadline is accepted but recorded as late, and both sides are told.
    """
    now = now or timezone.now()
    mentorship = roadbook.mentorship
    if not mentorship.is_student(student):
        raise RuleError(_("Only the student sends their road-book."))
    reason = editable_reason(roadbook, now)
    if reason:
        raise RuleError(reason)
    if missing_sections(roadbook):
        raise RuleError(_("Some sections are still empty; complete them before sending."))
    with transaction.atomic():
        roadbook = Roadbook.objects.select_for_update().get(pk=roadbook.pk)
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
            interview = first_interview(mentorship)
            roadbook.is_late = bool(interview and rules.is_late(mentorship.campaign, now, interview.start))
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
            interview = first_interview(mentorship)
            context = {
                "roadbook": roadbook,
                "interview": interview,
                "mentorship": mentorship,
                "deadline": rules.roadbook_deadline(mentorship.campaign, interview.start),
                **action(interview.get_absolute_url(), gettext_lazy("Open the interview")),
            }
            for person in (mentorship.mentor, mentorship.student):
                send_notice("roadbook_late", recipient=person, obj=roadbook, context=context)
    return version


def roadbook_mark_opened(*, roadbook, user, now=None):
    """Records the mentor's first open of the road-book; later opens change nothing."""
    if not roadbook.mentorship.is_mentor(user) or roadbook.submitted_at is None:
        return False
    return bool(
        Roadbook.objects.filter(pk=roadbook.pk, mentor_first_opened_at__isnull=True).update(
            mentor_first_opened_at=now or timezone.now()
        )
    )
