"""What interviews, evaluations and coaching add to the shared pages (registered in
``EvaluationsConfig.ready``)."""

from datetime import timedelta

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery, prefetch_related_objects
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import local_date, local_datetime
from evaluations import exports, permissions
from evaluations.forms import CoachingForm
from evaluations.models import CoachingReferral, Evaluation, Interview, InterviewSlot
from evaluations.models.evaluations import Outcome
from evaluations.services.interviews import interviews_wind_down, next_interview_kind
from mentoring import contributions
from mentoring.contributions import ExportColumns, Figure, FigureGroup, Figures, NextStep, Report
from mentoring.dashboard import AttentionItem, attention_context, tally
from mentoring.models import Mentorship
from roadbook import contributions as roadbook_contributions

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


@roadbook_contributions.proposed_first_starts.register
def proposed_first_start(now):
    """The earliest date still proposed for the mentorship's first interview, while none is confirmed."""
    slots = InterviewSlot.objects.filter(
        interview__mentorship=OuterRef("pk"),
        interview__kind=Interview.Kind.FIRST,
        interview__status=Interview.Status.PROPOSED,
        proposal_round=F("interview__proposal_round"),
        start__gt=now,
    )
    return Subquery(slots.order_by("start").values("start")[:1])


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
        Interview.objects.select_related("evaluation")
        .prefetch_related("evaluation__contacts")
        # The dates waiting for an answer: those of the current round.
        .annotate(slot_count=Count("slots", filter=Q(slots__proposal_round=F("proposal_round"))))
    )
    # Read once, into the mentorship's own cache: what may be proposed next reads the same list.
    prefetch_related_objects([mentorship], Prefetch("interviews", queryset=interviews))
    interviews = mentorship.interviews.all()
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
def coaching_panel(request, campaign, values):
    return render_to_string(
        "evaluations/partials/dashboard_coaching.html",
        {"coaching_requested": values["coaching"]["requested_now"]},
        request=request,
    )


# --- The staff dashboard and the exports ----------------------------------------------------------


def _interview_counts(campaign, now):
    """Per mentorship under way or closed: its first interview held, its final form; and every
    form completed out of the interviews that have taken place (their form is due).

    A single pass over the interviews: the mentorships with a first interview held or a final
    form are counted from the interviews (distinct mentorships), not by a subquery per
    mentorship, which took a third of a second at 15,000 mentorships."""
    occupying = Q(mentorship__status__in=Mentorship.OCCUPYING)
    due = Q(status=Status.HELD) | Q(status=Status.CONFIRMED, start__lte=now)
    return tally(
        Interview.objects.filter(mentorship__campaign=campaign),
        due=Count("pk", filter=due),
        completed=Count("pk", filter=Q(evaluation__status=Evaluation.Status.COMPLETED)),
        follow_ups_held=Count("pk", filter=Q(kind=Interview.Kind.FOLLOW_UP, status=Status.HELD)),
        first_held=Count(
            "mentorship", filter=occupying & Q(kind=Interview.Kind.FIRST, status=Status.HELD), distinct=True
        ),
        final=Count(
            "mentorship",
            filter=occupying
            & Q(evaluation__kind=Evaluation.Kind.FINAL, evaluation__status=Evaluation.Status.COMPLETED),
            distinct=True,
        ),
    )


def _interview_figures(forms, matched):
    return FigureGroup(
        _("Interviews and evaluation forms"),
        [
            Figure(_("First interviews held"), forms["first_held"], matched),
            Figure(_("Evaluation forms completed"), forms["completed"], forms["due"]),
            Figure(_("Follow-up interviews held"), forms["follow_ups_held"]),
            Figure(_("Final forms"), forms["final"], matched),
        ],
    )


def _coaching_counts(campaign):
    """How far the referrals went: a declined one counts for the steps it had reached; and the
    requests waiting to be scheduled, for the dashboard's panel."""
    requested = Q(status__in=[CoachingReferral.Status.REQUESTED, CoachingReferral.Status.SCHEDULED]) | Q(
        requested_at__isnull=False
    )
    scheduled = Q(status=CoachingReferral.Status.SCHEDULED) | Q(scheduled_for__isnull=False)
    done = Q(status=CoachingReferral.Status.DONE)
    return tally(
        CoachingReferral.objects.filter(mentorship__campaign=campaign),
        recommended=Count("pk"),
        requested=Count("pk", filter=requested | done),
        scheduled=Count("pk", filter=scheduled | done),
        done=Count("pk", filter=done),
        requested_now=Count("pk", filter=Q(status=CoachingReferral.Status.REQUESTED)),
    )


def _coaching_figures(counts):
    recommended = counts["recommended"]
    return FigureGroup(
        _("Coaching"),
        [
            Figure(_("Recommended by the mentor"), recommended),
            Figure(_("Requested by the student"), counts["requested"], recommended),
            Figure(_("Scheduled"), counts["scheduled"], recommended),
            Figure(_("Done"), counts["done"], recommended),
        ],
    )


def _outcome_figures(counts):
    total = counts["total"]
    known = [Figure(str(Outcome(outcome).label), counts[outcome], total) for outcome in Outcome.values]
    other = total - sum(figure.value for figure in known)
    return FigureGroup(_("Outcomes of the final forms"), [*known, Figure(_("Other"), other, total)])


