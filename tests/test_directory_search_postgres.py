"""The directory's full-text search and the project-based suggestions, on PostgreSQL."""

import pytest
from django.urls import reverse

from accounts.factories import SectorFactory, StudentFactory
from mentoring.factories import MentorshipFactory
from mentoring.models import MentorEnrollment, Mentorship
from mentoring.suggestions import suggest
from mentoring.tests.test_directory import mentor, names
from roadbook.factories import RoadbookFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

DIRECTORY = reverse("mentoring:directory")


def test_accents_are_ignored_both_ways(student_client):
    mentor("Dupont", profile__bio="Vingt ans dans l'énergie éolienne.")
    mentor("Lefèvre", profile__position="Ingenieur", profile__employer="Reseau SA")
    assert names(student_client.get(DIRECTORY, {"q": "energie"})) == ["Dupont"]
    assert names(student_client.get(DIRECTORY, {"q": "ÉNERGIE"})) == ["Dupont"]
    assert names(student_client.get(DIRECTORY, {"q": "lefevre"})) == ["Lefèvre"]
    assert names(student_client.get(DIRECTORY, {"q": "ingénieur réseau"})) == ["Lefèvre"]


def test_french_and_english_words_find_their_forms(student_client):
    mentor("Martin", profile__bio="Je conseille des ingénieurs sur les marchés.")
    mentor("Smith", profile__bio="Engineers building wind farms.")
    assert names(student_client.get(DIRECTORY, {"q": "ingénieur"})) == ["Martin"]
    assert names(student_client.get(DIRECTORY, {"q": "marché"})) == ["Martin"]
    assert names(student_client.get(DIRECTORY, {"q": "farm"})) == ["Smith"]
    assert names(student_client.get(DIRECTORY, {"q": "engineer building"})) == ["Smith"]


def test_every_word_must_match(student_client):
    energy = SectorFactory(name="Renewable energy")
    mentor("Dupont", profile__employer="EDF", profile__bio="Wind farms")
    mentor("Martin", profile__employer="Airbus", sectors=[energy])
    assert names(student_client.get(DIRECTORY, {"q": "wind edf"})) == ["Dupont"]
    assert names(student_client.get(DIRECTORY, {"q": "renewable airbus"})) == ["Martin"]
    assert names(student_client.get(DIRECTORY, {"q": "wind airbus"})) == []


def test_best_matches_first(student_client):
    mentor("Aaron", profile__bio="Once met someone working in hydrogen.")
    mentor("Hydrogen", profile__position="Hydrogen engineer", profile__bio="Hydrogen storage, hydrogen networks.")
    mentor("Brun", profile__employer="Hydrogen Corp")
    assert names(student_client.get(DIRECTORY, {"q": "hydrogen"})) == ["Hydrogen", "Brun", "Aaron"]
    # A chosen sort still wins over relevance.
    assert names(student_client.get(DIRECTORY, {"q": "hydrogen", "sort": "name"})) == ["Aaron", "Brun", "Hydrogen"]


def test_the_vector_follows_every_change(student_client):
    enrollment = mentor("Dupont", profile__bio="Banking")
    assert names(student_client.get(DIRECTORY, {"q": "nucléaire"})) == []
    profile = enrollment.alumnus.alumnus_profile
    profile.bio = "Sûreté nucléaire"
    profile.save()
    assert names(student_client.get(DIRECTORY, {"q": "nucleaire"})) == ["Dupont"]
    enrollment.alumnus.last_name = "Durand"
    enrollment.alumnus.save()
    assert names(student_client.get(DIRECTORY, {"q": "durand"})) == ["Durand"]
    sector = SectorFactory(name="Aéronautique")
    enrollment.sectors.add(sector)
    assert names(student_client.get(DIRECTORY, {"q": "aeronautique"})) == ["Durand"]
    sector.name = "Spatial"
    sector.save()
    assert names(student_client.get(DIRECTORY, {"q": "spatial"})) == ["Durand"]
    enrollment.sectors.clear()
    assert names(student_client.get(DIRECTORY, {"q": "spatial"})) == []


def test_a_professional_project_brings_the_mentors_close_to_it(campaign):
    student = StudentFactory()
    student.student_profile.delete()
    # The student's first mentor withdrew; the road-book written for them stays.
    ended = MentorshipFactory.accepted(student=student)
    RoadbookFactory(mentorship=ended, professional_project="Je veux travailler dans l'hydrogène vert, en stockage.")
    Mentorship.objects.filter(pk=ended.pk).update(status=Mentorship.Status.CLOSED)
    MentorEnrollment.objects.filter(pk=ended.enrollment_id).update(capacity=1)
    close = mentor("Close", profile__bio="Stockage d'hydrogène")
    mentor("Far", profile__bio="Banque d'affaires")
    suggestions = suggest(student, campaign)
    assert [s.enrollment_id for s in suggestions] == [close.pk]
    assert suggestions[0].reasons == ["close to your professional project"]


def test_a_sector_is_found_by_its_french_name_with_or_without_accents(student_client):
    power = SectorFactory(name="Power utilities", name_fr="Énergie")
    mentor("Dupont", sectors=[power])
    mentor("Martin", profile__bio="Banking.")
    assert names(student_client.get(DIRECTORY, {"q": "energie"})) == ["Dupont"]
    assert names(student_client.get(DIRECTORY, {"q": "énergie"})) == ["Dupont"]
    # A French name given later is found at once (the vectors follow the sector).
    power.name_fr = "Électricité"
    power.save()
    assert names(student_client.get(DIRECTORY, {"q": "electricite"})) == ["Dupont"]
