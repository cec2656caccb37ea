"""What the road-book adds to the shared pages (registered in ``RoadbookConfig.ready``)."""

from django.db.models import Count, F, Q, Subquery
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from core.dates import local_date
from mentoring import contributions, suggestions
from mentoring.contributions import ExportColumns, Figure, FigureGroup, Figures, NextStep
from mentoring.dashboard import AttentionItem, attention_context, tally
from mentoring.models import Mentorship
from roadbook import permissions, rules
from roadbook.models import Roadbook

# While the first interview's dates are only proposed, the road-book's deadline is not fixed: the
# interviews app says which proposed date it would follow, as an expression read in the query that
# reads the road-book (no query of its own).
proposed_first_starts = contributions.Hook(
    "proposed_first_starts",
    "The earliest date proposed for a mentorship's first meeting while none is confirmed: "
    "f(now) -> an SQL expression of one date-time (or NULL) for the mentorship OuterRef('pk'), "
    "a Subquery of one value; or None.",
)


def _with_proposed(mentorships):
    """``mentorships`` (a queryset) annotated with each contribution's proposed start, and the
    annotations' names."""
    now = timezone.now()
    expressions = [contribution(now) for contribution in proposed_first_starts]
    annotations = {
        f"proposed_start_{i}": expression for i, expression in enumerate(expressions) if expression is not None
    }
    return mentorships.annotate(**annotations), list(annotations)


def _earliest(row, names):
    starts = [start for start in (getattr(row, name) for name in names) if start is not None]
    return min(starts, default=None)


def _roadbooks_and_proposed(mentorships):
    """({mentorship pk: road-book}, {mentorship pk: earliest proposed start}) of ``mentorships``,
    in one query."""
    by_pk = {mentorship.pk: mentorship for mentorship in mentorships}
    queryset, names = _with_proposed(Mentorship.objects.filter(pk__in=by_pk).select_related("roadbook"))
    roadbooks, proposed = {}, {}
    for row in queryset.only("pk", "roadbook"):
        roadbook = getattr(row, "roadbook", None)  # RelatedObjectDoesNotExist is an AttributeError
        if roadbook is not None:
            roadbook.mentorship = by_pk[row.pk]  # already loaded: no query to reach it
            roadbooks[row.pk] = roadbook
        start = _earliest(row, names)
        if start is not None:
            proposed[row.pk] = start
    return roadbooks, proposed


def _waits_for_a_date(roadbook):
    return roadbook is None or (roadbook.due_at is None and not roadbook.submitted_at)


def status_context(user, mentorship, roadbook, on_roadbook_page=False, proposed=None):
    """What ``roadbook/partials/status.html`` shows: the status, the deadline, the lateness.
    ``proposed``: the earliest proposed dates of a batch (``_roadbooks_and_proposed``), else asked
    here."""
    deadline = roadbook.due_at if roadbook else None
    start = None
    if _waits_for_a_date(roadbook):
        if proposed is None:
            _roadbooks, proposed = _roadbooks_and_proposed([mentorship])
        start = proposed.get(mentorship.pk)
    return {
        "proposed_start": start,
        "proposed_deadline": rules.roadbook_deadline(mentorship.campaign, start) if start else None,
        "user": user,
        "mentorship": mentorship,
        "roadbook": roadbook,
        "deadline": deadline,
        "late": roadbook is not None and roadbook.is_late_now(),
        "min_days": mentorship.campaign.roadbook_min_days,
        "on_roadbook_page": on_roadbook_page,
        "can_edit": user is not None and permissions.can_edit_roadbook(user, mentorship),
    }


def _roadbooks(mentorships):
    return {roadbook.mentorship_id: roadbook for roadbook in Roadbook.objects.filter(mentorship__in=mentorships)}


@contributions.next_steps.register
def next_steps(area):
    steps = []
    mentorship = area.active_mentorship
    if mentorship is not None:
        roadbook = _roadbooks([mentorship]).get(mentorship.pk)
        interview_past = (
            roadbook is not None and roadbook.first_interview_at and roadbook.first_interview_at <= area.now
        )
        if not interview_past and (roadbook is None or not roadbook.is_sent):
            steps.append(
                NextStep(
                    _("Send your road-book to %(name)s at least %(days)s days before your first interview.")
                    % {"name": mentorship.mentor.get_full_name(), "days": mentorship.campaign.roadbook_min_days},
                    reverse("roadbook:edit", args=[mentorship.pk]),
                    _("My road-book"),
                )
            )
    roadbooks = _roadbooks(area.active_mentees) if area.active_mentees else {}
    for mentee in area.active_mentees:
        roadbook = roadbooks.get(mentee.pk)
        if roadbook is not None and roadbook.is_sent and roadbook.mentor_first_opened_at is None:
            steps.append(
                NextStep(
                    _("%(name)s sent you the road-book: read it before your first interview.")
                    % {"name": mentee.student.get_full_name()},
                    reverse("roadbook:edit", args=[mentee.pk]),
                    pgettext("the road-book", "Read it"),
                )
            )
    return steps


