"""What interviews, evaluations and coaching add to the shared pages (registered in
``EvaluationsConfig.ready``)."""

from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from core.dates import local_datetime
from evaluations import permissions
from evaluations.forms import CoachingForm
from evaluations.models import CoachingReferral, Interview
from evaluations.services.interviews import interviews_wind_down, next_interview_kind
from mentoring import contributions
from mentoring.contributions import NextStep

Status = Interview.Status


def _interviews_by_mentorship(mentorships):
    """Each mentorship's interviews with their evaluation, in one query for the whole list."""
    by_pk = {mentorship.pk: mentorship for mentorship in mentorships}
    found = {pk: [] for pk in by_pk}
    for interview in Interview.objects.filter(mentorship__in=mentorships).select_related("evaluation"):
        interview.mentorship = by_pk[interview.mentorship_id]  # already loaded: no query per interview
        found[interview.mentorship_id].append(interview)
    return found


def _evaluation_done(interview):
    evaluation = getattr(interview, "evaluation", None)  # RelatedObjectDoesNotExist is an AttributeError
    return evaluation is not None and evaluation.is_completed


def _choose_a_date(name, interview):
    return NextStep(
        _("%(name)s proposed dates for an interview: confirm one, or propose others.") % {"name": name},
        interview.get_absolute_url(),
        _("Choose a date"),
    )


def _student_steps(user, mentorship):
    steps = []
    interviews = _interviews_by_mentorship([mentorship])[mentorship.pk]
    mentor = mentorship.mentor.get_full_name()
    first_with_a_date = [i for i in interviews if i.is_first and i.status in (*Interview.ACTIVE, Status.HELD)]
    if not first_with_a_date:
        steps.append(
            NextStep(
                _("Propose one to three dates for your first interview."),
                reverse("evaluations:propose", args=[mentorship.pk]),
                _("Propose dates"),
            )
        )
    steps += [_choose_a_date(mentor, interview) for interview in interviews if permissions.must_answer(user, interview)]
    for interview in interviews:
        if interview.status == Status.HELD and _evaluation_done(interview):
            steps.append(
                NextStep(
                    _("Your mentor's feedback and action plan for the interview of %(date)s are ready.")
                    % {"date": local_datetime(interview.start)},
                    reverse("evaluations:evaluation", args=[interview.pk]),
                    _("Read the feedback"),
                )
            )
    if CoachingReferral.objects.filter(mentorship=mentorship, status=CoachingReferral.Status.RECOMMENDED).exists():
        steps.append(
            NextStep(
                _("Your mentor recommends a free coaching session with the Alumni Career Department."),
                mentorship.get_absolute_url() + "#coaching",
                _("Ask for it"),
            )
        )
    first_held = any(i.is_first and i.status == Status.HELD for i in interviews)
    if first_held and not any(i.status in Interview.ACTIVE for i in interviews):
        steps.append(
            NextStep(
                _("Agree on a follow-up interview with your mentor."),
                reverse("evaluations:propose", args=[mentorship.pk]),
                _("Propose a follow-up"),
            )
        )
    return steps


def _mentor_steps(user, mentees, now):
    steps = []
    interviews = _interviews_by_mentorship(mentees)
    for mentorship in mentees:
        name = mentorship.student.get_full_name()
        for interview in interviews[mentorship.pk]:
            if permissions.must_answer(user, interview):
                steps.append(_choose_a_date(name, interview))
            elif interview.status == Status.CONFIRMED and interview.start <= now and not _evaluation_done(interview):
                steps.append(
                    NextStep(
                        _("Fill in the evaluation form of your interview with %(name)s.") % {"name": name},
                        reverse("evaluations:evaluation", args=[interview.pk]),
                        _("Evaluation form"),
                    )
                )
    return steps


@contributions.next_steps.register
def next_steps(area):
    steps = []
    if area.active_mentorship is not None:
        steps += _student_steps(area.user, area.active_mentorship)
    if area.active_mentees:
        steps += _mentor_steps(area.user, area.active_mentees, area.now)
    return steps


@contributions.timeline_step.register
def timeline_step(mentorship):
    """Step 3 once the first interview is confirmed, step 4 once it is held."""
    statuses = set(
        Interview.objects.filter(
            mentorship=mentorship, kind=Interview.Kind.FIRST, status__in=[Status.CONFIRMED, Status.HELD]
        ).values_list("status", flat=True)
    )
    if Status.HELD in statuses:
        return 4
    if Status.CONFIRMED in statuses:
        return 3
    return None


@contributions.mentorship_sections.register
def interviews_section(request, mentorship):
    """The mentorship's interviews, each completed evaluation with its shared part only: this page
    is the student's too, whoever reads it."""
    interviews = (
        Interview.objects.filter(mentorship=mentorship)
        .select_related("evaluation")
        .prefetch_related("evaluation__contacts")
        # The dates waiting for an answer: those of the current round.
        .annotate(slot_count=Count("slots", filter=Q(slots__proposal_round=F("proposal_round"))))
    )
    items = []
    for interview in interviews:
        shared = _evaluation_done(interview)
        evaluation = interview.evaluation if shared else None
        items.append(
            {
                "interview": interview,
                "evaluation": evaluation,
                "rows": evaluation.fields_for(shared_only=True) if shared else [],
                "contacts": list(evaluation.contacts.all()) if shared else [],
            }
        )
    context = {
        "mentorship": mentorship,
        "items": items,
        "can_propose": next_interview_kind(mentorship, request.user) is not None,
    }
    return render_to_string("evaluations/partials/mentorship_interviews.html", context, request=request)


@contributions.mentorship_sections.register
def coaching_section(request, mentorship):
    referrals = list(CoachingReferral.objects.filter(mentorship=mentorship))
    context = {
        "mentorship": mentorship,
        "referrals": referrals,
        "is_student": permissions.is_student_of(request.user, mentorship),
        "can_recommend": permissions.can_recommend_coaching(request.user, mentorship, referrals),
        "form": CoachingForm(prefix="coaching"),
    }
    return render_to_string("evaluations/partials/mentorship_coaching.html", context, request=request)


@contributions.mentorship_closed.register
def wind_down(mentorship, reason):
    interviews_wind_down(mentorship=mentorship, reason=reason)


@contributions.dashboard_panels.register
def coaching_panel(request, campaign):
    requested = CoachingReferral.objects.filter(
        mentorship__campaign=campaign, status=CoachingReferral.Status.REQUESTED
    ).count()
    return render_to_string(
        "evaluations/partials/dashboard_coaching.html", {"coaching_requested": requested}, request=request
    )
