"""The directory's listing is drawn once per search and kept in the shared cache
(``mentoring.directory``): every change to what a card, a filter or a search shows is on the
next page at once, and nothing one student sees of their own is ever shown to another."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.factories import LanguageFactory, SectorFactory, StudentFactory
from mentoring import directory, services
from mentoring.factories import MentorshipFactory
from mentoring.models import MentorEnrollment
from mentoring.tests.test_directory import mentor

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("mentoring:directory")


def listing(client, params=None):
    """The listing part of the directory (filters and cards), as the student gets it."""
    response = client.get(DIRECTORY, params or {})
    assert response.status_code == 200
    return str(response.context["filters"]) + str(response.context["results"])


def card_of(html, enrollment):
    """The card of ``enrollment`` in a listing, or None."""
    link = reverse("mentoring:mentor_detail", args=[enrollment.pk])
    start = html.find(f'href="{link}"')
    if start < 0:
        return None
    return html[start : html.find("</article>", start)]


def test_the_listing_is_read_from_the_cache_the_second_time(student_client, campaign):
    enrollment = mentor("Cached")
    with CaptureQueriesContext(connection) as first:
        html = listing(student_client)
    with CaptureQueriesContext(connection) as second:
        again = listing(student_client)
    assert again == html
    assert card_of(again, enrollment)
    # No choices, no page of ids, no rows: only the session, the user, the campaign.
    assert len(second) == 3 < len(first)
    tables = ("accounts_sector", "accounts_language", "search_rank", 'FROM "mentoring_mentorenrollment"')
    assert not any(table in query["sql"] for query in second.captured_queries for table in tables)


def test_a_new_name_shows_at_once(student_client, campaign):
    enrollment = mentor("Before")
    assert "Alex Before" in card_of(listing(student_client), enrollment)
    alumnus = enrollment.alumnus
    alumnus.last_name = "After"
    alumnus.save()
    card = card_of(listing(student_client), enrollment)
    assert "Alex After" in card
    assert "Before" not in card


def test_a_new_profile_shows_at_once(student_client, campaign):
    enrollment = mentor("Profile", profile__employer="Old Company")
    assert "Old Company" in card_of(listing(student_client), enrollment)
    profile = enrollment.alumnus.alumnus_profile
    profile.employer, profile.city = "New Company", "Nantes"
    profile.save()
    card = card_of(listing(student_client), enrollment)
    assert "New Company" in card and "Nantes" in card
    # The search reads the new words too.
    assert card_of(listing(student_client, {"city": "Nantes"}), enrollment)


def test_new_sectors_and_languages_show_at_once_and_filter(student_client, campaign):
    enrollment = mentor("Sectors")
    energy, german = SectorFactory(name="Energy"), LanguageFactory(code="de", name="German")
    html = listing(student_client)
    assert "Energy" not in card_of(html, enrollment)
    assert card_of(listing(student_client, {"sector": energy.pk}), enrollment) is None
    enrollment.sectors.add(energy)
    enrollment.languages.add(german)
    card = card_of(listing(student_client), enrollment)
    assert "Energy" in card and "Deutsch" in card
    assert card_of(listing(student_client, {"sector": energy.pk}), enrollment)
    assert card_of(listing(student_client, {"language": german.pk}), enrollment)
    enrollment.sectors.remove(energy)
    assert "Energy" not in card_of(listing(student_client), enrollment)
    # From the sector's side too.
    energy.enrollments.add(enrollment)
    assert "Energy" in card_of(listing(student_client), enrollment)


def test_a_renamed_sector_shows_on_cards_and_in_the_filter(student_client, campaign):
    sector = SectorFactory(name="Energy")
    enrollment = mentor("Renamed", sectors=[sector])
    html = listing(student_client)
    assert "Energy" in card_of(html, enrollment)
    sector.name = "Renewable energy"
    sector.save()
    html = listing(student_client)
    assert "Renewable energy" in card_of(html, enrollment)
    assert f'<option value="{sector.pk}">Renewable energy</option>' in html
    italian = LanguageFactory(code="it", name="Italian")
    assert f'<option value="{italian.pk}">' in listing(student_client)


def test_the_free_places_follow_every_request_answered(student_client, campaign):
    enrollment = mentor("Places", capacity=1)
    assert "1 free place" in card_of(listing(student_client), enrollment)
    request = MentorshipFactory(enrollment=enrollment)
    services.mentorship_accept(mentorship=request, mentor=enrollment.alumnus)
    card = card_of(listing(student_client), enrollment)
    assert "Full" in card and "free place" not in card
    assert card_of(listing(student_client, {"free": "true"}), enrollment) is None
    enrollment.capacity = 2
    enrollment.save()
    assert "1 free place" in card_of(listing(student_client), enrollment)


def test_approved_withdrawn_and_deleted_mentors_come_and_go_at_once(student_client, campaign):
    applied = mentor("Applied", status=MentorEnrollment.Status.APPLIED)
    assert card_of(listing(student_client), applied) is None
    assert services.enrollment_approve(enrollment=applied)  # an update(), which sends no signal
    assert card_of(listing(student_client), applied)
    services.enrollment_withdraw(enrollment=applied)
    assert card_of(listing(student_client), applied) is None

    other = mentor("Deleted")
    assert card_of(listing(student_client), other)
    other.alumnus.delete()
    assert card_of(listing(student_client), other) is None


def test_nothing_personal_is_in_the_shared_listing(client, campaign):
    sector = SectorFactory(name="Energy")
    enrollment = mentor("Shared", sectors=[sector])
    with_mentor = MentorshipFactory.accepted(enrollment=mentor("Theirs")).student
    aiming = StudentFactory()
    aiming.student_profile.target_sectors.set([sector])

    client.force_login(with_mentor)
    page = client.get(DIRECTORY).content.decode()
    assert "is your mentor" in page and "Suggested for you" not in page

    client.force_login(aiming)
    response = client.get(DIRECTORY)
    page = response.content.decode()
    assert "is your mentor" not in page
    assert "Suggested for you" in page
    assert enrollment.pk in [e.pk for e, _reasons in response.context["suggestions"]]
    assert "Suggested for you" not in str(response.context["results"])
    assert "works in Energy" not in str(response.context["results"])


def test_a_suggested_mentor_who_fills_up_is_no_longer_suggested(client, campaign):
    sector = SectorFactory(name="Energy")
    enrollment = mentor("Suggested", sectors=[sector], capacity=1)
    student = StudentFactory()
    student.student_profile.target_sectors.set([sector])
    client.force_login(student)
    assert [e.pk for e, _reasons in client.get(DIRECTORY).context["suggestions"]] == [enrollment.pk]
    services.mentorship_accept(mentorship=MentorshipFactory(enrollment=enrollment), mentor=enrollment.alumnus)
    # The suggestions themselves are still cached for the student; the row is read again.
    assert client.get(DIRECTORY).context["suggestions"] == []


def test_each_language_has_its_own_listing(client, campaign):
    mentor("Bilingual")
    client.force_login(StudentFactory(language="en"))
    assert "Search and filters" in listing(client)
    client.force_login(StudentFactory(language="fr"))
    assert "Recherche et filtres" in listing(client)
    client.force_login(StudentFactory(language="en"))
    assert "Search and filters" in listing(client)


def test_pagination_links_keep_the_search_and_drop_anything_else(student_client, campaign):
    for i in range(14):
        mentor(f"Page{i:02d}", profile__city="Lyon")
    html = listing(student_client, {"city": "Lyon", "utm_source": "mail"})
    assert "city=Lyon&amp;page=2" in html
    assert "utm_source" not in html


def test_a_change_moves_the_version_on_now_and_again_on_commit(django_capture_on_commit_callbacks):
    start = directory.version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        directory.changed()
        assert directory.version() == start + 1
    assert len(callbacks) == 1
    assert directory.version() == start + 2


def test_a_lost_counter_starts_again_from_the_clock(student_client, campaign):
    enrollment = mentor("Lost")
    listing(student_client)
    before = directory.version()
    cache.delete(directory.VERSION_KEY)
    # Never a number used before: a listing drawn under it is never shown again.
    assert directory.version() > before
    directory.changed()
    assert card_of(listing(student_client), enrollment)


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}})
def test_without_a_cache_the_directory_draws_its_listing_every_time(student_client, campaign):
    enrollment = mentor("Uncached")
    assert directory.version() is None
    assert card_of(listing(student_client), enrollment)
    enrollment.alumnus.last_name = "Renamed"
    enrollment.alumnus.save()
    assert "Alex Renamed" in card_of(listing(student_client), enrollment)


def test_a_change_to_a_mentor_keeps_the_cached_choices(student_client, campaign):
    enrollment = mentor("Choices")
    with CaptureQueriesContext(connection) as first:
        listing(student_client)
    assert any("UNION" in query["sql"] for query in first.captured_queries)
    enrollment.alumnus.last_name = "Changed"
    enrollment.alumnus.save()
    with CaptureQueriesContext(connection) as redrawn:
        assert "Alex Changed" in card_of(listing(student_client), enrollment)
    # The choices come from one UNION of sectors and languages (filters.reference_choices).
    assert not any("UNION" in query["sql"] for query in redrawn.captured_queries)


def test_the_sort_and_the_free_places_box_show_what_was_chosen(student_client, campaign):
    mentor("Sorted")
    html = listing(student_client)
    assert '<option value="" selected>Free places first, then name</option>' in html
    assert 'id="id_free">' in html
    html = listing(student_client, {"sort": "-graduation", "free": "true"})
    assert '<option value="-graduation" selected>' in html
    assert 'name="free" class="form-check-input" id="id_free" checked' in html
    # A sort the list does not offer is said to be wrong, as Django draws it.
    html = listing(student_client, {"sort": "bogus"})
    assert 'aria-invalid="true"' in html


def test_the_current_campaign_comes_with_the_students_live_mentorship(campaign):
    from mentoring.models import Campaign, Mentorship

    student = StudentFactory()
    assert Campaign.objects.current_for_student(student).live_id is None
    assert Campaign.objects.current_for_student(student) == campaign
    request = MentorshipFactory(student=student, enrollment=mentor("Asked"))
    assert Campaign.objects.current_for_student(student).live_id == request.pk
    request.status = Mentorship.Status.ACCEPTED
    request.save()
    assert Campaign.objects.current_for_student(student).live_id == request.pk
    request.status = Mentorship.Status.CLOSED
    request.save()
    assert Campaign.objects.current_for_student(student).live_id is None
    # Another student's request is not theirs.
    MentorshipFactory(enrollment=mentor("Other"))
    assert Campaign.objects.current_for_student(student).live_id is None
    Campaign.objects.update(is_current=False)
    assert Campaign.objects.current_for_student(student) is None
