"""The directory's full-text search.

On PostgreSQL each approved or pending enrolment stores a ``search_vector`` (GIN-indexed) built
from the mentor's name (weight A), position, employer and sectors in both languages (B), degree (C) and bio (D), in
two text search configurations created by migration ``0009``: ``mentoring_fr`` and
``mentoring_en``, the French and English stemmers behind ``unaccent``, so "energie" finds
"énergie" and "engineers" finds "engineer". It is rewritten in the transaction of every save that
changes what it is built from (the signal receivers below). A search matches mentors who have
every word, in either language, ranked by relevance.

SQLite (``make run``) has none of this: there a search matches every word as a substring, and
the order stays the directory's.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from accounts.models import AlumnusProfile, Sector, User
from mentoring.models import MentorEnrollment

CONFIGS = ("mentoring_fr", "mentoring_en")
MAX_WORDS = 8

# The document of each enrolment, weighted; ``{where}`` picks the enrolments to rewrite.
_REFRESH = """
UPDATE mentoring_mentorenrollment AS e SET search_vector = (
    setweight(to_tsvector('mentoring_fr', doc.name) || to_tsvector('mentoring_en', doc.name), 'A')
    || setweight(to_tsvector('mentoring_fr', doc.work) || to_tsvector('mentoring_en', doc.work), 'B')
    || setweight(to_tsvector('mentoring_fr', doc.degree) || to_tsvector('mentoring_en', doc.degree), 'C')
    || setweight(to_tsvector('mentoring_fr', doc.bio) || to_tsvector('mentoring_en', doc.bio), 'D')
)
FROM (
    SELECT e2.id,
        concat_ws(' ', u.first_name, u.last_name) AS name,
        concat_ws(' ', p.position, p.employer, ps.name, ps.name_fr, (
            SELECT string_agg(concat_ws(' ', s.name, s.name_fr), ' ' ORDER BY s.name)
            FROM mentoring_mentorenrollment_sectors es JOIN accounts_sector s ON s.id = es.sector_id
            WHERE es.mentorenrollment_id = e2.id
        )) AS work,
        coalesce(p.programme, '') AS degree,
        coalesce(p.bio, '') AS bio
    FROM mentoring_mentorenrollment e2
    JOIN accounts_user u ON u.id = e2.alumnus_id
    LEFT JOIN accounts_alumnusprofile p ON p.user_id = e2.alumnus_id
    LEFT JOIN accounts_sector ps ON ps.id = p.sector_id
    WHERE {where}
) AS doc
WHERE e.id = doc.id
"""


def is_available() -> bool:
    return connection.vendor == "postgresql"


def refresh(*, enrollment: int | None = None, alumnus: int | None = None, sector: int | None = None) -> None:
    """Rewrites the search vectors of one enrolment, of an alumnus's enrolments, or of the
    enrolments that name a sector; of all of them when given nothing. One query."""
    if not is_available():
        return
    if enrollment is not None:
        where, params = "e2.id = %s", [enrollment]
    elif alumnus is not None:
        where, params = "e2.alumnus_id = %s", [alumnus]
    elif sector is not None:
        where = (
            "(ps.id = %s OR EXISTS (SELECT 1 FROM mentoring_mentorenrollment_sectors x "
            "WHERE x.mentorenrollment_id = e2.id AND x.sector_id = %s))"
        )
        params = [sector, sector]
    else:
        where, params = "TRUE", []
    with connection.cursor() as cursor:
        cursor.execute(_REFRESH.format(where=where), params)


def words(text: str) -> list[str]:
    return text.split()[:MAX_WORDS]


def search(queryset, text: str):
    """Mentors matching every word of ``text``; on PostgreSQL annotated with ``search_rank``."""
    found = words(text)
    if not found:
        return queryset
    if is_available():
        query = None
        for word in found:
            either = SearchQuery(word, config=CONFIGS[0]) | SearchQuery(word, config=CONFIGS[1])
            query = either if query is None else query & either
        return queryset.filter(search_vector=query).annotate(search_rank=SearchRank(F("search_vector"), query))
    for word in found:
        sector_match = Exists(
            MentorEnrollment.sectors.through.objects.filter(
                Q(sector__name__icontains=word) | Q(sector__name_fr__icontains=word),
                mentorenrollment_id=OuterRef("pk"),
            )
        )
        queryset = queryset.filter(
            Q(alumnus__first_name__icontains=word)
            | Q(alumnus__last_name__icontains=word)
            | Q(alumnus__alumnus_profile__position__icontains=word)
            | Q(alumnus__alumnus_profile__employer__icontains=word)
            | Q(alumnus__alumnus_profile__programme__icontains=word)
            | Q(alumnus__alumnus_profile__sector__name__icontains=word)
            | Q(alumnus__alumnus_profile__sector__name_fr__icontains=word)
            | Q(alumnus__alumnus_profile__bio__icontains=word)
            | sector_match
        )
    return queryset


# What the vectors are built from changes: rewrite them in the same transaction.


@receiver(post_save, sender=MentorEnrollment, dispatch_uid="search.enrollment")
def _enrollment_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh(enrollment=instance.pk)


@receiver(m2m_changed, sender=MentorEnrollment.sectors.through, dispatch_uid="search.enrollment_sectors")
def _enrollment_sectors_changed(sender, instance, action, reverse, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # sector.enrollments.add(...): the sector's side
        refresh(sector=instance.pk)
    else:
        refresh(enrollment=instance.pk)


def names_may_have_changed(created, update_fields):
    """A save of a user that may change their name (not a sign-in stamping last_login)."""
    return not created and (update_fields is None or {"first_name", "last_name"} & set(update_fields))


@receiver(post_save, sender=User, dispatch_uid="search.user")
def _user_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    # A new account has no enrolment yet; only an alumnus is ever a mentor.
    if not raw and instance.is_alumnus and names_may_have_changed(created, update_fields):
        refresh(alumnus=instance.pk)


@receiver(post_save, sender=AlumnusProfile, dispatch_uid="search.profile")
def _profile_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh(alumnus=instance.user_id)


@receiver(post_save, sender=Sector, dispatch_uid="search.sector")
def _sector_saved(sender, instance, created, raw=False, **kwargs):
    if not raw and not created:
        refresh(sector=instance.pk)
