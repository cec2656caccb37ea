"""Each role's main pages on the demo data, in English and French, on a desktop and a 390×844
phone: axe-core finds no serious or critical violation, no page scrolls sideways, and no English
text is left on a French page, whose punctuation has its space."""

from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import CharField, TextField

from accounts.models import User
from evaluations.models import Interview
from mentoring.models import Mentorship
from tests.browser.checks import (
    axe_violations,
    english_left,
    glued_punctuation,
    horizontal_overflow,
    navbar_wraps,
    page_texts,
    untranslated_text,
)

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo():
    # A transactional test starts from emptied tables: the lists of languages and sectors that a
    # data migration fills come back first, as on a migrated database.
    import_module("accounts.migrations.0002_languages_and_sectors").add(apps, None)
    import_module("accounts.migrations.0006_sector_name_fr").translate(apps, None)
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _mentorship(student_email):
    return Mentorship.objects.get(student__email=student_email, campaign__is_current=True)


def student_pages():
    mentorship = _mentorship("student@example.org")
    interview = mentorship.interviews.get()
    mentor = mentorship.enrollment
    return [
        "/me/",
        "/mentors/",
        f"/mentors/{mentor.pk}/",
        mentorship.get_absolute_url(),
        f"/mentorships/{mentorship.pk}/roadbook/",
        f"/interviews/{interview.pk}/",
        f"/mentorships/{mentorship.pk}/interviews/new/",
        "/me/profile/",
    ]


def mentor_pages():
    pending = _mentorship("student01@example.org")
    waiting = _mentorship("student02@example.org")
    evaluated = _mentorship("student03@example.org")
    to_read = _mentorship("student09@example.org")
    held = waiting.interviews.get(kind=Interview.Kind.FIRST)
    done = evaluated.interviews.get(kind=Interview.Kind.FIRST)
    upcoming = to_read.interviews.get(kind=Interview.Kind.FIRST)
    return [
        "/me/",
        f"/mentorships/{to_read.pk}/roadbook/",
        f"/interviews/{upcoming.pk}/",
        pending.get_absolute_url(),
        waiting.get_absolute_url(),
        f"/mentorships/{waiting.pk}/roadbook/",
        f"/interviews/{held.pk}/",
        f"/interviews/{held.pk}/evaluation/",
        f"/interviews/{done.pk}/evaluation/",
        "/me/profile/",
    ]


def staff_pages():
    return [
        "/staff/",
        "/admin/",
        "/admin/mentoring/campaign/",
        "/admin/mentoring/mentorship/",
        "/admin/evaluations/interview/",
        "/me/profile/",
    ]


def visitor_pages():
    return ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]


def _typed_texts():
    """Every text stored in the database: what people typed (in English in the demo) is shown as
    typed, and is not the product's French."""
    texts = set()
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, CharField | TextField)]
        if fields:
            for row in model.objects.values_list(*fields):
                texts.update(value for value in row if value)
    return texts


def _walk(browser, live_server, email, pages):
    problems = []
    typed = _typed_texts()
    english_texts = {}
    for language in ("en", "fr"):
        if email:
            User.objects.filter(email=email).update(language=language)
        for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            context = browser.new_context(viewport=viewport, locale="fr-FR" if language == "fr" else "en-GB")
            if email:
                sign_in_context(context, live_server, email)
            page = context.new_page()
            for path in pages:
                response = page.goto(live_server.url + path)
                where = f"{path} [{language}, {name}]"
                if response.status != 200:
                    problems.append(f"{where}: status {response.status}")
                    continue
                assert page.locator("html").get_attribute("lang") == language, where
                problems += [f"{where}: {line}" for line in axe_violations(page)]
                if name == "phone" and (overflow := horizontal_overflow(page)) > 0:
                    problems.append(f"{where}: scrolls sideways by {overflow}px")
                if name == "phone" and navbar_wraps(page):
                    problems.append(f"{where}: the menu button is not on the brand's line")
                if language == "en":
                    english_texts[path, name] = page_texts(page)
                if language == "fr":
                    problems += [f"{where}: English left: {text!r}" for text in english_left(page)]
                    problems += [
                        f"{where}: not translated: {text!r}"
                        for text in untranslated_text(page_texts(page), english_texts.get((path, name), []), typed)
                    ]
                    problems += [
                        f"{where}: no space before the mark: {text!r}"
                        for text in glued_punctuation(page)
                        if not any(text in value for value in typed)
                    ]
            context.close()
    assert not problems, "\n".join(problems)


def sign_in_context(context, live_server, email):
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(email=email))
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def test_a_visitor_s_pages(demo, live_server, browser):
    _walk(browser, live_server, None, visitor_pages())


def test_the_student_s_pages(demo, live_server, browser):
    _walk(browser, live_server, "student@example.org", student_pages())


def test_the_mentor_s_pages(demo, live_server, browser):
    _walk(browser, live_server, "mentor@example.org", mentor_pages())


def test_staff_pages(demo, live_server, browser):
    _walk(browser, live_server, "staff@example.org", staff_pages())