@contributions.mentorship_summaries.register
def status_lines(request, mentorships):
    roadbooks, proposed = _roadbooks_and_proposed(mentorships)
    return {
        mentorship.pk: render_to_string(
            "roadbook/partials/status.html",
            status_context(request.user, mentorship, roadbooks.get(mentorship.pk), proposed=proposed),
        )
        for mentorship in mentorships
    }


@contributions.mentorship_sections.register
def mentorship_section(request, mentorship):
    roadbooks, proposed = _roadbooks_and_proposed([mentorship])
    return render_to_string(
        "roadbook/partials/mentorship_section.html",
        status_context(request.user, mentorship, roadbooks.get(mentorship.pk), proposed=proposed),
        request=request,
    )


# --- The staff dashboard and the exports ----------------------------------------------------------


@contributions.dashboard_figures.register
def dashboard_figures(campaign, now):
    """Road-books of the mentorships under way or closed: sent on time, sent late (after the
    deadline of the first interview's current date, as every page says), or not sent."""
    sent = Q(submitted_at__isnull=False)
    late = sent & Q(submitted_at__gt=F("due_at"))
    roadbooks = Roadbook.objects.filter(mentorship__campaign=campaign, mentorship__status__in=Mentorship.OCCUPYING)

    def groups(values):
        counts, matched = values["roadbooks"], values["mentorships"]["matched"]
        return [
            FigureGroup(
                _("Road-books"),
                [
                    Figure(_("Sent on time"), counts["sent"] - counts["late"], matched),
                    Figure(_("Sent late"), counts["late"], matched),
                    Figure(_("Not sent"), matched - counts["sent"], matched),
                ],
            )
        ]

    counts = tally(roadbooks, sent=Count("pk", filter=sent), late=Count("pk", filter=late))
    return Figures(counts={"roadbooks": counts}, groups=groups)


def overdue(campaign, now):
    """Road-books past their deadline and still not sent, while the first interview is ahead
    (as the late road-book reminder reads them)."""
    return (
        Roadbook.objects.filter(
            mentorship__campaign=campaign,
            mentorship__status=Mentorship.Status.ACCEPTED,
            submitted_at__isnull=True,
            due_at__lte=now,
            first_interview_at__gt=now,
        )
        .select_related("mentorship__student", "mentorship__enrollment__alumnus")
        .order_by("due_at", "pk")
    )


def _overdue_item(roadbook):
    mentorship = roadbook.mentorship
    return AttentionItem(
        _("%(student)s → %(mentor)s")
        % {"student": mentorship.student.get_full_name(), "mentor": mentorship.mentor.get_full_name()},
        _("due on %(due)s, first interview on %(date)s")
        % {"due": local_date(roadbook.due_at), "date": local_date(roadbook.first_interview_at)},
        mentorship.get_absolute_url(),
    )


@contributions.dashboard_panels.register
def overdue_panel(request, campaign, values):
    context = attention_context(
        _("Road-books overdue"),
        overdue(campaign, timezone.now()),
        _overdue_item,
        _("No road-book is overdue."),
    )
    return render_to_string("roadbook/partials/dashboard_overdue.html", {"list": context}, request=request)


def _export_values(mentorships):
    return {
        roadbook.mentorship_id: {
            "roadbook_due_at": roadbook.due_at,
            "roadbook_sent_at": roadbook.submitted_at,
            "roadbook_late": roadbook.is_late_now() if roadbook.is_sent else None,
        }
        for roadbook in Roadbook.objects.filter(mentorship__in=mentorships)
    }


@contributions.mentorship_export_columns.register
def export_columns():
    return ExportColumns(
        headers={
            "roadbook_due_at": gettext_lazy("Road-book due"),
            "roadbook_sent_at": gettext_lazy("Road-book sent"),
            "roadbook_late": gettext_lazy("Road-book late"),
        },
        values=_export_values,
    )


@contributions.suggestion_texts.register
def professional_project(student, campaign):
    """The professional project of the student's latest road-book in the campaign, once written
    (a mentorship that ended early leaves one behind)."""
    latest = (
        Roadbook.objects.filter(mentorship__student_id=student.pk, mentorship__campaign=campaign)
        .exclude(professional_project="")
        .order_by("-pk")
        .values("professional_project")[:1]
    )
    return Subquery(latest)


@receiver(post_save, sender=Roadbook, dispatch_uid="roadbook.suggestions")
def _project_changed(sender, instance, raw=False, **kwargs):
    # The professional project feeds the student's suggestions: compute them again.
    if not raw:
        if Roadbook.mentorship.is_cached(instance):
            student_id = instance.mentorship.student_id
        else:
            mentorships = Mentorship.objects.filter(pk=instance.mentorship_id)
            student_id = mentorships.values_list("student_id", flat=True).first()
        if student_id is not None:
            suggestions.forget(student_id)
