"""The privacy notice and the charter: public pages linked from sign-up and the footer; sign-up
records which versions the person accepted."""

import pytest
from django.urls import reverse

from accounts.factories import StudentFactory
from accounts.models import Consent, User
from accounts.tests.test_signup import SIGNUP, signup_data

pytestmark = pytest.mark.django_db


def test_signup_records_the_versions_accepted(client, settings):
    settings.CHARTER_VERSION, settings.PRIVACY_NOTICE_VERSION = "2026-3", "2026-7"
    response = client.post(SIGNUP, signup_data())
    assert response.status_code == 302
    user = User.objects.get(email="elise.durand@students.school.test")
    assert set(user.consents.values_list("document", "version")) == {
        (Consent.Document.CHARTER, "2026-3"),
        (Consent.Document.PRIVACY, "2026-7"),
    }


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("accept_charter", "Please accept the programme&#x27;s charter"),
        ("accept_privacy", "Please accept the privacy notice"),
    ],
)
def test_signup_without_accepting_is_refused_and_keeps_what_was_typed(client, missing, message):
    data = signup_data()
    del data[missing]
    response = client.post(SIGNUP, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="Élise"' in page
    assert not User.objects.exists()
    assert not Consent.objects.exists()


def test_signup_page_links_to_both_documents(client):
    page = client.get(SIGNUP).content.decode()
    assert f'href="{reverse("accounts:charter")}"' in page
    assert f'href="{reverse("accounts:privacy")}"' in page


def test_the_privacy_page_is_public_shows_its_version_and_is_in_the_footer(client, settings):
    settings.PRIVACY_NOTICE_VERSION = "2026-9"
    settings.DATA_PROTECTION_EMAIL = "dpo@school.test"
    response = client.get(reverse("accounts:privacy"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Version 2026-9" in page
    assert '<h1 class="h3 mb-1">Privacy notice</h1>' in page and "<title>Privacy notice" in page
    assert '<h1 class="h3 mb-1">Programme charter</h1>' in client.get(reverse("accounts:charter")).content.decode()
    assert "mailto:dpo@school.test" in page
    assert page.count(f'href="{reverse("accounts:privacy")}"') >= 1  # the footer's link
    assert f'href="{reverse("accounts:charter")}"' in client.get(reverse("mentoring:landing")).content.decode()


def test_the_profile_lists_what_the_person_accepted(client):
    user = StudentFactory(consents=False)
    Consent.objects.create(user=user, document=Consent.Document.PRIVACY, version="2026-1")
    client.force_login(user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Privacy notice, version 2026-1: accepted on" in page


def test_the_admin_shows_consents_read_only(client, staff_user):
    user = StudentFactory(consents=False)
    Consent.objects.create(user=user, document=Consent.Document.CHARTER, version="2026-1")
    client.force_login(staff_user)
    page = client.get(reverse("admin:accounts_user_change", args=[user.pk])).content.decode()
    assert "Programme charter" in page
    assert "2026-1" in page


def test_a_new_version_is_asked_for_in_the_personal_area_and_accepted_once(client, settings):
    user = StudentFactory()
    client.force_login(user)
    assert "Read and accept" not in client.get(reverse("mentoring:me")).content.decode()
    settings.PRIVACY_NOTICE_VERSION = "2027-1"
    page = client.get(reverse("mentoring:me")).content.decode()
    assert "Read and accept the current version of the privacy notice." in page
    assert "I accept this version" in client.get(reverse("accounts:privacy")).content.decode()
    assert "I accept this version" not in client.get(reverse("accounts:charter")).content.decode()
    for _ in range(2):
        response = client.post(reverse("accounts:accept"), {"document": "privacy"})
        assert response.status_code == 302
    assert user.consents.filter(document="privacy", version="2027-1").count() == 1
    assert "Read and accept" not in client.get(reverse("mentoring:me")).content.decode()


def test_accepting_an_unknown_document_records_nothing(client):
    user = StudentFactory(consents=False)
    client.force_login(user)
    response = client.post(reverse("accounts:accept"), {"document": "terms"}, follow=True)
    assert "Choose the charter or the privacy notice" in response.content.decode()
    assert not user.consents.exists()


def test_an_imported_person_is_asked_to_accept_both(client):
    user = StudentFactory(consents=False)
    client.force_login(user)
    page = client.get(reverse("mentoring:me")).content.decode()
    assert "current version of the programme charter" in page
    assert "current version of the privacy notice" in page
