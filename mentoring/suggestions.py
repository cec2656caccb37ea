""" "Suggested for you": the mentors with a free place who fit a student best, and why.

The fit is computed by the database, in one query, from the student's profile (sectors and
functions aimed for, programme, specialisation, languages, city, preferred ways of meeting) and
each mentor's enrolment and profile; on PostgreSQL also from the text of the road-book's
professional project, once written (``contributions.suggestion_texts``), against the mentor's
search vector. Points:

=====================================  ======  ==========================================
the mentor…                            points  reason shown
=====================================  ======  ==========================================
works in a sector the student aims for   3     works in <sector>
has the student's specialisation         2     same specialisation
studied the student's programme          1     same programme
speaks a language the student speaks     1     speaks <language>
lives in the student's city              1     based in <city>
meets the way the student prefers        1     meets in person / by video / by phone
is close to the professional project   0 to 2  close to your professional project
=====================================  ======  ==========================================

Ties go to the closer project, then to the name, then to the enrolment: the same profile always
gets the same suggestions. Mentors the student hid are never suggested again.

Ranking every mentor of a large campaign is the dearest query of the directory, so its result is
cached per student (``CACHE_SECONDS``) and forgotten as soon as the student changes what it is
computed from: their profile, a road-book, a hidden mentor. What a mentor changes meanwhile shows
within ``CACHE_SECONDS``; a mentor who filled up meanwhile is left out at once (the directory
reads the rows afresh).
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least, Upper
from django.db.models.lookups import Exact
from django.utils.translation import gettext as _

from accounts.models import Sector, StudentProfile
from mentoring import contributions, search
from mentoring.models import MeetingMode, MentorEnrollment
from mentoring.models.enrollments import MODE_FIELDS
from mentoring.models.suggestions import HiddenSuggestion

SUGGESTIONS = 3
CACHE_SECONDS = 10 * 60
# A project rank above this says "close to your professional project" (ts_rank, every weight 1).
PROJECT_REASON_RANK = 0.1


@dataclass(frozen=True)
class Suggestion:
    enrollment_id: int
    reasons: list[str]


class AnyWordOf(Func):
    """The tsquery "any word of this text" (French or English), from a text expression."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        one = "replace(plainto_tsquery('{config}', {sql})::text, '&', '|')::tsquery"
        both = " || ".join(one.format(config=config, sql=sql) for config in search.CONFIGS)
        return f"({both})", [*params, *params]


class ProjectRank(Func):
    """ts_rank of a search vector against a tsquery, every part of the profile weighing the same
    (a project is about the work, which the bio tells as well as the job title)."""

    template = "ts_rank('{1,1,1,1}'::real[], %(expressions)s)"
    output_field = FloatField()


def _profile(student):
    return StudentProfile.objects.filter(user_id=student.pk)


def _project_rank(student, campaign):
    if not search.is_available():
        return Value(0.0)
    texts = [text for text in (c(student, campaign) for c in contributions.suggestion_texts) if text is not None]
    if not texts:
        return Value(0.0)
    return Coalesce(ProjectRank(F("search_vector"), AnyWordOf(texts[0])), Value(0.0), output_field=FloatField())


