"""'Suggested for you', on hand-built profiles where the right answer is known."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.factories import AlumnusFactory, LanguageFactory, SectorFactory, StudentFactory
from mentoring import suggestions
from mentoring.factories import EnrollmentFactory, MentorshipFactory
from mentoring.models import HiddenSuggestion
from mentoring.suggestions import suggest

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("mentoring:directory")


@pytest.fixture
def world(campaign):
    energy, finance = SectorFactory(name="Energy"), SectorFactory(name="Finance")
    french, german = LanguageFactory(code="fr", name="French"), LanguageFactory(code="de", name="German")
    student = StudentFactory()
    profile = student.student_profile
    profile.programme, profile.specialization = "Energy and environment", "Hydrogen"
    profile.city, profile.prefers_video = "Lyon", True
    profile.save()
    profile.target_sectors.set([energy])
    profile.languages.set([french])
    return {"energy": energy, "finance": finance, "french": french, "german": german, "student": student}


def alumnus(last_name, **profile):
    defaults = {"programme": "Management", "position": "Consultant", "employer": "Acme", "bio": "", "city": "Paris"}
    return AlumnusFactory(
        first_name="Alex",
        last_name=last_name,
        **{f"alumnus_profile__{k}": v for k, v in {**defaults, **profile}.items()},
    )


def enrol(last_name, *, sectors=(), languages=(), video=False, phone=False, capacity=2, **profile):
    return EnrollmentFactory(
        alumnus=alumnus(last_name, **profile),
        sectors=list(sectors),
        languages=list(languages),
        offers_video=video,
        offers_phone=phone,
        capacity=capacity,
    )


def named(suggestions):
    from mentoring.models import MentorEnrollment

    last_names = dict(MentorEnrollment.objects.values_list("pk", "alumnus__last_name"))
    return [(last_names[s.enrollment_id], s.reasons) for s in suggestions]


def test_the_best_fits_first_with_their_reasons(world, campaign):
    w = world
    enrol("Best", sectors=[w["energy"]], languages=[w["french"]], video=True, city="Lyon", bio="Hydrogen storage")
    enrol("Sector", sectors=[w["energy"]])
    enrol("Speaker", languages=[w["french"], w["german"]], phone=True)
    enrol("Stranger", sectors=[w["finance"]], languages=[w["german"]], phone=True)
    full = enrol("Full", sectors=[w["energy"]], languages=[w["french"]], video=True, city="Lyon", capacity=1)
    MentorshipFactory.accepted(enrollment=full)
    french = w["french"].name  # the languages are seeded by a migration, under their own names
    assert named(suggest(w["student"], campaign)) == [
        (
            "Best",
            ["works in Energy", "same specialisation", f"speaks {french}", "based in Lyon", "meets by video"],
        ),
        ("Sector", ["works in Energy"]),
        ("Speaker", [f"speaks {french}"]),
    ]


def test_the_profile_sector_and_the_programme_count_too(world, campaign):
    w = world
    enrol("Programme", programme="energy and ENVIRONMENT")
    profile_sector = enrol("Profile")
    profile_sector.alumnus.alumnus_profile.sector = w["energy"]
    profile_sector.alumnus.alumnus_profile.save()
    assert named(suggest(w["student"], campaign)) == [
        ("Profile", ["works in Energy"]),
        ("Programme", ["same programme"]),
    ]


def test_ties_are_broken_by_name_then_enrolment_every_time(world, campaign):
    w = world
    zola, abel, moreau, second_abel = (
        enrol(name, sectors=[w["energy"]]) for name in ("Zola", "Abel", "Moreau", "Abel")
    )
    expected = [abel.pk, second_abel.pk, moreau.pk, zola.pk]
    for _ in range(3):
        suggestions.forget(w["student"].pk)  # computed again each time, not read from the cache
        assert [s.enrollment_id for s in suggest(w["student"], campaign, limit=4)] == expected


def test_no_profile_no_fit_no_suggestion(world, campaign):
    enrol("Stranger", sectors=[world["finance"]])
    assert suggest(world["student"], campaign) == []
    assert suggest(StudentFactory(), campaign) == []


class TestOnThePage:
    def test_the_student_sees_them_and_hides_one(self, client, world, campaign):
        w = world
        best = enrol("Best", sectors=[w["energy"]], video=True)
        enrol("Sector", sectors=[w["energy"]])
        client.force_login(w["student"])
        page = client.get(DIRECTORY).content.decode()
        assert "Suggested for you" in page
        assert "works in Energy · meets by video" in page

        response = client.post(reverse("mentoring:hide_suggestion", args=[best.pk]), follow=True)
        assert response.redirect_chain[-1][0] == DIRECTORY
        assert HiddenSuggestion.objects.filter(student=w["student"], enrollment=best).exists()
        assert [e.pk for e, _reasons in response.context["suggestions"]] != [best.pk]
        assert best.pk not in [e.pk for e, _reasons in response.context["suggestions"]]
        # Still in the list of mentors (drawn from the cache: hiding a suggestion is personal).
        assert reverse("mentoring:mentor_detail", args=[best.pk]) in response.context["results"]
        assert "will not be suggested to you again" in response.content.decode()

        client.post(reverse("mentoring:hide_suggestion", args=[best.pk]))  # twice: one row
        assert HiddenSuggestion.objects.filter(student=w["student"]).count() == 1

        response = client.post(reverse("mentoring:restore_suggestions"), follow=True)
        assert not HiddenSuggestion.objects.exists()
        assert best.pk in [e.pk for e, _reasons in response.context["suggestions"]]

    def test_no_suggestion_says_how_to_get_some(self, client, campaign):
        EnrollmentFactory()
        student = StudentFactory()
        student.student_profile.delete()
        client.force_login(student)
        page = client.get(DIRECTORY).content.decode()
        assert "No suggestion yet" in page
        assert reverse("accounts:profile") in page

    def test_a_student_with_a_live_request_sees_none(self, client, world, campaign):
        w = world
        enrollment = enrol("Best", sectors=[w["energy"]])
        MentorshipFactory(student=w["student"], enrollment=enrollment)
        client.force_login(w["student"])
        response = client.get(DIRECTORY)
        assert response.context["suggestions"] == []
        assert "Suggested for you" not in response.content.decode()

    def test_hiding_is_for_students_and_mentors_of_the_directory(self, client, world, campaign):
        enrollment = enrol("Best", sectors=[world["energy"]])
        client.force_login(AlumnusFactory())
        assert client.post(reverse("mentoring:hide_suggestion", args=[enrollment.pk])).status_code == 404
        assert client.post(reverse("mentoring:restore_suggestions")).status_code == 404
        client.force_login(world["student"])
        assert client.get(reverse("mentoring:hide_suggestion", args=[enrollment.pk])).status_code == 405
        assert client.post(reverse("mentoring:hide_suggestion", args=[999999])).status_code == 404
        assert not HiddenSuggestion.objects.exists()


class TestCache:
    """Computed once, then read from the cache until the student changes what they are made of."""

    def test_cached_until_the_profile_changes(self, world, campaign, django_assert_num_queries):
        w = world
        enrol("Sector", sectors=[w["energy"]])
        assert len(suggest(w["student"], campaign)) == 1
        with django_assert_num_queries(0):
            assert len(suggest(w["student"], campaign)) == 1
        enrol("Finance", sectors=[w["finance"]])
        w["student"].student_profile.target_sectors.add(w["finance"])
        assert len(suggest(w["student"], campaign)) == 2
        enrol("Lyon", city="Lyon")
        profile = w["student"].student_profile
        profile.city = "Lyon"
        profile.save()
        assert len(suggest(w["student"], campaign)) == 3

    def test_a_mentor_who_filled_up_meanwhile_is_left_out(self, client, world, campaign):
        w = world
        enrollment = enrol("Sector", sectors=[w["energy"]], capacity=1)
        client.force_login(w["student"])
        assert [e.pk for e, _r in client.get(DIRECTORY).context["suggestions"]] == [enrollment.pk]
        MentorshipFactory.accepted(enrollment=enrollment)
        assert client.get(DIRECTORY).context["suggestions"] == []

    def test_reasons_follow_the_language_of_the_page(self, client, world, campaign):
        w = world
        enrol("Sector", sectors=[w["energy"]], video=True)
        client.force_login(w["student"])
        assert "meets by video" in client.get(DIRECTORY).content.decode()
        w["student"].language = "fr"
        w["student"].save()
        assert "échange en visio" in client.get(DIRECTORY).content.decode()


def test_the_student_says_what_they_look_for_in_their_profile(client, world, campaign):
    w = world
    student = StudentFactory()
    client.force_login(student)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "sectors and functions I aim for" in page.lower() or "Sectors and functions I aim for" in page
    enrol("Sector", sectors=[w["finance"]], phone=True, city="Lille")
    assert suggest(student, campaign) == []
    response = client.post(
        reverse("accounts:profile"),
        {
            "user-first_name": "Inès",
            "user-last_name": "Moreau",
            "user-language": "en",
            "profile-programme": "Industrial engineering",
            "profile-specialization": "Supply chain",
            "profile-graduation_year": "2027",
            "profile-target_sectors": [w["finance"].pk],
            "profile-languages": [w["german"].pk],
            "profile-city": "Lille",
            "profile-country": "France",
            "profile-prefers_phone": "on",
        },
    )
    assert response.status_code == 302
    profile = student.student_profile
    profile.refresh_from_db()
    assert list(profile.target_sectors.all()) == [w["finance"]]
    assert (profile.city, profile.prefers_phone, profile.prefers_video) == ("Lille", True, False)
    # The cached (empty) suggestions were forgotten with the change.
    assert named(suggest(student, campaign)) == [("Sector", ["works in Finance", "based in Lille", "meets by phone"])]


def test_the_sector_a_suggestion_names_is_in_the_readers_language(world, campaign, client):
    """The reason, the mentor's card and the sector filter name a sector in French on French
    pages (its French name, set in the admin), from the same cached suggestions."""
    w = world
    w["energy"].name_fr = "Énergie"
    w["energy"].save()
    enrol("Best", sectors=[w["energy"]])
    with translation.override("en"):
        assert named(suggest(w["student"], campaign)) == [("Best", ["works in Energy"])]
    with translation.override("fr"):
        ((_name, (reason,)),) = named(suggest(w["student"], campaign))
    assert "Énergie" in reason
    w["student"].language = "fr"
    w["student"].save()
    client.force_login(w["student"])
    page = client.get(reverse("mentoring:directory")).content.decode()
    assert ">Énergie<" in page and ">Energy<" not in page
