"""The staff dashboard: one campaign's numbers, drawn as charts, and who needs attention.

This module counts what the mentoring app owns (mentor enrolments, students, mentorships). The
later steps add their numbers through ``contributions.dashboard_figures``, their lists of who
needs attention through ``contributions.dashboard_panels``, their columns of the mentorships'
export through ``contributions.mentorship_export_columns`` and their own tables through
``contributions.dashboard_reports``. Every number and list takes a fixed number of queries,
whatever the campaign's size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

import tablib
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, F, JSONField, Q, QuerySet, Subquery, Value, Window
from django.db.models.functions import JSONObject
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from accounts.models import User
from core.dates import local_date
from core.models import SentNotice
from mentoring import contributions, exports, reminders
from mentoring.contributions import Figure, FigureGroup, Report
from mentoring.models import Campaign, MentorEnrollment, Mentorship

# The longest list of who needs attention shown on the page; the total is always given.
ATTENTION_LIMIT = 20


class CampaignPicker(forms.Form):
    campaign = forms.ModelChoiceField(
        label=gettext_lazy("Campaign"),
        queryset=Campaign.objects.all(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


def picked_campaign(request: HttpRequest, campaigns: list[Campaign] | None = None) -> Campaign | None:
    """The campaign the picker names (``?campaign=<pk>``), else the current one, among
    ``campaigns`` (every campaign; read here when not given). A campaign that does not exist is a
    404."""
    campaigns = list(Campaign.objects.all()) if campaigns is None else campaigns
    if "campaign" not in request.GET:
        return next((campaign for campaign in campaigns if campaign.is_current), None)
    found = next((campaign for campaign in campaigns if str(campaign.pk) == request.GET["campaign"]), None)
    if found is None:
        raise Http404
    return found


# --- Numbers ------------------------------------------------------------------------------------


def tally(queryset: QuerySet, **aggregates) -> Subquery:
    """``aggregates`` (conditional counts) over the whole of ``queryset`` as one JSON object, for
    the dashboard's one figures query: a single pass over one table, answering a single row even
    when the table holds none of the campaign's rows (no GROUP BY)."""
    one_row = queryset.order_by().annotate(tally_all=Value(1)).values("tally_all")
    return Subquery(one_row.annotate(tally=JSONObject(**aggregates)).values("tally"), output_field=JSONField())


def _own_counts(campaign: Campaign) -> dict:
    approved = Q(status=MentorEnrollment.Status.APPROVED)
    occupying = Mentorship.objects.filter(campaign=campaign, status__in=Mentorship.OCCUPYING)
    # Mentors with places taken, and those full: each an uncorrelated IN over one grouped pass on
    # the mentorships (hashed by PostgreSQL), not a subquery per mentor (a fifth of a second at
    # 5,000 mentors).
    taken = occupying.order_by().values("enrollment")
    full = taken.annotate(taken=Count("pk")).filter(taken__gte=F("enrollment__capacity")).values("enrollment")
    requested = Mentorship.objects.filter(campaign=campaign).values("student")
    statuses = Mentorship.Status
    return {
        "mentors": tally(
            MentorEnrollment.objects.filter(campaign=campaign),
            applied=Count("pk"),
            approved=Count("pk", filter=approved),
            with_mentees=Count("pk", filter=approved & Q(pk__in=taken)),
            full=Count("pk", filter=approved & Q(pk__in=full)),
            waiting=Count("pk", filter=Q(status=MentorEnrollment.Status.APPLIED)),
        ),
        "students": tally(
            campaign.roster(counting_erased=True),
            roster=Count("pk"),
            with_request=Count("pk", filter=Q(pk__in=requested)),
            matched=Count("pk", filter=Q(pk__in=occupying.values("student"))),
        ),
        "mentorships": tally(
            Mentorship.objects.filter(campaign=campaign),
            total=Count("pk"),
            matched=Count("pk", filter=Q(status__in=Mentorship.OCCUPYING)),
            **{status: Count("pk", filter=Q(status=status)) for status in statuses.values},
        ),
        # Held ones wait for the digest.
        "notices": tally(SentNotice.objects.waiting(), undelivered=Count("pk")),
    }


