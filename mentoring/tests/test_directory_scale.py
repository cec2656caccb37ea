"""The directory's cost does not grow with the campaign: a fixed number of queries, whatever
the number of mentors and the filters; the free places come from a counter kept on every change."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.factories import LanguageFactory, SectorFactory, StudentFactory
from mentoring import services
from mentoring.factories import EnrollmentFactory, MentorshipFactory
from mentoring.models import MentorEnrollment, Mentorship
from mentoring.tests.test_directory import mentor, names

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("mentoring:directory")
BUDGET = 8


def add_mentors(count, sector, language):
    for i in range(count):
        mentor(
            f"M{i:03d}",
            sectors=[sector, SectorFactory()],
            languages=[language, LanguageFactory()],
            profile__city="Lyon",
            profile__bio="Engineer in energy markets",
        )


def queries(client, params):
    cache.clear()  # the suggestions computed, not read from the cache: the dearest case
    with CaptureQueriesContext(connection) as captured:
        response = client.get(DIRECTORY, params)
    assert response.status_code == 200
    return len(captured), response


def searches(sector, language, last_page):
    return {
        "plain": {},
        "last page": {"page": last_page},
        "search": {"q": "engineer"},
        "search and two filters": {"q": "engineer", "sector": sector.pk, "language": language.pk},
        "every filter": {
            "q": "energy",
            "sector": sector.pk,
            "language": language.pk,
            "mode": "video",
            "city": "Lyon",
            "country": "",
            "programme": "",
            "graduated_from": 1990,
            "free": "true",
            "sort": "-graduation",
        },
    }


def test_the_same_queries_for_5_and_200_mentors_whatever_the_filters(client, campaign):
    sector, language = SectorFactory(name="Energy"), LanguageFactory(code="fr", name="Français")
    student = StudentFactory()
    student.student_profile.target_sectors.set([sector])
    client.force_login(student)

    add_mentors(5, sector, language)
    few = {name: queries(client, params)[0] for name, params in searches(sector, language, 1).items()}
    add_mentors(195, sector, language)
    many = {}
    for name, params in searches(sector, language, 17).items():
        many[name], response = queries(client, params)
        assert response.context["page"].paginator.count > 12, name
        assert response.context["suggestions"], "the student sees suggestions"
    assert few == many
    assert max(many.values()) <= BUDGET, many
    # A page number past the end (an old bookmark) costs a count and the last page again.
    assert queries(client, {"page": 999})[0] <= BUDGET + 2


def test_a_student_with_a_mentor_sees_no_suggestions_and_stays_in_budget(client, campaign):
    sector, language = SectorFactory(), LanguageFactory()
    add_mentors(15, sector, language)
    accepted = MentorshipFactory.accepted(enrollment=MentorEnrollment.objects.first())
    client.force_login(accepted.student)
    count, response = queries(client, {"q": "energy", "sector": sector.pk})
    assert count <= BUDGET - 1
    assert response.context["suggestions"] == []
    assert "Suggested for you" not in response.content.decode()
    assert "is your mentor" in response.content.decode()


def test_a_page_past_the_end_shows_the_last_page(client, campaign):
    for i in range(14):
        mentor(f"Name{i:02d}")
    client.force_login(StudentFactory())
    for page in ("3", "999", "-1", "x"):
        response = client.get(DIRECTORY, {"page": page})
        expected = 1 if page in ("-1", "x") else 2
        assert response.context["page"].number == expected, page
    assert names(client.get(DIRECTORY, {"page": 2})) == ["Name12", "Name13"]
    assert client.get(DIRECTORY).context["page"].paginator.count == 14


def test_cards_show_sectors_and_languages(client, campaign):
    mentor(
        "Dupont",
        sectors=[SectorFactory(name="Energy"), SectorFactory(name="Banking")],
        languages=[LanguageFactory(code="en", name="English"), LanguageFactory(code="de", name="Deutsch")],
    )
    client.force_login(StudentFactory())
    content = client.get(DIRECTORY).content.decode()
    assert content.index("Banking") < content.index("Energy")
    card = content[content.index("results-title") :]
    assert "Deutsch, English" in card, card[:1500]


class TestPlacesTaken:
    """``places_taken`` equals the mentees who take a place, after every way a mentorship moves."""

    def assert_counted(self, enrollment):
        enrollment.refresh_from_db()
        truth = enrollment.mentorships.filter(status__in=Mentorship.OCCUPYING).count()
        assert enrollment.places_taken == truth
        return truth

    def test_requests_accepts_declines_withdrawals_and_deletes(self, campaign):
        enrollment = EnrollmentFactory(capacity=3)
        first = MentorshipFactory(enrollment=enrollment)
        assert self.assert_counted(enrollment) == 0
        services.mentorship_accept(mentorship=first, mentor=enrollment.alumnus)
        assert self.assert_counted(enrollment) == 1
        second = MentorshipFactory(enrollment=enrollment)
        services.mentorship_decline(mentorship=second, mentor=enrollment.alumnus, reason="Not my field")
        assert self.assert_counted(enrollment) == 1
        third = MentorshipFactory.accepted(enrollment=enrollment)
        assert self.assert_counted(enrollment) == 2
        third.delete()
        assert self.assert_counted(enrollment) == 1
        first.student.delete()
        assert self.assert_counted(enrollment) == 0

    def test_a_mentorship_edited_like_the_admin_does(self, campaign):
        enrollment = EnrollmentFactory(capacity=3)
        mentorship = MentorshipFactory(enrollment=enrollment)
        loaded = Mentorship.objects.get(pk=mentorship.pk)
        loaded.status = Mentorship.Status.ACCEPTED
        loaded.save()
        loaded.save()  # saved twice: counted once
        assert self.assert_counted(enrollment) == 1
        loaded.status = Mentorship.Status.CLOSED
        loaded.save()
        assert self.assert_counted(enrollment) == 1
        other = EnrollmentFactory(capacity=3)
        loaded.enrollment = other
        loaded.save()
        assert self.assert_counted(enrollment) == 0
        assert self.assert_counted(other) == 1

    def test_full_follows_the_places_and_the_capacity(self, campaign):
        enrollment = EnrollmentFactory(capacity=1)
        assert not enrollment.full
        mentorship = MentorshipFactory.accepted(enrollment=enrollment)
        enrollment.refresh_from_db()
        assert enrollment.full
        enrollment.capacity = 2
        enrollment.save()
        enrollment.refresh_from_db()
        assert not enrollment.full
        MentorshipFactory.accepted(enrollment=enrollment)
        enrollment.refresh_from_db()
        assert enrollment.full
        mentorship.delete()
        enrollment.refresh_from_db()
        assert not enrollment.full

    def test_the_sort_name_follows_the_alumnus(self, client, campaign):
        first = mentor("Bravo")
        mentor("Charlie")
        alumnus = first.alumnus
        alumnus.last_name = "Delta"
        alumnus.save()
        client.force_login(StudentFactory())
        assert names(client.get(DIRECTORY)) == ["Charlie", "Delta"]
        assert names(client.get(DIRECTORY, {"sort": "-name"})) == ["Delta", "Charlie"]

    def test_saving_an_enrollment_read_earlier_keeps_the_count(self, campaign):
        enrollment = EnrollmentFactory(capacity=3)
        stale = MentorEnrollment.objects.get(pk=enrollment.pk)
        MentorshipFactory.accepted(enrollment=enrollment)
        stale.availability_note = "Evenings"
        stale.save()
        assert self.assert_counted(enrollment) == 1
        assert enrollment.availability_note == "Evenings"

    def test_the_directory_lists_a_full_mentor_last_and_as_full(self, client, campaign):
        full = mentor("Aardvark", capacity=1)
        MentorshipFactory.accepted(enrollment=full)
        mentor("Zeller", capacity=1)
        client.force_login(StudentFactory())
        assert names(client.get(DIRECTORY)) == ["Zeller", "Aardvark"]
        assert names(client.get(DIRECTORY, {"free": "true"})) == ["Zeller"]


def test_the_filters_show_what_was_chosen(client, campaign):
    energy = SectorFactory(name="Energy")
    mentor("Alpha", sectors=[energy])
    client.force_login(StudentFactory())
    page = client.get(
        DIRECTORY,
        {
            "q": 'wind "farm"',
            "sector": energy.pk,
            "mode": "video",
            "city": "Lyon",
            "graduated_from": "2001",
            "free": "on",
        },
    ).content.decode()
    assert f'<option value="{energy.pk}" selected>Energy</option>' in page
    assert '<option value="video" selected>' in page
    assert 'name="q" id="id_q" class="form-control" value="wind &quot;farm&quot;"' in page
    assert 'name="city" id="id_city" class="form-control" value="Lyon"' in page
    assert 'value="2001"' in page
    assert 'name="free" class="form-check-input" id="id_free" checked' in page
    assert '<label class="form-label" for="id_sector">Sector</label>' in page
