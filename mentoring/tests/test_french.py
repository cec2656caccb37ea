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
    assert "Campagne «\xa02026–2027\xa0»" in content
    assert "Trouver un mentor" in content
    assert "What to do next" not in content


def test_the_same_page_stays_in_english_for_an_english_student(client, student):
    client.force_login(student)
    content = client.get(reverse("mentoring:me")).content.decode()
    assert "What to do next" in content
    assert "Prochaines étapes" not in content


def test_a_notice_to_a_french_user_has_a_french_subject_and_body(django_capture_on_commit_callbacks, settings):
    settings.PROGRAMME_NAME_BY_LANGUAGE = {"fr": "Programme de mentorat"}
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


def test_a_french_browser_signs_up_with_french_preselected(client):
    form = client.get(reverse("account_signup"), headers={"accept-language": "fr-FR,fr;q=0.9"}).context["form"]
    assert form["language"].value() == "fr"
    form = client.get(reverse("account_signup"), headers={"accept-language": "en-GB"}).context["form"]
    assert form["language"].value() == "en"


def test_the_language_switch_is_remembered_on_the_account(client, student):
    client.force_login(student)
    response = client.post(reverse("accounts:set_language"), {"language": "fr", "next": "/me/"})
    assert response.status_code == 302 and response["Location"] == "/me/"
    student.refresh_from_db()
    assert student.language == "fr"
    assert "Prochaines étapes" in client.get(reverse("mentoring:me")).content.decode()


def test_a_visitor_switches_language_with_a_cookie_and_an_unknown_one_changes_nothing(client, student):
    content = client.get(reverse("account_login")).content.decode()
    assert 'action="/language/"' in content and 'value="fr"' in content
    client.post(reverse("accounts:set_language"), {"language": "fr", "next": "/accounts/login/"})
    assert "Se connecter" in client.get(reverse("account_login")).content.decode()
    client.force_login(student)
    client.post(reverse("accounts:set_language"), {"language": "xx", "next": "/me/"})
    student.refresh_from_db()
    assert student.language == "fr"  # chosen before signing in; "xx" changed nothing


def test_sectors_and_sort_labels_are_french_on_a_french_directory(client):
    from accounts.models import Sector

    CampaignFactory.in_matching()
    Sector.objects.update_or_create(name="Energy", defaults={"name_fr": "Énergie"})
    client.force_login(StudentFactory(language="fr"))
    content = client.get(reverse("mentoring:directory")).content.decode()
    assert "Énergie" in content and ">Energy<" not in content
    assert "Nom (de Z à A)" in content and "descending" not in content
    client.force_login(StudentFactory(language="en"))
    content = client.get(reverse("mentoring:directory")).content.decode()
    assert ">Energy<" in content and "Name (Z to A)" in content


def test_the_programme_and_school_names_and_the_subject_prefix_are_set_per_language(client, settings, student):
    settings.PROGRAMME_NAME, settings.SCHOOL_NAME = "Alumni mentoring", "Example School"
    settings.PROGRAMME_NAME_BY_LANGUAGE = {"fr": "Mentorat des anciens"}
    settings.SCHOOL_NAME_BY_LANGUAGE = {"fr": "École exemple"}
    settings.ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Mentoring] "
    settings.ACCOUNT_EMAIL_SUBJECT_PREFIX_BY_LANGUAGE = {"fr": "[Mentorat] "}
    english = client.get(reverse("account_login")).content.decode()
    french = client.get(reverse("account_login"), headers={"accept-language": "fr"}).content.decode()
    assert "Alumni mentoring · Example School" in english and "Mentorat des anciens" not in english
    assert "Mentorat des anciens · École exemple" in french

    client.post(reverse("account_reset_password"), {"email": student.email}, headers={"accept-language": "fr"})
    client.post(reverse("account_reset_password"), {"email": student.email})
    assert [m.subject.split("]")[0] + "]" for m in mail.outbox] == ["[Mentorat]", "[Mentoring]"]


def test_the_admin_is_headed_by_the_programme_s_name_in_the_reader_s_language(client, settings, django_user_model):
    settings.PROGRAMME_NAME, settings.PROGRAMME_NAME_BY_LANGUAGE = "Alumni mentoring", {"fr": "Mentorat des anciens"}
    admin = django_user_model.objects.create_superuser(
        email="root@example.org", password="x-long-pass-9", language="fr"
    )
    client.force_login(admin)
    assert "Mentorat des anciens" in client.get("/admin/").content.decode()
    admin.language = "en"
    admin.save(update_fields=["language"])
    content = client.get("/admin/").content.decode()
    assert "Alumni mentoring" in content and "Mentorat des anciens" not in content


def test_the_mentorship_page_names_the_mentors_sectors_in_the_readers_language(client):
    from accounts.factories import SectorFactory
    from mentoring.factories import EnrollmentFactory, MentorshipFactory

    CampaignFactory.in_matching()
    enrollment = EnrollmentFactory(
        sectors=[SectorFactory(name="Energy", name_fr="Énergie"), SectorFactory(name="Banking", name_fr="")],
    )
    mentorship = MentorshipFactory.accepted(enrollment=enrollment)
    url = reverse("mentoring:mentorship", args=[mentorship.pk])
    client.force_login(mentorship.student)
    assert "Banking, Energy</dd>" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    mentorship.student.language = "fr"
    mentorship.student.save()
    assert "Banking, Énergie</dd>" in client.get(url).content.decode()


def test_the_mentors_page_in_the_directory_names_their_sectors_as_their_card_does(client):
    from accounts.factories import SectorFactory
    from mentoring.factories import EnrollmentFactory

    CampaignFactory.in_matching()
    enrollment = EnrollmentFactory(
        sectors=[
            SectorFactory(name="Alpha tech", name_fr="Zêta tech"),
            SectorFactory(name="Omega care", name_fr="Bêta soins"),
        ],
    )
    url = reverse("mentoring:mentor_detail", args=[enrollment.pk])
    client.force_login(StudentFactory(language="fr"))
    # In the reader's language, in that language's order (the English order is the reverse).
    assert "Bêta soins, Zêta tech</dd>" in client.get(url).content.decode()


def test_a_french_mail_puts_a_space_before_the_colon_of_its_link(django_capture_on_commit_callbacks):
    from django.utils.translation import gettext_lazy

    from core.notices import action

    student = StudentFactory(first_name="Zoé", language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        send_notice(
            "welcome", recipient=student, obj=student, context=action("/me/", gettext_lazy("Open my personal area"))
        )
    (message,) = mail.outbox
    assert "Ouvrir mon espace personnel : http" in message.body


def test_a_language_chosen_before_signing_in_is_kept_on_the_account(client, student):
    from accounts.factories import PASSWORD

    client.post(reverse("accounts:set_language"), {"language": "fr", "next": "/accounts/login/"})
    response = client.post(reverse("account_login"), {"login": student.email, "password": PASSWORD})
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.language == "fr"
    assert "Prochaines étapes" in client.get(reverse("mentoring:me")).content.decode()
