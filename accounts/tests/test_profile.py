import pytest
from django.urls import reverse

from accounts.factories import AlumnusFactory, LanguageFactory, SectorFactory, StudentFactory
from accounts.models import AlumnusProfile, StudentProfile

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_student_edits_their_studies(client):
    student = StudentFactory()
    client.force_login(student)
    response = client.post(
        PROFILE,
        {
            "user-first_name": "Inès",
            "user-last_name": "Moreau",
            "user-language": "fr",
            "profile-programme": "Industrial engineering",
            "profile-specialization": "Supply chain",
            "profile-graduation_year": "2027",
        },
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert (student.first_name, student.language) == ("Inès", "fr")
    assert StudentProfile.objects.get(user=student).specialization == "Supply chain"


def test_alumnus_edits_their_career(client):
    alumnus = AlumnusFactory()
    sector = SectorFactory(name="Energy")
    english = LanguageFactory(code="en", name="English")
    client.force_login(alumnus)
    response = client.post(
        PROFILE,
        {
            "user-first_name": alumnus.first_name,
            "user-last_name": alumnus.last_name,
            "user-language": "en",
            "profile-graduation_year": "2010",
            "profile-programme": "Energy",
            "profile-position": "Head of trading",
            "profile-employer": "EDF",
            "profile-sector": sector.pk,
            "profile-city": "Paris",
            "profile-country": "France",
            "profile-languages": [english.pk],
            "profile-linkedin_url": "https://www.linkedin.com/in/someone",
            "profile-bio": "Energy markets.",
        },
    )
    assert response.status_code == 302
    profile = AlumnusProfile.objects.get(user=alumnus)
    assert profile.position == "Head of trading"
    assert list(profile.languages.all()) == [english]


def test_invalid_input_changes_nothing_and_keeps_what_was_typed(client):
    alumnus = AlumnusFactory(first_name="Old")
    client.force_login(alumnus)
    response = client.post(
        PROFILE,
        {
            "user-first_name": "New",
            "user-last_name": alumnus.last_name,
            "user-language": "en",
            "profile-position": "Typed position",
            "profile-linkedin_url": "https://evil.example.com/in/me",
            "profile-graduation_year": "1700",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Enter the address of a LinkedIn profile" in content
    assert "Typed position" in content
    alumnus.refresh_from_db()
    assert alumnus.first_name == "Old"
    assert AlumnusProfile.objects.get(user=alumnus).position != "Typed position"


def test_profile_page_only_ever_shows_the_signed_in_user(client):
    mine, other = StudentFactory(), StudentFactory(first_name="Zacharie")
    client.force_login(mine)
    content = client.get(PROFILE).content.decode()
    assert mine.email in content
    assert other.email not in content
