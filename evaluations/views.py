"""Interviews: proposing dates, confirming one, rescheduling, cancelling, the calendar file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms.models import model_to_dict
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from core.audit import record_access
from core.errors import RuleError
from core.models import AccessRecord
from core.pdf import pdf_response
from core.ratelimit import RateLimited
from evaluations import permissions
from evaluations.forms import (
    CancelForm,
    CoachingForm,
    OtherDatesForm,
    ProposalForm,
    contacts_formset_class,
    evaluation_form_class,
)
from evaluations.ics import invitation
from evaluations.models import CoachingReferral, Evaluation, Interview
from evaluations.services import coaching as coaching_services
from evaluations.services import evaluations as evaluation_services
from evaluations.services import interviews as services
from mentoring.models import Mentorship
from roadbook.models import Roadbook


def get_interview_for_user(user, pk):
    """The interview if ``user`` is its student, its mentor or staff; 404 for anyone else."""
    queryset = Interview.objects.for_user(user).select_related(
        "mentorship__student", "mentorship__enrollment__alumnus", "mentorship__campaign", "proposed_by"
    )
    return get_object_or_404(queryset, pk=pk)


@login_required
def propose(request, pk):
    mentorship = get_object_or_404(
        Mentorship.objects.for_user(request.user).filter(status=Mentorship.Status.ACCEPTED), pk=pk
    )
    kind = services.next_interview_kind(mentorship, request.user)
    if kind is None:
        reason = services.nothing_to_propose_reason(mentorship, request.user)
        if request.method != "POST":
            messages.info(request, reason)
            return redirect(mentorship)
        # What was typed comes back with the reason, never lost to a redirect.
        form = ProposalForm(request.POST)
        form.is_valid()
        form.add_error(None, reason)
        return render(request, "evaluations/propose.html", {"mentorship": mentorship, "form": form, "kind": None})
    earliest = services.earliest_first_start(mentorship) if kind == Interview.Kind.FIRST else None
    status = 200
    if request.method == "POST":
        form = ProposalForm(request.POST, earliest=earliest)
        if form.is_valid():
            data = form.cleaned_data
            try:
                interview = services.interview_propose(
                    mentorship=mentorship,
                    by=request.user,
                    kind=kind,
                    starts=form.starts,
                    duration_minutes=data["duration_minutes"],
                    mode=data["mode"],
                    place=data["place"],
                    link=data["link"],
                    phone=data["phone"],
                )
            except RuleError as error:
                form.add_error(None, str(error))
                status = 429 if isinstance(error, RateLimited) else 200
            else:
                messages.success(
                    request, _("Your proposal has been sent; you will get a mail when a date is confirmed.")
                )
                return redirect(interview)
    else:
        form = ProposalForm(earliest=earliest, initial={"mode": _default_mode(mentorship)})
    return render(
        request,
        "evaluations/propose.html",
        {"mentorship": mentorship, "form": form, "kind": kind, "earliest": earliest},
        status=status,
    )


def _default_mode(mentorship):
    modes = mentorship.enrollment.meeting_modes
    return modes[0] if modes else None


def _page(request, interview, *, slots_form=None, cancel_form=None, status=200):
    mentorship = interview.mentorship
    earliest = services.earliest_first_start(mentorship) if interview.is_first else None
    evaluation = Evaluation.objects.filter(interview=interview).first()
    return render(
        request,
        "evaluations/interview.html",
        {
            "interview": interview,
            "mentorship": mentorship,
            "slots": interview.slots.filter(proposal_round=interview.proposal_round),
            "can_confirm": permissions.must_answer(request.user, interview),
            "is_party": permissions.can_schedule(request.user, mentorship),
            "is_under_way": interview.is_under_way(),
            "is_mentor": permissions.can_fill_evaluation(request.user, interview),
            "slots_form": slots_form or OtherDatesForm(earliest=earliest),
            "cancel_form": cancel_form or CancelForm(),
            "earliest": earliest,
            "roadbook": getattr(mentorship, "roadbook", None),
            "evaluation_opens": interview.opens_evaluation(),
            "can_mark_no_show": permissions.can_fill_evaluation(request.user, interview)
            and interview.is_under_way()
            and not (evaluation and evaluation.is_completed),
            "after_no_show": services.next_interview_kind(mentorship, request.user)
            if interview.status == Interview.Status.NO_SHOW
            else None,
            "shared_rows": evaluation.fields_for(shared_only=True) if evaluation and evaluation.is_completed else [],
        },
        status=status,
    )


@login_required
@require_safe
def interview_detail(request, pk):
    return _page(request, get_interview_for_user(request.user, pk))


@login_required
@require_POST
def confirm(request, pk):
    interview = get_interview_for_user(request.user, pk)
    try:
        services.interview_confirm(interview=interview, slot_id=request.POST.get("slot"), by=request.user)
    except RuleError as error:
        messages.error(request, str(error))
    except ValueError:
        messages.error(request, _("Choose one of the proposed dates."))
    else:
        messages.success(request, _("The interview is confirmed; both of you get a calendar invitation by mail."))
    return redirect(interview)


@login_required
@require_POST
def propose_other(request, pk):
    interview = get_interview_for_user(request.user, pk)
    earliest = services.earliest_first_start(interview.mentorship) if interview.is_first else None
    form = OtherDatesForm(request.POST, earliest=earliest)
    status = 200
    if form.is_valid():
        try:
            services.interview_propose_other(
                interview=interview, by=request.user, starts=form.starts, reason=form.cleaned_data["reason"]
            )
        except RuleError as error:
            form.add_error(None, str(error))
            status = 429 if isinstance(error, RateLimited) else 200
        else:
            messages.success(request, _("Your new dates have been sent."))
            return redirect(interview)
    return _page(request, interview, slots_form=form, status=status)


@login_required
@require_POST
def cancel(request, pk):
    interview = get_interview_for_user(request.user, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.interview_cancel(interview=interview, by=request.user, reason=form.cleaned_data["reason"])
        except RuleError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The interview is cancelled; the other side has been told."))
        return redirect(interview)
    return _page(request, interview, cancel_form=form)


@login_required
@require_POST
def no_show(request, pk):
    """The mentor marks a started interview as missed by the student."""
    interview = get_interview_for_user(request.user, pk)
    try:
        services.interview_mark_no_show(interview=interview, by=request.user, note=request.POST.get("note", "")[:2000])
    except RuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The interview is marked as missed; the student has been told and may propose new dates.")
        )
    return redirect(interview)


@login_required
@require_POST
def keep_date(request, pk):
    interview = get_interview_for_user(request.user, pk)
    try:
        services.interview_keep_despite_late_roadbook(interview=interview, by=request.user)
    except RuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You keep the date; the student can see it."))
    return redirect(interview)


@login_required
@require_safe
def invite_ics(request, pk):
    interview = get_interview_for_user(request.user, pk)
    if interview.start is None:
        raise Http404
    method = "CANCEL" if interview.status == Interview.Status.CANCELLED else "REQUEST"
    response = HttpResponse(invitation(interview, method=method), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="interview-{interview.pk}.ics"'
    return response


# --- Evaluation forms ---------------------------------------------------------------------


def _evaluation_context(request, interview, evaluation, **extra):
    mentorship = interview.mentorship
    is_mentor = permissions.can_fill_evaluation(request.user, interview)
    shared_only = not permissions.can_read_private_part(request.user, interview)
    return {
        "interview": interview,
        "mentorship": mentorship,
        "evaluation": evaluation,
        "rows": evaluation.fields_for(shared_only=shared_only) if evaluation else [],
        # An unsaved form (opened, not yet sent) has no contacts.
        "contacts": evaluation.contacts.all() if evaluation and evaluation.pk else [],
        "shared_only": shared_only,
        "is_mentor": is_mentor,
        **extra,
    }


def _record_read(user, interview, evaluation, what):
    """The audit trail of reads: anyone but the student the form is about (core.audit)."""
    if not interview.mentorship.is_student(user):
        record_access(user, evaluation, what)


@never_cache
@login_required
def evaluation(request, pk):
    interview = get_interview_for_user(request.user, pk)
    existing = Evaluation.objects.for_user(request.user).filter(interview=interview).first()
    if not permissions.can_fill_evaluation(request.user, interview):
        # The student sees the shared part of a completed form; staff see everything.
        if not permissions.can_read_evaluation(request.user, interview, existing):
            raise Http404
        _record_read(request.user, interview, existing, AccessRecord.What.PAGE)
        return render(request, "evaluations/evaluation_read.html", _evaluation_context(request, interview, existing))
    # Reading the form writes nothing; the first POST creates the row.
    open_form = (
        evaluation_services.evaluation_create if request.method == "POST" else evaluation_services.evaluation_open
    )
    try:
        form_evaluation = open_form(interview=interview, mentor=request.user)
    except RuleError as error:
        messages.error(request, str(error))
        return redirect(interview)
    if form_evaluation.is_completed:
        _record_read(request.user, interview, form_evaluation, AccessRecord.What.PAGE)
        return render(
            request, "evaluations/evaluation_read.html", _evaluation_context(request, interview, form_evaluation)
        )
    return _edit_evaluation(request, interview, form_evaluation)


def _edit_evaluation(request, interview, evaluation):
    form_class = evaluation_form_class(evaluation.kind)
    campaign = interview.mentorship.campaign
    with_contacts = evaluation.kind != Evaluation.Kind.FIRST
    formset_class = contacts_formset_class()
    if request.method != "POST":
        form = form_class(instance=evaluation, campaign=campaign)
        contacts = formset_class(instance=evaluation, prefix="contacts") if with_contacts else None
        return _render_edit(
            request, interview, evaluation, form, contacts, CoachingForm(prefix="coaching", optional=True)
        )

    form = form_class(request.POST, instance=evaluation, campaign=campaign)
    contacts = formset_class(request.POST, instance=evaluation, prefix="contacts") if with_contacts else None
    coaching = CoachingForm(request.POST, prefix="coaching", optional=True)
    form.is_valid()
    try:
        evaluation_services.evaluation_save_draft(
            evaluation=evaluation,
            mentor=request.user,
            values={name: value for name, value in form.cleaned_data.items() if name not in form.errors},
            contacts=_typed_contacts(contacts),
        )
    except RuleError as error:
        # Completed meanwhile (a second tab): what was typed comes back with the reason.
        messages.error(request, str(error))
        return _render_edit(request, interview, evaluation, form, contacts, coaching)
    if form.errors or (contacts is not None and not contacts.is_valid()) or not coaching.is_valid():
        # Every refusal, the coaching reason's included, comes back with what was typed.
        messages.error(request, _("Some fields need attention; the others were saved."))
        return _render_edit(request, interview, evaluation, form, contacts, coaching)
    if coaching.cleaned_data["reason"]:
        try:
            coaching_services.coaching_recommend(
                mentorship=interview.mentorship,
                mentor=request.user,
                reason=coaching.cleaned_data["reason"],
                evaluation=evaluation,
            )
        except RuleError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Coaching recommended; the student has been told how to ask for it."))
    if "switch_final" in request.POST:
        try:
            evaluation_services.switch_to_final(evaluation=evaluation, mentor=request.user)
        except RuleError as error:
            messages.error(request, str(error))
        return redirect("evaluations:evaluation", pk=interview.pk)
    if "complete" not in request.POST:
        messages.success(request, _("Draft saved."))
        return redirect("evaluations:evaluation", pk=interview.pk)
    missing = evaluation_services.missing_fields(evaluation)
    if missing:
        form = form_class(
            model_to_dict(evaluation, fields=form_class.Meta.fields), instance=evaluation, campaign=campaign
        )
        form.is_valid()
        for field, error in missing.items():
            if field not in form.errors:
                form.add_error(field, error)
        messages.error(request, _("Your draft is saved, but some fields are still needed to complete the form."))
        return _render_edit(request, interview, evaluation, form, None, CoachingForm(prefix="coaching", optional=True))
    try:
        _evaluation, follow_up = evaluation_services.evaluation_complete(evaluation=evaluation, mentor=request.user)
    except RuleError as error:
        messages.error(request, str(error))
        return redirect("evaluations:evaluation", pk=interview.pk)
    messages.success(request, _("The form is completed; the student can now read your feedback."))
    if follow_up is not None:
        messages.info(request, _("The next meeting has been proposed to the student as a follow-up interview."))
    return redirect(interview)


def _typed_contacts(formset):
    """The recommended contacts as typed, when the formset is valid; None leaves them as they are."""
    if formset is None or not formset.is_valid():
        return None
    return [
        {
            **{name: form.cleaned_data.get(name, "") for name in evaluation_services.CONTACT_FIELDS},
            "id": form.cleaned_data["id"].pk if form.cleaned_data.get("id") else None,
            "delete": bool(form.cleaned_data.get("DELETE")),
        }
        for form in formset.forms
        if form.cleaned_data
    ]


def _render_edit(request, interview, evaluation, form, contacts, coaching):
    if contacts is None and evaluation.kind != Evaluation.Kind.FIRST:
        contacts = contacts_formset_class()(instance=evaluation, prefix="contacts")
    return render(
        request,
        "evaluations/evaluation_edit.html",
        _evaluation_context(
            request,
            interview,
            evaluation,
            form=form,
            contacts_formset=contacts,
            coaching_form=coaching,
            open_referral=interview.mentorship.coaching_referrals.exclude(
                status__in=[CoachingReferral.Status.DONE, CoachingReferral.Status.DECLINED]
            ).first(),
        ),
    )


@never_cache
@login_required
@require_safe
def evaluation_pdf(request, pk):
    interview = get_interview_for_user(request.user, pk)
    evaluation = get_object_or_404(Evaluation.objects.for_user(request.user), interview=interview)
    if not permissions.can_read_evaluation(request.user, interview, evaluation):
        raise Http404
    _record_read(request.user, interview, evaluation, AccessRecord.What.PDF)
    context = _evaluation_context(request, interview, evaluation)
    cache_key = None
    if evaluation.is_completed:
        cache_key = evaluation.pdf_cache_key(shared_only=context["shared_only"])
    return pdf_response("pdf/evaluation.html", context, f"evaluation-{interview.pk}.pdf", cache_key=cache_key)


# The road-book's sections printed on the blank form's first page, each cut to what fits there.
KEY_POINTS = ["professional_project", "targets", "job_search_strategy", "action_plan", "questions"]
KEY_POINT_CHARS = 600


@login_required
@require_safe
def blank_form_pdf(request, pk):
    """The empty evaluation form of an interview still to come, to take notes on during it (the
    charter): the mentor's, and staff's; the road-book's key points on the first page."""
    interview = get_interview_for_user(request.user, pk)
    mentorship = interview.mentorship
    if not permissions.can_read_private_part(request.user, interview) or interview.status not in Interview.ACTIVE:
        raise Http404
    kind = evaluation_services.EVALUATION_KIND[interview.kind]
    roadbook = Roadbook.objects.for_user(request.user).filter(mentorship=mentorship).first()
    version = roadbook.latest_version if roadbook else None
    sections = version.labelled_sections() if version else []
    key_points = [(label, text) for name, label, text, _changed in sections if name in KEY_POINTS and text]
    context = {
        "interview": interview,
        "mentorship": mentorship,
        "kind_label": Evaluation.Kind(kind).label,
        "version": version,
        "roadbook": roadbook,
        "key_points": key_points,
        "key_point_chars": KEY_POINT_CHARS,
        "rows": Evaluation.blank_rows(kind),
    }
    return pdf_response("pdf/blank_evaluation.html", context, f"evaluation-form-{interview.pk}.pdf")


# --- Coaching -----------------------------------------------------------------------------


@login_required
@require_POST
def recommend_coaching(request, pk):
    mentorship = get_object_or_404(Mentorship.objects.for_user(request.user), pk=pk)
    form = CoachingForm(request.POST, prefix="coaching")
    if not form.is_valid():
        messages.error(request, _("Say why coaching would help the student."))
        return redirect(mentorship.get_absolute_url() + "#coaching")
    try:
        coaching_services.coaching_recommend(
            mentorship=mentorship, mentor=request.user, reason=form.cleaned_data["reason"]
        )
    except RuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Coaching recommended; the student has been told how to ask for it."))
    return redirect(mentorship.get_absolute_url() + "#coaching")


@login_required
@require_POST
def request_coaching(request, pk):
    referral = get_object_or_404(CoachingReferral.objects.for_user(request.user), pk=pk)
    try:
        coaching_services.coaching_request(referral=referral, student=request.user)
    except RuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Your request has been sent to the Alumni Career Department, who will contact you to schedule it."),
        )
    return redirect(referral.mentorship.get_absolute_url() + "#coaching")