def _own_groups(values: dict) -> list[FigureGroup]:
    mentors, students, mentorships = values["mentors"], values["students"], values["mentorships"]
    statuses = Mentorship.Status
    return [
        FigureGroup(
            _("Mentors"),
            [
                Figure(pgettext("mentors", "Applied"), mentors["applied"]),
                Figure(pgettext("mentors", "Approved"), mentors["approved"], mentors["applied"]),
                Figure(pgettext("mentors", "With mentees"), mentors["with_mentees"], mentors["approved"]),
                Figure(pgettext("mentors", "Full"), mentors["full"], mentors["approved"]),
            ],
        ),
        FigureGroup(
            _("Students"),
            [
                Figure(_("On the roster"), students["roster"]),
                Figure(_("With a request"), students["with_request"], students["roster"]),
                Figure(_("Matched with a mentor"), students["matched"], students["roster"]),
            ],
        ),
        FigureGroup(
            _("Mentorships by status"),
            [
                Figure(str(statuses(status).label), mentorships[status], mentorships["total"])
                for status in statuses.values
            ],
        ),
    ]


def figures(campaign: Campaign, now: datetime | None = None) -> tuple[dict[str, dict], list[FigureGroup]]:
    """Every number of the dashboard, this app's then each later step's, counted in one query:
    (the answers by name, for the panels; the groups to draw and export)."""
    now = now or timezone.now()
    counts = _own_counts(campaign)
    contributed = [contribution(campaign, now) for contribution in contributions.dashboard_figures]
    for contribution in contributed:
        clash = counts.keys() & contribution.counts.keys()
        if clash:
            raise ImproperlyConfigured(f"Dashboard counts named twice: {sorted(clash)}")
        counts.update(contribution.counts)
    # Prefixed: a name may be a relation of the campaign ("mentorships").
    row = Campaign.objects.filter(pk=campaign.pk).values(**{f"count_{name}": count for name, count in counts.items()})
    values = {name.removeprefix("count_"): answer for name, answer in row.get().items()}
    groups = _own_groups(values)
    for contribution in contributed:
        groups.extend(contribution.groups(values))
    return values, groups


def figure_groups(campaign: Campaign, now: datetime | None = None) -> list[FigureGroup]:
    """Every number of the dashboard, by group, in one query."""
    return figures(campaign, now)[1]


# --- Charts -------------------------------------------------------------------------------------

# Each figure is a row of the chart: its label above, its bar below.
ROW_HEIGHT = 44
# The bars take at most this share of the width: the number and rate are written after them.
BAR_SPAN = 70


@dataclass(frozen=True)
class ChartRow:
    """A figure's place in the chart. Lengths are text, so that no locale writes them with a comma."""

    figure: Figure
    label_y: str
    bar_y: str
    text_y: str
    bar_width: str  # per cent of the chart's width
    text_x: str  # per cent of the chart's width

    @property
    def percent(self) -> int | None:
        rate = self.figure.rate
        return None if rate is None else round(rate)


@dataclass(frozen=True)
class Chart:
    """A group of figures as a horizontal bar chart, drawn in SVG by the template."""

    group: FigureGroup
    rows: list[ChartRow]
    height: str


def chart(group: FigureGroup) -> Chart:
    """Bars to one scale: the group's largest number or base, so that rates read as lengths."""
    scale = max([1, *(f.value for f in group.figures), *(f.base or 0 for f in group.figures)])
    rows = []
    for index, figure in enumerate(group.figures):
        width = BAR_SPAN * figure.value / scale
        top = index * ROW_HEIGHT
        rows.append(
            ChartRow(
                figure,
                label_y=str(top + 14),
                bar_y=str(top + 20),
                text_y=str(top + 33),
                bar_width=f"{width:.2f}",
                text_x=f"{width + 1.5:.2f}",
            )
        )
    return Chart(group, rows, height=str(len(rows) * ROW_HEIGHT))


# --- Who needs attention --------------------------------------------------------------------


@dataclass(frozen=True)
class AttentionItem:
    """One line of a list of who needs attention: who, a detail, and where to act."""

    text: str
    detail: str
    url: str


def attention_context(title: str, queryset: QuerySet, item, empty: str) -> dict:
    """What ``mentoring/partials/attention_list.html`` shows: the first ``ATTENTION_LIMIT`` rows
    of ``queryset`` as ``item(row)`` and their total, in one query (each row carries the total,
    a window count over every row before the limit)."""
    rows = list(queryset.annotate(attention_total=Window(Count("pk")))[:ATTENTION_LIMIT])
    total = rows[0].attention_total if rows else 0
    return {
        "title": title,
        "total": total,
        "items": [item(row) for row in rows],
        "more": max(0, total - ATTENTION_LIMIT),
        "empty": empty,
    }


def students_without_mentor(campaign: Campaign) -> QuerySet[User]:
    """Students of the roster with no mentor and no pending request, as the reminders read them."""
    return reminders.students_to_remind(campaign).order_by("last_name", "first_name", "pk")


