"""The road-book: the student edits and sends it; the mentor and staff read it, its PDF and the CV."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms.models import model_to_dict
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_safe

from accounts.permissions import career_department_among
from core import ratelimit
from core.audit import accesses, record_access
from core.errors import RuleError
from core.models import AccessRecord
from core.pdf import pdf_response
from mentoring.models import Mentorship
from roadbook import permissions, services
from roadbook.forms import RoadbookForm, too_large_message
from roadbook.models import SECTION_NAMES, SECTIONS, Roadbook
from roadbook.uploads import CappedUploadHandler


def get_roadbook_mentorship(user, pk):
    """The mentorship whose road-book ``user`` may open, or 404: the student, their mentor once
    the request is accepted, and staff."""
    queryset = (
        Mentorship.objects.for_user(user)
        .filter(status__in=Mentorship.OCCUPYING)
        .select_related("student", "enrollment__alumnus", "campaign")
    )
    return get_object_or_404(queryset, pk=pk)


def _context(mentorship, roadbook, **extra):
    return {
        "mentorship": mentorship,
        "roadbook": roadbook,
        "deadline": roadbook.due_at if roadbook else None,
        "min_days": mentorship.campaign.roadbook_min_days,
        **extra,
    }


@csrf_exempt  # only until the CV's cap is in place: _edit checks the CSRF token
@never_cache
@login_required
def edit(request, pk):
    """The CV upload view: its size cap applies while the file arrives, so it is put in front of
    the upload handlers before anything reads the body (CsrfViewMiddleware would, so _edit checks
    the token instead)."""
    if request.method == "POST":
        request.upload_handlers.insert(0, CappedUploadHandler(request))
    return _edit(request, pk)


@csrf_protect
def _edit(request, pk):
    mentorship = get_roadbook_mentorship(request.user, pk)
    if not permissions.can_edit_roadbook(request.user, mentorship):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])  # the mentor and staff only read it
        return _read(request, mentorship)
    roadbook = services.get_or_create_roadbook(mentorship)
    locked = services.editable_reason(roadbook)
    if request.method == "POST" and not locked:
        try:
            return _save(request, mentorship, roadbook)
        except RuleError as error:
            # Locked meanwhile (the interview started, the mentorship closed): shown back below.
            locked = str(error)
    unsaved = []
    if request.method == "POST":
        messages.error(request, locked)
        # The page was open before the lock: what was typed is shown back, to copy, never dropped.
        unsaved = [(label, request.POST[name]) for name, label in SECTIONS if request.POST.get(name, "").strip()]
    form = RoadbookForm(instance=roadbook)
    readers = _readers(mentorship, roadbook)
    context = _context(mentorship, roadbook, form=form, locked=locked, unsaved=unsaved, readers=readers)
    return render(request, "roadbook/edit.html", context)


def _readers(mentorship, roadbook, limit=50):
    """Who opened the student's road-book, its PDF or CV, and when (the audit trail of reads)."""
    records = list(accesses(roadbook)[:limit])
    department = career_department_among({record.actor_id for record in records})
    readers = []
    for record in records:
        if record.actor_id == mentorship.enrollment.alumnus_id:
            role = _("your mentor")
        elif record.actor_id in department:
            role = _("Alumni Career Department")
        else:
            role = ""
        readers.append({"record": record, "role": role})
    return readers


