from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.factories import AlumnusFactory, LanguageFactory, SectorFactory, StudentFactory, UserFactory
from accounts.models import User
from mentoring.factories import CampaignFactory, EnrollmentFactory, MentorshipFactory
from mentoring.models import MentorEnrollment, Mentorship

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("mentoring:directory")


def names(response):
    return [e.alumnus.last_name for e in response.context["page"].object_list]


def mentor(last_name, **kwargs):
    # Fixed words where the factories draw random ones: a random job or company must never
    # match a search of these tests by chance.
    profile = {"position": "Engineer", "employer": "Acme"}
    profile |= {k.removeprefix("profile__"): v for k, v in kwargs.items() if k.startswith("profile__")}
    enrollment_kwargs = {k: v for k, v in kwargs.items() if not k.startswith("profile__")}
    alumnus = AlumnusFactory(
        first_name="Alex", last_name=last_name, **{f"alumnus_profile__{k}": v for k, v in profile.items()}
    )
    return EnrollmentFactory(alumnus=alumnus, **enrollment_kwargs)


def test_visitors_and_alumni_cannot_browse(client, campaign):
    assert client.get(DIRECTORY)["Location"].startswith(reverse("account_login"))
    client.force_login(AlumnusFactory())
    assert client.get(DIRECTORY).status_code == 404


def test_before_matching_opens_the_page_says_when(client):
    CampaignFactory.in_recruitment()
    EnrollmentFactory()
    client.force_login(StudentFactory())
    response = client.get(DIRECTORY)
    assert response.status_code == 200
    assert "The list of mentors opens on" in response.content.decode()
    assert "page" not in response.context


def test_lists_only_approved_mentors_of_the_current_campaign(student_client, campaign):
    mentor("Approved")
    mentor("Applied", status=MentorEnrollment.Status.APPLIED)
    mentor("Rejected", status=MentorEnrollment.Status.REJECTED)
    mentor("Withdrawn", status=MentorEnrollment.Status.WITHDRAWN)
    mentor("Elsewhere", campaign=CampaignFactory(is_current=False))
    assert names(student_client.get(DIRECTORY)) == ["Approved"]


def test_mentors_with_free_places_come_first(student_client):
    full = mentor("Aardvark", capacity=1)
    MentorshipFactory.accepted(enrollment=full)
    mentor("Zeller", capacity=1)
    response = student_client.get(DIRECTORY)
    assert names(response) == ["Zeller", "Aardvark"]
    assert "Full" in response.content.decode()
    assert names(student_client.get(DIRECTORY, {"free": "true"})) == ["Zeller"]


def test_search_matches_every_word_across_fields(student_client):
    energy = SectorFactory(name="Renewable energy")
    mentor("Dupont", profile__employer="EDF", profile__bio="Wind farms")
    mentor("Martin", profile__employer="Airbus", sectors=[energy])
    mentor("Durand", profile__position="Banker", profile__employer="BNP")
    assert names(student_client.get(DIRECTORY, {"q": "edf"})) == ["Dupont"]
    assert names(student_client.get(DIRECTORY, {"q": "renewable"})) == ["Martin"]
    assert names(student_client.get(DIRECTORY, {"q": "wind dupont"})) == ["Dupont"]
    assert names(student_client.get(DIRECTORY, {"q": "wind banker"})) == []
    assert names(student_client.get(DIRECTORY, {"q": "durand"})) == ["Durand"]


def test_search_finds_a_sector_by_its_french_name(student_client):
    mentor("Dupont", sectors=[SectorFactory(name="Power utilities", name_fr="Énergie")])
    mentor("Martin", profile__bio="Banking.")
    assert names(student_client.get(DIRECTORY, {"q": "Énergie"})) == ["Dupont"]


