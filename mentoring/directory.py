"""The mentor directory's page, in a number of queries that does not grow with the campaign.

1. The page's ids, and the number of mentors matching, in one query on narrow columns: the free
   places come from the ``places_taken`` counter, the total from a window count (nothing is
   grouped, nothing is counted twice).
2. Those rows only (and the suggested mentors'), with their alumnus, profile, sector, and the
   names of their sectors and languages, in one query.

``mentoring.suggestions`` adds one query for the suggested mentors' ids and reasons.

The results (cards and pagination) and the filters are the same for every student who makes the
same search in the same language, and they are most of the page's cost, so each is drawn once and
kept in the shared cache (``fragment_key``): the results under a version of the directory that
every change to what a card or a search shows moves on (``changed``: the signal receivers in
``mentoring.signals`` and the services that update rows in bulk), the filters under a version
that only sector and language changes move on. Nothing personal is in them: the student's own
mentorship and suggestions are drawn for each request around them. A new way of changing an
enrolment, its sectors or languages, an alumnus's profile or name without a model signal (a
queryset ``update()``, raw SQL) must call ``changed()``: the cache's timeout
(``LISTING_SECONDS``) is only a safety net.
"""

import hashlib
import math
import time
from functools import partial
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, F, JSONField, Subquery, Window
from django.template.loader import render_to_string
from django.utils.translation import get_language

from accounts.models import Sector
from mentoring.filters import MentorFilter, reference_choices
from mentoring.models import MentorEnrollment

PAGE_SIZE = 12
# What a mentor's card shows (mentoring/partials/mentor_card.html, suggestions.html), and no more:
# the rows are read for a page of cards, not for the mentor's own page.
CARD_FIELDS = (
    "capacity",
    "places_taken",
    "full",
    "offers_in_person",
    "offers_video",
    "offers_phone",
    "alumnus__first_name",
    "alumnus__last_name",
    "alumnus__erased_at",  # get_full_name() reads it (an erased person is "Former participant")
    "alumnus__role",
    "alumnus__alumnus_profile__position",
    "alumnus__alumnus_profile__employer",
    "alumnus__alumnus_profile__city",
    "alumnus__alumnus_profile__country",
    "alumnus__alumnus_profile__graduation_year",
)


class NameList(Subquery):
    """The ``name`` column of a subquery's rows, in their order, as one JSON list."""

    template = "(SELECT COALESCE(jsonb_agg(_names.name), '[]'::jsonb) FROM (%(subquery)s) _names)"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        template = "(SELECT json_group_array(_names.name) FROM (%(subquery)s) _names)"
        return self.as_sql(compiler, connection, template=template, **extra_context)


def _names(relation, name, enrollment="pk"):
    from django.db.models import OuterRef

    through = relation.through.objects.filter(mentorenrollment_id=OuterRef(enrollment))
    return NameList(through.annotate(name=name).order_by("name", "pk").values("name"))


def mentor_names(enrollment="pk"):
    """Annotations with the names of a mentor's sectors (in the reader's language) and languages,
    as lists, for the enrolment at ``enrollment`` of the outer query: no query of their own."""
    return {
        "sector_names": _names(MentorEnrollment.sectors, Sector.localized_name_expression("sector__"), enrollment),
        "language_names": _names(MentorEnrollment.languages, F("language__name"), enrollment),
    }


def load(ids: list[int]) -> list[MentorEnrollment]:
    """The enrolments ``ids``, in that order, with all a mentor's card shows, in one query.

    Each has ``sector_names`` and ``language_names`` (lists of names) beside the usual fields.
    """
    if not ids:
        return []
    rows = (
        MentorEnrollment.objects.filter(pk__in=ids)
        .with_free_places()
        .select_related("alumnus", "alumnus__alumnus_profile")
        .only(*CARD_FIELDS)
        .annotate(
            **mentor_names(),
        )
    )
    by_pk = {row.pk: row for row in rows}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def _page_ids(queryset, number, per_page):
    offset = (number - 1) * per_page
    rows = list(
        queryset.annotate(matching=Window(Count("pk"))).values_list("pk", "matching")[offset : offset + per_page]
    )
    return [pk for pk, _total in rows], (rows[0][1] if rows else 0)


def page_ids(queryset, number, per_page=PAGE_SIZE) -> tuple[list[int], Paginator, int]:
    """The ids of page ``number`` of ``queryset`` (any value: a bad one is the first page, one
    past the end the last), its paginator (whose count is already known), and the page number.

    One query; two more only for a page number beyond the last page.
    """
    try:
        number = max(int(number), 1)
    except (TypeError, ValueError):
        number = 1
    ids, total = _page_ids(queryset, number, per_page)
    if not ids and number > 1:
        total = queryset.count()
        number = max(math.ceil(total / per_page), 1)
        ids, total = _page_ids(queryset, number, per_page)
    paginator = Paginator([], per_page)
    paginator.count = total  # a cached property: the window count above, not another query
    return ids, paginator, number


