"""Interviews: proposing dates, confirming one, rescheduling, cancelling, the calendar file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluations import services
from evaluations.forms import CancelForm, ProposalForm, SlotsForm
from evaluations.ics import invitation
from evaluations.models import Interview
from mentoring.models import Mentorship
from mentoring.services import RuleError


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
    has_first = (
        mentorship.interviews.filter(kind=Interview.Kind.FIRST)
        .exclude(status__in=[Interview.Status.CANCELLED, Interview.Status.NO_SHOW])
        .exists()
    )
    kind = Interview.Kind.FOLLOW_UP if has_first else Interview.Kind.FIRST
    earliest = services.earliest_first_start(mentorship) if kind == Interview.Kind.FIRST else None
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
    )


def _default_mode(mentorship):
    modes = mentorship.enrollment.meeting_modes
    return modes[0] if modes else None


def _page(request, interview, *, slots_form=None, cancel_form=None, status=200):
    mentorship = interview.mentorship
    earliest = services.earliest_first_start(mentorship) if interview.is_first else None
    awaiting = interview.awaiting()
    return render(
        request,
        "evaluations/interview.html",
        {
            "interview": interview,
            "mentorship": mentorship,
            "slots": interview.slots.filter(proposal_round=interview.proposal_round),
            "can_confirm": awaiting is not None and awaiting.pk == request.user.pk,
            "is_party": request.user.pk in (mentorship.student_id, mentorship.enrollment.alumnus_id),
            "is_mentor": request.user.pk == mentorship.enrollment.alumnus_id,
            "slots_form": slots_form or SlotsForm(earliest=earliest),
            "cancel_form": cancel_form or CancelForm(),
            "earliest": earliest,
            "roadbook": getattr(mentorship, "roadbook", None),
        },
        status=status,
    )


@login_required
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
    form = SlotsForm(request.POST, earliest=earliest)
    if form.is_valid():
        try:
            services.interview_propose_other(interview=interview, by=request.user, starts=form.starts)
        except RuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your new dates have been sent."))
            return redirect(interview)
    return _page(request, interview, slots_form=form)


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
def invite_ics(request, pk):
    interview = get_interview_for_user(request.user, pk)
    if interview.start is None:
        raise Http404
    method = "CANCEL" if interview.status == Interview.Status.CANCELLED else "REQUEST"
    response = HttpResponse(invitation(interview, method=method), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="interview-{interview.pk}.ics"'
    return response