def _save(request, mentorship, roadbook):
    """Saves the draft, and sends it when asked; a RuleError means nothing could be saved."""
    form = RoadbookForm(request.POST, request.FILES, instance=roadbook)
    if "cv" in getattr(request, "refused_uploads", {}):
        form.add_error("cv", too_large_message(request.refused_uploads["cv"]))
    form.is_valid()
    upload = request.FILES.get("cv")
    cv_changed = "cv" in form.changed_data and "cv" not in form.errors
    roadbook = services.roadbook_save_draft(
        roadbook=roadbook,
        student=request.user,
        sections={name: form.cleaned_data[name] for name in SECTION_NAMES if name in form.cleaned_data},
        cv=form.cleaned_data.get("cv") if cv_changed else None,
        cv_filename=upload.name if upload else None,
    )
    if form.errors:
        messages.error(request, _("Some fields need attention; the other sections were saved."))
        return render(request, "roadbook/edit.html", _context(mentorship, roadbook, form=form), status=200)
    if "submit" not in request.POST:
        messages.success(request, _("Draft saved."))
        return redirect("roadbook:edit", pk=mentorship.pk)
    missing = services.missing_sections(roadbook)
    if missing:
        form = RoadbookForm(model_to_dict(roadbook, fields=SECTION_NAMES), instance=roadbook)
        form.is_valid()
        for field, error in missing.items():
            form.add_error(field, error)
        messages.error(request, _("Your draft is saved, but some sections are still empty."))
        return render(request, "roadbook/edit.html", _context(mentorship, roadbook, form=form))
    try:
        version = services.roadbook_submit(roadbook=roadbook, student=request.user)
    except RuleError as error:
        messages.error(request, str(error))
    else:
        roadbook.refresh_from_db()
        if version.number == 1 and roadbook.is_late:
            messages.warning(
                request,
                _(
                    "Your road-book was sent, but after the deadline: your mentor has been told "
                    "and may move the interview."
                ),
            )
        else:
            messages.success(request, _("Your road-book has been sent to your mentor."))
    return redirect("roadbook:edit", pk=mentorship.pk)


def _read(request, mentorship):
    roadbook = Roadbook.objects.for_user(request.user).filter(mentorship=mentorship).first()
    version = roadbook.latest_version if roadbook else None
    if version is not None:
        # Only what was sent is read: the page of a road-book not sent yet shows none of it.
        services.roadbook_mark_opened(roadbook=roadbook, user=request.user)
        record_access(request.user, roadbook, AccessRecord.What.PAGE)
    return render(request, "roadbook/read.html", _context(mentorship, roadbook, version=version))


@never_cache
@login_required
@require_safe
def pdf(request, pk):
    mentorship = get_roadbook_mentorship(request.user, pk)
    roadbook = get_object_or_404(Roadbook.objects.for_user(request.user), mentorship=mentorship)
    version = roadbook.latest_version
    reads_sent = permissions.reads_sent_version(request.user, mentorship)
    if version is None and reads_sent:
        raise Http404  # the mentor reads only what was sent
    if not reads_sent:
        # The student's working copy changes with every save: each preview is rendered, so it is
        # rationed per person.
        try:
            ratelimit.check(
                "pdf_preview", request.user.pk, _("You have made many PDFs in a short time; wait a few minutes.")
            )
        except ratelimit.RateLimited as error:
            messages.error(request, str(error))
            return redirect("roadbook:edit", pk=mentorship.pk)
        ratelimit.record("pdf_preview", request.user.pk)
        sections = roadbook.sections()
        cache_key = None
    else:
        services.roadbook_mark_opened(roadbook=roadbook, user=request.user)
        record_access(request.user, roadbook, AccessRecord.What.PDF)
        sections = [(name, label, text) for name, label, text, _changed in version.labelled_sections()]
        cache_key = roadbook.pdf_cache_key(version)
    context = _context(mentorship, roadbook, version=version if reads_sent else None, sections=sections)
    return pdf_response("pdf/roadbook.html", context, f"roadbook-{mentorship.pk}.pdf", cache_key=cache_key)


@never_cache
@login_required
@require_safe
def cv(request, pk):
    mentorship = get_roadbook_mentorship(request.user, pk)
    roadbook = get_object_or_404(Roadbook.objects.for_user(request.user), mentorship=mentorship)
    reads_sent = permissions.reads_sent_version(request.user, mentorship)
    if not reads_sent:
        name, filename = roadbook.cv.name, roadbook.cv_filename
    else:
        version = roadbook.latest_version
        if version is None:
            raise Http404
        name, filename = version.cv, version.cv_filename
    if not name or not roadbook.cv.storage.exists(name):
        raise Http404
    if reads_sent:  # a read of what the student sent, by the mentor or staff
        record_access(request.user, roadbook, AccessRecord.What.CV)
    response = FileResponse(
        roadbook.cv.storage.open(name, "rb"),
        as_attachment=True,
        filename=filename or "cv.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