def test_filters(student_client):
    energy, finance = SectorFactory(name="Energy"), SectorFactory(name="Finance")
    german = LanguageFactory(code="de", name="Deutsch")
    mentor(
        "Alpha", profile__sector=energy, profile__city="Lyon", profile__country="France", profile__graduation_year=2005
    )
    mentor(
        "Bravo",
        sectors=[finance],
        languages=[german],
        offers_phone=True,
        profile__city="Berlin",
        profile__country="Germany",
        profile__graduation_year=2015,
        profile__programme="Management",
    )
    assert names(student_client.get(DIRECTORY, {"sector": energy.pk})) == ["Alpha"]
    assert names(student_client.get(DIRECTORY, {"sector": finance.pk})) == ["Bravo"]
    assert names(student_client.get(DIRECTORY, {"language": german.pk})) == ["Bravo"]
    assert names(student_client.get(DIRECTORY, {"mode": "phone"})) == ["Bravo"]
    assert names(student_client.get(DIRECTORY, {"city": "lyon"})) == ["Alpha"]
    assert names(student_client.get(DIRECTORY, {"country": "Germany"})) == ["Bravo"]
    assert names(student_client.get(DIRECTORY, {"graduated_from": 2010})) == ["Bravo"]
    assert names(student_client.get(DIRECTORY, {"graduated_until": 2010})) == ["Alpha"]
    assert names(student_client.get(DIRECTORY, {"programme": "manage"})) == ["Bravo"]
    assert names(student_client.get(DIRECTORY, {"sort": "-graduation"})) == ["Bravo", "Alpha"]


def test_a_chosen_sort_still_lists_mentors_with_free_places_first(student_client):
    full = mentor("Aardvark", capacity=1, profile__graduation_year=2020)
    MentorshipFactory.accepted(enrollment=full)
    mentor("Zeller", capacity=1, profile__graduation_year=2000)
    mentor("Young", capacity=1, profile__graduation_year=2010)
    assert names(student_client.get(DIRECTORY, {"sort": "name"})) == ["Young", "Zeller", "Aardvark"]
    assert names(student_client.get(DIRECTORY, {"sort": "-name"})) == ["Zeller", "Young", "Aardvark"]
    assert names(student_client.get(DIRECTORY, {"sort": "-graduation"})) == ["Young", "Zeller", "Aardvark"]
    assert names(student_client.get(DIRECTORY, {"sort": "graduation"})) == ["Zeller", "Young", "Aardvark"]


def test_bad_filter_values_do_not_break_the_page(student_client):
    mentor("Alpha")
    response = student_client.get(
        DIRECTORY,
        {"graduated_from": "soon", "sector": "999999", "mode": "carrier-pigeon", "sort": "salary", "page": "x"},
    )
    assert response.status_code == 200
    # An invalid value is ignored, not a reason to hide every mentor.
    assert names(response) == ["Alpha"]


def test_pagination_keeps_the_filters_in_the_url(student_client):
    for i in range(14):
        mentor(f"Name{i:02d}", profile__city="Lyon")
    first = student_client.get(DIRECTORY, {"city": "Lyon"})
    assert len(first.context["page"].object_list) == 12
    assert "?city=Lyon&amp;page=2" in first.content.decode()
    second = student_client.get(DIRECTORY, {"city": "Lyon", "page": 2})
    assert len(second.context["page"].object_list) == 2


def count_queries(client, mentors):
    for i in range(mentors):
        mentor(f"M{i:03d}", sectors=[SectorFactory()], languages=[LanguageFactory()])
    cache.clear()  # the student's suggestions are computed each time, not read from the cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DIRECTORY, {"q": "m"}).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_number_of_mentors(client, campaign):
    client.force_login(StudentFactory())
    few = count_queries(client, 5)
    MentorEnrollment.objects.all().delete()
    many = count_queries(client, 200)
    assert few == many