def _groups(values):
    matched = values["mentorships"]["matched"]
    return [
        _interview_figures(values["interviews"], matched),
        _coaching_figures(values["coaching"]),
        _outcome_figures(values["outcomes"]),
    ]


@contributions.dashboard_figures.register
def dashboard_figures(campaign, now):
    outcomes = tally(
        exports.final_forms(campaign),
        total=Count("pk"),
        **{outcome: Count("pk", filter=Q(outcome=outcome)) for outcome in Outcome.values},
    )
    counts = {
        "interviews": _interview_counts(campaign, now),
        "coaching": _coaching_counts(campaign),
        "outcomes": outcomes,
    }
    return Figures(counts=counts, groups=_groups)


def pending_evaluations(campaign, now):
    """Confirmed interviews whose form is still not completed, the campaign's delay after their
    start (as the pending evaluation reminder reads them)."""
    completed = Evaluation.objects.filter(interview=OuterRef("pk"), status=Evaluation.Status.COMPLETED)
    return (
        Interview.objects.filter(
            mentorship__campaign=campaign,
            status=Status.CONFIRMED,
            start__lte=now - timedelta(days=campaign.evaluation_pending_reminder_days),
        )
        .exclude(Exists(completed))
        .select_related("mentorship__student", "mentorship__enrollment__alumnus")
        .order_by("start", "pk")
    )


def without_follow_up(campaign, now):
    """First interviews held the campaign's delay ago or more, in a mentorship still under way
    with no follow-up confirmed or held (as the no follow-up reminder reads them)."""
    follow_up = Interview.objects.filter(
        mentorship=OuterRef("mentorship"),
        kind=Interview.Kind.FOLLOW_UP,
        status__in=[Status.CONFIRMED, Status.HELD],
    )
    return (
        Interview.objects.filter(
            mentorship__campaign=campaign,
            mentorship__status=Mentorship.Status.ACCEPTED,
            kind=Interview.Kind.FIRST,
            status=Status.HELD,
            start__lte=now - timedelta(weeks=campaign.no_follow_up_reminder_weeks),
        )
        .exclude(Exists(follow_up))
        .select_related("mentorship__student", "mentorship__enrollment__alumnus")
        .order_by("start", "pk")
    )


def _pair(mentorship):
    return _("%(student)s → %(mentor)s") % {
        "student": mentorship.student.get_full_name(),
        "mentor": mentorship.mentor.get_full_name(),
    }


def _pending_item(interview):
    return AttentionItem(
        _pair(interview.mentorship),
        _("%(kind)s of %(date)s") % {"kind": interview.get_kind_display(), "date": local_date(interview.start)},
        interview.mentorship.get_absolute_url(),
    )


def _no_follow_up_item(interview):
    return AttentionItem(
        _pair(interview.mentorship),
        _("first interview on %(date)s") % {"date": local_date(interview.start)},
        interview.mentorship.get_absolute_url(),
    )


@contributions.dashboard_panels.register
def attention_panel(request, campaign, values):
    now = timezone.now()
    lists = [
        attention_context(
            _("Evaluation forms overdue"),
            pending_evaluations(campaign, now),
            _pending_item,
            _("No evaluation form is overdue."),
        ),
        attention_context(
            _("Mentorships with no follow-up"),
            without_follow_up(campaign, now),
            _no_follow_up_item,
            _("Every mentorship has its follow-up."),
        ),
    ]
    return render_to_string("evaluations/partials/dashboard_attention.html", {"lists": lists}, request=request)


def _export_values(mentorships):
    values = {}
    for interview in (
        Interview.objects.filter(mentorship__in=mentorships).select_related("evaluation").order_by("start", "pk")
    ):
        row = values.setdefault(
            interview.mentorship_id,
            {"first_interview_at": None, "first_interview_status": None, "follow_ups_held": 0, "outcome": None},
        )
        if interview.is_first and interview.status in (*Interview.ACTIVE, Status.HELD):
            row["first_interview_at"] = interview.start
            row["first_interview_status"] = interview.get_status_display()
        if interview.kind == Interview.Kind.FOLLOW_UP and interview.status == Status.HELD:
            row["follow_ups_held"] += 1
        evaluation = getattr(interview, "evaluation", None)  # RelatedObjectDoesNotExist is an AttributeError
        if evaluation is not None and evaluation.kind == Evaluation.Kind.FINAL and evaluation.is_completed:
            row["outcome"] = evaluation.get_outcome_display()
    return values


@contributions.mentorship_export_columns.register
def export_columns():
    return ExportColumns(
        headers={
            "first_interview_at": gettext_lazy("First interview"),
            "first_interview_status": gettext_lazy("First interview status"),
            "follow_ups_held": gettext_lazy("Follow-up interviews held"),
            "outcome": gettext_lazy("Outcome"),
        },
        values=_export_values,
    )


@contributions.dashboard_reports.register
def outcome_report():
    return Report("outcomes", gettext_lazy("Outcomes of the final forms, per student"), exports.outcomes_dataset)
