"""What the road-book app erases and exports of a student (hooks of ``accounts.data_protection``,
registered in ``RoadbookConfig.ready``)."""

from functools import partial

from django.db import transaction

from accounts.data_protection import ExportSection, erasure_steps, export_sections
from core.audit import track
from core.pdf import forget_cached
from core.privacy import blank_free_text, forget
from mentoring import contributions
from roadbook.models import SECTIONS, Roadbook, RoadbookVersion, version_pdf_cache_key

# The audit trail: who changed the road-book's status (core.audit).
track(Roadbook)


def _iso(moment):
    return moment.isoformat() if moment else None


def _cv_names(roadbooks, versions):
    return {name for name in [*(r.cv.name for r in roadbooks), *(v.cv for v in versions)] if name}


@export_sections.register
def export_roadbooks(user):
    """A student's road-books: the working copy and every version sent, with the CVs."""
    roadbooks = list(
        Roadbook.objects.filter(mentorship__student=user).select_related("mentorship__campaign").order_by("pk")
    )
    if not roadbooks:
        return None
    versions = list(RoadbookVersion.objects.filter(roadbook__in=roadbooks).order_by("roadbook_id", "number"))
    storage = Roadbook._meta.get_field("cv").storage
    files, archived = [], {}
    for name in sorted(_cv_names(roadbooks, versions)):
        archived[name] = f"cv/{len(archived) + 1}-{name.rsplit('/', 1)[-1]}"
        files.append((archived[name], storage, name))
    by_roadbook = {}
    for version in versions:
        by_roadbook.setdefault(version.roadbook_id, []).append(
            {
                "version": version.number,
                "sent_at": _iso(version.submitted_at),
                "sections": {str(label): version.sections.get(name, "") for name, label in SECTIONS},
                "cv": archived.get(version.cv),
                "cv_file_name": version.cv_filename,
            }
        )
    data = [
        {
            "mentorship": roadbook.mentorship_id,
            "campaign": roadbook.mentorship.campaign.name,
            "status": roadbook.get_status_display(),
            "first_sent_at": _iso(roadbook.submitted_at),
            "due_at": _iso(roadbook.due_at),
            "sent_late": roadbook.is_late,
            "first_opened_by_the_mentor_at": _iso(roadbook.mentor_first_opened_at),
            "sections": {str(label): text for _name, label, text in roadbook.sections()},
            "cv": archived.get(roadbook.cv.name),
            "cv_file_name": roadbook.cv_filename,
            "versions_sent": by_roadbook.get(roadbook.pk, []),
        }
        for roadbook in roadbooks
    ]
    return ExportSection("roadbooks", data, files)


@erasure_steps.register
def erase_roadbooks(user, now):
    """The student's road-books lose their text and CVs (removed from storage once the erasure
    commits); their status and dates stay for the statistics."""
    _erase(Roadbook.objects.filter(mentorship__student=user))


@contributions.retention_steps.register
def roadbooks_past_retention(mentorships, now):
    _erase(Roadbook.objects.filter(mentorship__in=mentorships))


def _erase(roadbooks):
    versions = RoadbookVersion.objects.filter(roadbook__in=roadbooks)
    names = _cv_names(list(roadbooks), list(versions))
    forget_cached(
        version_pdf_cache_key(*row)
        for row in versions.values_list("pk", "roadbook__first_interview_at", "roadbook__due_at")
    )
    blank_free_text(roadbooks, extra={"cv": ""})
    blank_free_text(versions, extra={"sections": {}})
    forget(roadbooks)
    storage = Roadbook._meta.get_field("cv").storage
    for name in sorted(names):
        transaction.on_commit(partial(storage.delete, name), robust=True)