def page(ids, paginator, number, rows_by_pk) -> Page:
    return Page([rows_by_pk[pk] for pk in ids if pk in rows_by_pk], number, paginator)


# --- The listing, drawn once per search and version -----------------------------------------

VERSION_KEY = "directory:version"
# The sectors and languages to filter on: they change far less often than the mentors.
REFERENCE_KEY = "directory:reference"
# A safety net only: every change path moves the version on (see ``changed``).
LISTING_SECONDS = 5 * 60


def version(current=None, key=VERSION_KEY) -> int | None:
    """The directory's current version (``key``: or the sectors' and languages'); None when
    the cache does not answer (nothing is cached then).

    ``current``: the value read under ``key`` already, if any.
    """
    current = current if current is not None else cache.get(key)
    if current is None:
        # A new counter starts from the clock, never from a number a lost counter used already.
        cache.add(key, time.time_ns(), None)
        current = cache.get(key)
    return current


def _move_on(key):
    try:
        cache.incr(key)
    except ValueError:  # no counter (evicted, or the cache is down)
        cache.add(key, time.time_ns(), None)


def changed(*, reference=False) -> None:
    """Something a card, a filter or a search shows changed: no listing drawn before is shown
    again (``reference``: a sector or a language, whose choices are cached too).

    Now, and again once the transaction commits: a listing drawn meanwhile from the rows as they
    were before the commit is left behind under the version in between.
    """
    for key in (VERSION_KEY, REFERENCE_KEY) if reference else (VERSION_KEY,):
        _move_on(key)
        transaction.on_commit(partial(_move_on, key))


def _choices_key(reference_version, language) -> str:
    """The cache key of the sector and language choices (``filters.reference_choices``), whose
    sector names are in the reader's language."""
    return f"directory:choices:{reference_version}:{language}"


def fragment_key(kind, version_now, language, params) -> str:
    """The cache key of a part of the page (``kind``: "filters" or "results") drawn for the
    search ``params`` ((name, value) pairs) in ``language`` under ``version_now``."""
    digest = hashlib.sha256(urlencode(params).encode()).hexdigest()[:32]
    return f"directory:{kind}:{version_now}:{language}:{digest}"


def row_key(current_version, language, pk) -> str:
    """The cache key of one enrolment's row as ``load`` reads it (a suggested mentor's card; its
    sector names are in the reader's language)."""
    return f"directory:row:{current_version}:{language}:{pk}"


def parts(query, campaign, suggested_ids, current=None, reference=None):
    """The directory's filters and results for the search ``query`` (a QueryDict) in the active
    language, as HTML (nothing personal in either), and the rows of the suggested mentors by id:
    from the cache while unchanged, else drawn and kept there.

    ``current``, ``reference``: the values under ``VERSION_KEY`` and ``REFERENCE_KEY``, if read
    already. At most three queries (choices, the page's ids, the rows), one round trip to the
    cache besides the versions'.
    """
    # Only the search's own parameters (the last value of each, as the filters read them).
    params = [(name, query[name]) for name in (*MentorFilter.base_filters, "page") if name in query]
    search = [(name, value) for name, value in params if name != "page"]
    current, reference = version(current), version(reference, REFERENCE_KEY)
    caching = current is not None and reference is not None
    language = get_language()
    results_key = fragment_key("results", current, language, [("campaign", campaign.pk), *params])
    filters_key = fragment_key("filters", reference, language, search)
    choices_key = _choices_key(reference, language)
    row_keys = {row_key(current, language, pk): pk for pk in suggested_ids}
    found = cache.get_many([results_key, filters_key, choices_key, *row_keys]) if caching else {}
    results, filters = found.get(results_key), found.get(filters_key)
    rows = {row_keys[key]: row for key, row in found.items() if key in row_keys}
    read, fresh = set(rows), {}
    if results is None or filters is None:
        choices = found.get(choices_key)
        if choices is None:
            choices = fresh[choices_key] = reference_choices()
        mentor_filter = MentorFilter(query, queryset=MentorEnrollment.objects.directory(campaign), choices=choices)
        if filters is None:
            filters = fresh[filters_key] = render_to_string(
                "mentoring/partials/directory_filters.html",
                {
                    "filter": mentor_filter,
                    # On a phone the filters fold away, unless one is in use.
                    "filters_active": any(value for name, value in search if name != "q"),
                },
            )
        if results is None:
            ids, paginator, number = page_ids(mentor_filter.qs, query.get("page"))
            # The suggested mentors' rows with the page's, in the same query.
            rows = {row.pk: row for row in load(list(dict.fromkeys([*ids, *suggested_ids])))}
            results = fresh[results_key] = render_to_string(
                "mentoring/partials/directory_results.html",
                {"page": page(ids, paginator, number, rows), "query": urlencode(search)},
            )
    rows |= {row.pk: row for row in load([pk for pk in suggested_ids if pk not in rows])}
    fresh |= {row_key(current, language, pk): rows[pk] for pk in suggested_ids if pk in rows and pk not in read}
    if caching and fresh:
        cache.set_many(fresh, LISTING_SECONDS)
    return filters, results, rows