class TestMentorPage:
    def test_student_sees_the_profile_and_the_choose_form(self, student_client):
        enrollment = mentor("Dupont", profile__bio="Twenty years in energy trading.", availability_note="Evenings")
        response = student_client.get(reverse("mentoring:mentor_detail", args=[enrollment.pk]))
        content = response.content.decode()
        assert response.status_code == 200
        assert "Twenty years in energy trading." in content
        assert "Evenings" in content
        assert "Send my request" in content

    def test_not_approved_mentors_are_404(self, student_client):
        enrollment = mentor("Applied", status=MentorEnrollment.Status.APPLIED)
        assert student_client.get(reverse("mentoring:mentor_detail", args=[enrollment.pk])).status_code == 404

    def test_alumni_get_404(self, client, campaign):
        enrollment = mentor("Dupont")
        client.force_login(AlumnusFactory())
        assert client.get(reverse("mentoring:mentor_detail", args=[enrollment.pk])).status_code == 404

    def test_a_mentor_without_a_profile_yet_is_shown(self, student_client):
        enrollment = EnrollmentFactory(alumnus=UserFactory(role=User.Role.ALUMNUS, last_name="Noprofile"))
        detail = student_client.get(reverse("mentoring:mentor_detail", args=[enrollment.pk]))
        assert detail.status_code == 200
        assert "Send my request" in detail.content.decode()
        assert names(student_client.get(DIRECTORY)) == ["Noprofile"]

    def test_anonymous_visitors_are_sent_to_login_and_nothing_is_written(self, client, campaign):
        enrollment = mentor("Dupont")
        for response in (
            client.get(reverse("mentoring:mentor_detail", args=[enrollment.pk])),
            client.post(reverse("mentoring:choose_mentor", args=[enrollment.pk]), {"message": "Hello"}),
            client.post(reverse("mentoring:mentor_withdraw")),
        ):
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("account_login"))
        assert not Mentorship.objects.exists()
        enrollment.refresh_from_db()
        assert enrollment.status == MentorEnrollment.Status.APPROVED


class TestPhaseGates:
    """The directory, a mentor's page and choosing open at ``matching_opens`` and close at
    ``campaign_ends``, to the second."""

    @pytest.fixture
    def setup(self, client):
        campaign = CampaignFactory.in_matching()
        enrollment = mentor("Dupont", campaign=campaign)
        return client, campaign, enrollment

    def visit(self, client, enrollment, at):
        with time_machine.travel(at, tick=False):
            client.force_login(StudentFactory())
            directory = client.get(DIRECTORY)
            detail = client.get(reverse("mentoring:mentor_detail", args=[enrollment.pk]))
            choose = client.post(reverse("mentoring:choose_mentor", args=[enrollment.pk]), {"message": "Hello"})
        return directory, detail, choose

    def assert_open(self, responses):
        directory, detail, choose = responses
        assert names(directory) == ["Dupont"]
        assert detail.status_code == 200
        assert choose.status_code == 302
        assert choose["Location"] == Mentorship.objects.latest("pk").get_absolute_url()

    def assert_closed(self, responses, says):
        directory, detail, choose = responses
        assert directory.status_code == 200
        assert "page" not in directory.context
        assert says in directory.content.decode()
        assert (detail.status_code, choose.status_code) == (404, 404)

    def test_closed_the_second_before_matching_opens(self, setup):
        client, campaign, enrollment = setup
        self.assert_closed(
            self.visit(client, enrollment, campaign.matching_opens - timedelta(seconds=1)),
            "The list of mentors opens on",
        )
        assert not Mentorship.objects.exists()

    def test_open_at_the_instant_matching_opens(self, setup):
        client, campaign, enrollment = setup
        self.assert_open(self.visit(client, enrollment, campaign.matching_opens))

    def test_open_the_second_before_the_campaign_ends(self, setup):
        client, campaign, enrollment = setup
        self.assert_open(self.visit(client, enrollment, campaign.campaign_ends - timedelta(seconds=1)))

    def test_closed_at_the_instant_the_campaign_ends(self, setup):
        client, campaign, enrollment = setup
        self.assert_closed(self.visit(client, enrollment, campaign.campaign_ends), "has ended")
        assert not Mentorship.objects.exists()
