"""The hook points of the pages that show the whole programme.

The personal area, the mentorship page and the staff dashboard belong to this app, but most of
what they show comes from the apps above it (road-books, interviews, evaluations, coaching). This
app never names their models, statuses, URLs or templates: it declares hook points here, and each
upper app registers its contributions from ``AppConfig.ready()``. A contribution runs its own
bounded queries (one per list, never one per row) and renders its own template.

A hook is called in registration order, which follows ``INSTALLED_APPS`` and so the layers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from django.utils.safestring import SafeString

from core.hooks import Hook

if TYPE_CHECKING:
    import tablib
    from django.db.models import Expression, QuerySet
    from django.http import HttpRequest

    from accounts.models import User
    from mentoring.models import Campaign, Mentorship

F = TypeVar("F", bound=Callable)


@dataclass(frozen=True)
class NextStep:
    """One thing to do next, in the personal area: what, and where to do it."""

    text: str
    url: str = ""
    action: str = ""


@dataclass
class PersonalArea:
    """What the personal area knows of a person, handed to every contribution."""

    request: HttpRequest
    user: User
    campaign: Campaign | None
    now: datetime
    # The student's mentorship, while it is accepted during matching; else None.
    active_mentorship: Mentorship | None = None
    # The mentor's accepted or closed mentorships during matching; else empty.
    active_mentees: list[Mentorship] = field(default_factory=list)


@dataclass(frozen=True)
class Figure:
    """One number of the staff dashboard, and what its rate is out of (``base``; None: no rate)."""

    label: str
    value: int
    base: int | None = None

    @property
    def rate(self) -> float | None:
        """The share of ``base``, in per cent; None without a base, or with an empty one."""
        return 100 * self.value / self.base if self.base else None


@dataclass(frozen=True)
class FigureGroup:
    """Numbers the dashboard draws as one chart and exports together."""

    title: str
    figures: list[Figure]


@dataclass(frozen=True)
class Figures:
    """A later step's numbers on the staff dashboard, counted in the dashboard's one query.

    ``counts`` names SQL expressions that the dashboard evaluates together with everyone else's
    in a single query (each usually ``dashboard.tally(queryset, **aggregates)``: one JSON object
    of conditional counts over one table); ``groups(values)`` turns the answers, by name (this
    app's among them: ``values["mentorships"]["matched"]`` is the number of mentorships under way
    or closed), into the groups the dashboard draws and exports. Names are unique across apps."""

    counts: dict[str, Expression]
    groups: Callable[[dict[str, dict]], list[FigureGroup]]


@dataclass(frozen=True)
class ExportColumns:
    """Columns an upper app adds to the export of mentorships: ``headers`` maps each column's
    name to its header; ``values(mentorships)`` answers {mentorship pk: {name: value}} for a
    queryset of mentorships, in a fixed number of queries. Values are plain: text, numbers,
    booleans, dates, date-times or None."""

    headers: dict[str, str]
    values: Callable[[QuerySet[Mentorship]], dict[int, dict[str, object]]]


@dataclass(frozen=True)
class Report:
    """A table staff download from the dashboard, for one campaign, as CSV or XLSX.

    ``dataset(campaign, native)`` builds it; ``native`` asks for typed cells (dates, numbers,
    booleans) for a spreadsheet, else text as a CSV file shows it."""

    slug: str
    title: str
    dataset: Callable[[Campaign, bool], tablib.Dataset]


next_steps: Hook[Callable[[PersonalArea], Iterable[NextStep]]] = Hook(
    "next_steps", "The personal area's next steps: f(area) -> iterable of NextStep."
)
mentorship_summaries: Hook[Callable[[HttpRequest, list[Mentorship]], dict[int, SafeString]]] = Hook(
    "mentorship_summaries",
    "A line under each mentorship listed in the personal area (the student's mentor, the mentor's "
    "mentees): f(request, mentorships) -> {mentorship pk: HTML}, in a fixed number of queries.",
)
mentorship_sections: Hook[Callable[[HttpRequest, Mentorship], SafeString]] = Hook(
    "mentorship_sections",
    "Sections of the mentorship page once contacts are shared: f(request, mentorship) -> HTML.",
)
timeline_step: Hook[Callable[[Mentorship], int | None]] = Hook(
    "timeline_step",
    "The campaign step a student with an accepted mentorship stands at during matching, beyond "
    "step 2: f(mentorship) -> step number or None. The highest answer wins.",
)
mentorship_closed: Hook[Callable[[Mentorship, str], None]] = Hook(
    "mentorship_closed",
    "Called in the transaction that closes a mentorship before its end (the mentor withdrew), with "
    "the reason in the student's language: f(mentorship, reason). The later steps wind down what "
    "was still to come.",
)
dashboard_panels: Hook[Callable[[HttpRequest, Campaign, dict[str, dict]], SafeString]] = Hook(
    "dashboard_panels",
    "Panels of the staff dashboard: f(request, campaign, values) -> HTML, where ``values`` are the "
    "answers of the dashboard's one figures query (see Figures); at most one query of its own.",
)
dashboard_figures: Hook[Callable[[Campaign, datetime], Figures]] = Hook(
    "dashboard_figures",
    "The staff dashboard's numbers of a later step, each group drawn as a chart and exported with the "
    "others: f(campaign, now) -> Figures, counted in the dashboard's one query.",
)
mentorship_export_columns: Hook[Callable[[], ExportColumns]] = Hook(
    "mentorship_export_columns",
    "Columns of the export of mentorships (the dashboard's and the admin's): f() -> ExportColumns.",
)
suggestion_texts: Hook[Callable[[User, Campaign], Expression | None]] = Hook(
    "suggestion_texts",
    "What a student wrote about their professional plans, for the directory's suggestions: "
    "f(student, campaign) -> an SQL text expression (a Subquery of one value), or None. The first "
    "one given is matched against the mentors' search vectors (PostgreSQL).",
)
retention_steps: Hook[Callable[[QuerySet[Mentorship], datetime], None]] = Hook(
    "retention_steps",
    "Erases the personal data a later step holds about mentorships whose campaign is past its retention "
    "period, keeping statuses, dates and outcomes: f(mentorships, now), in the sweep's transaction, in a fixed "
    "number of queries. Files are removed from storage on commit.",
)
dashboard_reports: Hook[Callable[[], Report]] = Hook(
    "dashboard_reports", "Tables of a later step that staff download from the dashboard: f() -> Report."
)


def render_all(hook: Hook, *args) -> list[SafeString]:
    """Every contribution's HTML, leaving out the empty ones."""
    return [html for html in (contribution(*args) for contribution in hook) if html]


def summaries_for(request: HttpRequest, mentorships: list[Mentorship]) -> None:
    """Sets ``mentorship.summaries`` (a list of HTML lines) on each of ``mentorships``."""
    for mentorship in mentorships:
        mentorship.summaries = []
    if not mentorships:
        return
    for contribution in mentorship_summaries:
        lines = contribution(request, mentorships)
        for mentorship in mentorships:
            if lines.get(mentorship.pk):
                mentorship.summaries.append(lines[mentorship.pk])