def unanswered_requests(campaign: Campaign, now: datetime) -> QuerySet[Mentorship]:
    """Requests the mentor has left unanswered for the campaign's reminder delay or longer."""
    since = now - timedelta(days=campaign.request_unanswered_reminder_days)
    return (
        Mentorship.objects.filter(campaign=campaign, status=Mentorship.Status.REQUESTED, requested_at__lte=since)
        .select_related("student", "enrollment__alumnus")
        .order_by("requested_at", "pk")
    )


def _student_item(user):
    return AttentionItem(
        user.get_full_name() or user.email, user.email, reverse("admin:accounts_user_change", args=[user.pk])
    )


def _request_item(mentorship):
    return AttentionItem(
        _("%(student)s → %(mentor)s")
        % {"student": mentorship.student.get_full_name(), "mentor": mentorship.mentor.get_full_name()},
        _("requested on %(date)s") % {"date": local_date(mentorship.requested_at)},
        mentorship.get_absolute_url(),
    )


def attention_lists(campaign: Campaign, now: datetime) -> list[dict]:
    """This app's lists of who needs attention; the later steps add theirs as panels."""
    days = campaign.request_unanswered_reminder_days
    return [
        attention_context(
            _("Students without a mentor or a request"),
            students_without_mentor(campaign),
            _student_item,
            _("Every student of the roster has a mentor or a request."),
        ),
        attention_context(
            ngettext(
                "Requests unanswered for %(days)s day or more",
                "Requests unanswered for %(days)s days or more",
                days,
            )
            % {"days": days},
            unanswered_requests(campaign, now),
            _request_item,
            _("No request has waited that long."),
        ),
    ]


# --- The page -----------------------------------------------------------------------------------


def dashboard_for(
    request: HttpRequest, campaign: Campaign | None, now: datetime | None = None, campaigns: list | None = None
) -> dict:
    """What the dashboard shows of one campaign, in a fixed number of queries: the figures and
    the counts of the panels in one, each list of who needs attention in one. ``campaigns``:
    every campaign, for the picker, when the caller has read them already."""
    now = now or timezone.now()
    campaigns = list(Campaign.objects.all()) if campaigns is None else campaigns
    picker = None
    if campaigns:
        picker = CampaignPicker(initial={"campaign": campaign})
        # The campaigns already read: the picker's choices without a query of their own.
        picker.fields["campaign"].choices = [(choice.pk, str(choice)) for choice in campaigns]
    context = {"campaign": campaign, "picker": picker}
    if campaign is None:
        context["notices_undelivered"] = SentNotice.objects.waiting().count()
        return context
    values, groups = figures(campaign, now)
    context.update(
        notices_undelivered=values["notices"]["undelivered"],
        phase=campaign.phase_at(now),
        charts=[chart(group) for group in groups],
        attention=attention_lists(campaign, now),
        applications_waiting=values["mentors"]["waiting"],
        panels=contributions.render_all(contributions.dashboard_panels, request, campaign, values),
        downloads=downloads(campaign),
    )
    return context


# --- Downloads ----------------------------------------------------------------------------------


def figures_dataset(campaign: Campaign, native: bool) -> tablib.Dataset:
    """The dashboard's numbers, one row per figure, with its group, base and rate."""
    dataset = tablib.Dataset(headers=[_("Campaign"), _("Group"), _("Figure"), _("Number"), _("Out of"), _("Rate (%)")])
    for group in figure_groups(campaign):
        for figure in group.figures:
            rate = None if figure.rate is None else round(figure.rate, 1)
            dataset.append([campaign.name, str(group.title), str(figure.label), figure.value, figure.base, rate])
    return exports.typed(dataset, native)


def reports() -> dict[str, Report]:
    """Every table the dashboard offers for download, by slug: this app's, then the later steps'."""
    own = [
        Report("figures", gettext_lazy("The dashboard's numbers"), figures_dataset),
        Report("mentorships", gettext_lazy("Mentorships, with their key dates"), exports.mentorships_dataset),
    ]
    return {
        report.slug: report for report in [*own, *(contribution() for contribution in contributions.dashboard_reports)]
    }


def downloads(campaign: Campaign) -> list[dict]:
    """(report, {format: URL}) for the dashboard's links."""
    base = reverse("mentoring:staff_export")
    return [
        {
            "title": report.title,
            "urls": {
                fmt: f"{base}?{urlencode({'report': report.slug, 'format': fmt, 'campaign': campaign.pk})}"
                for fmt in exports.FILE_FORMATS
            },
        }
        for report in reports().values()
    ]