def _ranked(student, campaign):
    """Every mentor with a free place, best fit first.

    The fit is a sum over cheap conditions (semi-joins and values of the student's profile read
    once), so that ranking thousands of mentors stays cheap; the words of the reasons (which
    sector, which language) are subqueries of the SELECT list only, which PostgreSQL evaluates
    for the few rows past the LIMIT.
    """
    profile = _profile(student)

    def of_profile(field):
        return Subquery(profile.exclude(**{field: ""}).values(field)[:1])

    targets = StudentProfile.target_sectors.through.objects.filter(studentprofile__user_id=student.pk).values(
        "sector_id"
    )
    spoken = StudentProfile.languages.through.objects.filter(studentprofile__user_id=student.pk).values("language_id")
    mentor_sectors = MentorEnrollment.sectors.through.objects.filter(mentorenrollment_id=OuterRef("pk"))
    mentor_languages = MentorEnrollment.languages.through.objects.filter(mentorenrollment_id=OuterRef("pk"))
    mentor_profile = "alumnus__alumnus_profile__"
    specialization = of_profile("specialization")

    sector = Exists(mentor_sectors.filter(sector_id__in=targets)) | Q(**{f"{mentor_profile}sector_id__in": targets})
    same_specialization = (
        Q(**{f"{mentor_profile}programme__icontains": specialization})
        | Q(**{f"{mentor_profile}position__icontains": specialization})
        | Q(**{f"{mentor_profile}bio__icontains": specialization})
    )
    # Exact(Upper, Upper): iexact against a subquery trips over Django's parameters.
    same_programme = Q(Exact(Upper(F(f"{mentor_profile}programme")), Upper(of_profile("programme"))))
    language = Exists(mentor_languages.filter(language_id__in=spoken))
    same_city = Q(Exact(Upper(F(f"{mentor_profile}city")), Upper(of_profile("city"))))
    modes = [
        (mode, Q(**{field: True}) & Exists(profile.filter(**{f"prefers_{mode}": True})))
        for mode, field in MODE_FIELDS.items()
    ]
    mode = Case(*(When(condition, then=Value(value)) for value, condition in modes), output_field=CharField())
    project_rank = _project_rank(student, campaign)

    def points(condition, weight):
        return Case(When(condition, then=Value(weight)), default=Value(0))

    def flag(condition):
        return Case(When(condition, then=True), default=False, output_field=BooleanField())

    fit = (
        points(sector, 3)
        + points(same_specialization, 2)
        + points(same_programme, 1)
        + points(language, 1)
        + points(same_city, 1)
        + points(modes[0][1] | modes[1][1] | modes[2][1], 1)
        + Least(project_rank * 10, Value(2.0), output_field=FloatField())
    )

    def shared_sector(name):
        return Coalesce(
            Subquery(
                mentor_sectors.filter(sector_id__in=targets)
                .order_by("sector__name", "sector_id")
                .values(f"sector__{name}")[:1]
            ),
            Case(When(Q(**{f"{mentor_profile}sector_id__in": targets}), then=F(f"{mentor_profile}sector__{name}"))),
        )

    hidden = HiddenSuggestion.objects.filter(student=student, enrollment=OuterRef("pk"))
    return (
        MentorEnrollment.objects.directory(campaign)
        .filter(capacity__gt=F("places_taken"))
        .exclude(Exists(hidden))
        .annotate(fit=ExpressionWrapper(fit, output_field=FloatField()), project_rank=project_rank)
        .order_by("-fit", "-project_rank", "sort_name", "pk")
        .annotate(
            # The sector's name in both languages: the cached rows serve either.
            shared_sector=shared_sector("name"),
            shared_sector_fr=shared_sector("name_fr"),
            same_specialization=flag(same_specialization),
            same_programme=flag(same_programme),
            shared_language=Subquery(
                mentor_languages.filter(language_id__in=spoken)
                .order_by("language__name", "language_id")
                .values("language__name")[:1]
            ),
            same_city=flag(same_city),
            shared_mode=mode,
        )
    )


MODE_REASONS = {
    MeetingMode.IN_PERSON: lambda: _("meets in person"),
    MeetingMode.VIDEO: lambda: _("meets by video"),
    MeetingMode.PHONE: lambda: _("meets by phone"),
}


def _reasons(row) -> list[str]:
    reasons = []
    if row["shared_sector"]:
        sector = Sector(name=row["shared_sector"], name_fr=row["shared_sector_fr"] or "")
        reasons.append(_("works in %(sector)s") % {"sector": sector.localized_name()})
    if row["same_specialization"]:
        reasons.append(_("same specialisation"))
    if row["same_programme"]:
        reasons.append(_("same programme"))
    if row["shared_language"]:
        reasons.append(_("speaks %(language)s") % {"language": row["shared_language"]})
    if row["same_city"]:
        reasons.append(_("based in %(city)s") % {"city": row["alumnus__alumnus_profile__city"]})
    if row["shared_mode"]:
        reasons.append(MODE_REASONS[row["shared_mode"]]())
    if row["project_rank"] >= PROJECT_REASON_RANK:
        reasons.append(_("close to your professional project"))
    return reasons


_FIELDS = (
    "pk",
    "shared_sector",
    "shared_sector_fr",
    "same_specialization",
    "same_programme",
    "shared_language",
    "same_city",
    "alumnus__alumnus_profile__city",
    "shared_mode",
    "project_rank",
)


def cache_key(student_id):
    return f"suggestions:v2:{student_id}"


def forget(student_id: int) -> None:
    """The student's suggestions are computed again on their next visit."""
    cache.delete(cache_key(student_id))


_UNREAD = object()


def suggest(student, campaign, limit=SUGGESTIONS, cached=_UNREAD) -> list[Suggestion]:
    """The best ``limit`` mentors for ``student``, best first, with their reasons (in the
    language active now). One query, or none while cached.

    ``cached``: what the cache holds under ``cache_key(student.pk)``, when the caller read it
    already (with other keys, in one round trip); None if nothing.
    """
    key = cache_key(student.pk)
    if cached is _UNREAD:
        cached = cache.get(key)
    if cached is not None and cached[:2] == (campaign.pk, limit):
        rows = cached[2]
    else:
        # Mentors with no point in common are never suggested (they come last, if at all).
        rows = [row for row in _ranked(student, campaign).values(*_FIELDS, "fit")[:limit] if row["fit"] > 0]
        cache.set(key, (campaign.pk, limit, rows), CACHE_SECONDS)
    return [Suggestion(row["pk"], _reasons(row)) for row in rows]
