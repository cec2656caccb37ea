"""French ships: pages and mails follow the user's language, and visitors get their browser's."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.factories import StudentFactory
from core.notices import send_notice
from mentoring.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_a_french_student_sees_their_personal_area_in_french(client):
    CampaignFactory.in_matching(name="2026–2027")
    student = StudentFactory(first_name="Zoé", language="fr")
    client.force_login(student)
    content = client.get(reverse("mentoring:me")).content.decode()
    assert '<html lang="fr">' in content
    assert "Bonjour Zoé" in content
    assert "Prochaines étapes" in content
    assert "Campagne 2026–2027" in content
    assert "Trouver un mentor" in content
    assert "What to do next" not in content


def test_the_same_page_stays_in_english_for_an_english_student(client, student):
    client.force_login(student)
    content = client.get(reverse("mentoring:me")).content.decode()
    assert "What to do next" in content
    assert "Prochaines étapes" not in content


def test_a_notice_to_a_french_user_has_a_french_subject_and_body(django_capture_on_commit_callbacks, settings):
    settings.PROGRAMME_NAME = "Programme de mentorat"
    student = StudentFactory(first_name="Zoé", language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        send_notice("welcome", recipient=student, obj=student)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Bienvenue sur Programme de mentorat"
    assert "Bonjour Zoé," in message.body
    assert "Votre compte est prêt." in message.body
    assert "Vous recevez ce message car vous avez créé un compte" in message.body
    assert "Service Carrières Alumni" in message.body
    assert "Your account is ready" not in message.body
    html = message.alternatives[0][0]
    assert '<html lang="fr">' in html
    assert "Votre compte est prêt." in html
    # Rendering in French does not leak into the caller's language.
    assert not translation.get_language().startswith("fr")


def test_the_login_page_follows_the_browser_language(client):
    content = client.get(reverse("account_login"), headers={"accept-language": "fr"}).content.decode()
    assert '<html lang="fr">' in content
    assert "Se connecter" in content
    assert "S'inscrire" in content or "S&#x27;inscrire" in content
    assert "Service Carrières Alumni" in content
    assert "Sign up" not in content


def test_the_login_page_stays_in_english_without_a_french_browser(client):
    content = client.get(reverse("account_login")).content.decode()
    assert "Sign in" in content
    assert "Se connecter" not in content
