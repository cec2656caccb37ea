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
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
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


def picked_campaign(request: HttpRequest) -> Campaign | None:
    """The campaign the picker names (``?campaign=<pk>``), else the current one. A campaign that
    does not exist is a 404."""
    if "campaign" not in request.GET:
        return Campaign.objects.current()
    picker = CampaignPicker(request.GET)
    if not picker.is_valid():
        raise Http404
    return picker.cleaned_data["campaign"]


# --- Numbers ------------------------------------------------------------------------------------


def _mentor_figures(campaign):
    approved = Q(status=MentorEnrollment.Status.APPROVED)
    # Places taken, counted in one grouped join (not a subquery per mentor, which took a fifth of a
    # second at 5,000 mentors), then the figures over those counts.
    counts = (
        MentorEnrollment.objects.filter(campaign=campaign)
        .annotate(taken=Count("mentorships", filter=Q(mentorships__status__in=Mentorship.OCCUPYING)))
        .aggregate(
            applied=Count("pk"),
            approved=Count("pk", filter=approved),
            with_mentees=Count("pk", filter=approved & Q(taken__gt=0)),
            full=Count("pk", filter=approved & Q(taken__gte=F("capacity"))),
        )
    )
    return FigureGroup(
        _("Mentors"),
        [
            Figure(pgettext("mentors", "Applied"), counts["applied"]),
            Figure(pgettext("mentors", "Approved"), counts["approved"], counts["applied"]),
            Figure(pgettext("mentors", "With mentees"), counts["with_mentees"], counts["approved"]),
            Figure(pgettext("mentors", "Full"), counts["full"], counts["approved"]),
        ],
    )


def _student_figures(campaign):
    requested = Mentorship.objects.filter(campaign=campaign, student=OuterRef("pk"))
    matched = requested.filter(status__in=Mentorship.OCCUPYING)
    counts = campaign.roster(counting_erased=True).aggregate(
        roster=Count("pk"),
        with_request=Count("pk", filter=Q(Exists(requested))),
        matched=Count("pk", filter=Q(Exists(matched))),
    )
    return FigureGroup(
        _("Students"),
        [
            Figure(_("On the roster"), counts["roster"]),
            Figure(_("With a request"), counts["with_request"], counts["roster"]),
            Figure(_("Matched with a mentor"), counts["matched"], counts["roster"]),
        ],
    )


def _mentorship_figures(campaign):
    statuses = Mentorship.Status
    counts = Mentorship.objects.filter(campaign=campaign).aggregate(
        total=Count("pk"), **{status: Count("pk", filter=Q(status=status)) for status in statuses.values}
    )
    return FigureGroup(
        _("Mentorships by status"),
        [Figure(str(statuses(status).label), counts[status], counts["total"]) for status in statuses.values],
    )


def figure_groups(campaign: Campaign, now: datetime | None = None) -> list[FigureGroup]:
    """Every number of the dashboard: this app's, then each later step's."""
    now = now or timezone.now()
    groups = [_mentor_figures(campaign), _student_figures(campaign), _mentorship_figures(campaign)]
    for contribution in contributions.dashboard_figures:
        groups.extend(contribution(campaign, now))
    return groups


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
    of ``queryset`` as ``item(row)`` and their total, in two queries."""
    total = queryset.count()
    return {
        "title": title,
        "total": total,
        "items": [item(row) for row in queryset[:ATTENTION_LIMIT]] if total else [],
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


def dashboard_for(request: HttpRequest, campaign: Campaign | None, now: datetime | None = None) -> dict:
    """What the dashboard shows of one campaign, in a fixed number of queries."""
    now = now or timezone.now()
    context = {
        "campaign": campaign,
        "picker": CampaignPicker(initial={"campaign": campaign}) if Campaign.objects.exists() else None,
        "notices_undelivered": SentNotice.objects.filter(
            delivered_at__isnull=True, held=False
        ).count(),  # held ones wait for the digest
    }
    if campaign is None:
        return context
    context.update(
        phase=campaign.phase_at(now),
        charts=[chart(group) for group in figure_groups(campaign, now)],
        attention=attention_lists(campaign, now),
        applications_waiting=MentorEnrollment.objects.filter(
            campaign=campaign, status=MentorEnrollment.Status.APPLIED
        ).count(),
        panels=contributions.render_all(contributions.dashboard_panels, request, campaign),
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
