"""The step-3 journey in a real browser: schedule under the 3-day rule, send the road-book, confirm."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.factories import PASSWORD
from mentoring.factories import CampaignFactory, MentorshipFactory
from roadbook.factories import PDF_BYTES

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(base + "/me/")


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_student_schedules_sends_the_road_book_and_the_mentor_confirms(live_server, browser, tmp_path):
    CampaignFactory.in_matching()
    mentorship = MentorshipFactory.accepted()
    base = live_server.url
    student_page = browser.new_page()
    sign_in(student_page, base, mentorship.student.email)

    # Propose a first interview too early: the form says why and when the earliest start is.
    student_page.get_by_role("link", name="Open my mentorship").click()
    student_page.get_by_role("link", name="Propose an interview").click()
    student_page.get_by_label("Date and time").fill(local(timezone.now() + timedelta(days=1)))
    student_page.get_by_label("Video call (Teams, Zoom, Skype…)").check()
    student_page.get_by_label("Video link (Teams, Zoom, Skype…)").fill("https://meet.example.org/r")
    student_page.get_by_role("button", name="Send the proposal").click()
    expect(student_page.get_by_text("the earliest start is")).to_be_visible()

    # What was typed is still there; a valid date goes through.
    expect(student_page.get_by_label("Video link (Teams, Zoom, Skype…)")).to_have_value("https://meet.example.org/r")
    start = (timezone.now() + timedelta(days=6)).replace(hour=18, minute=0, second=0, microsecond=0)
    student_page.get_by_label("Date and time").fill(local(start))
    student_page.get_by_role("button", name="Send the proposal").click()
    expect(student_page.get_by_text("Dates proposed by")).to_be_visible()

    # The road-book, with a CV.
    student_page.get_by_role("link", name="Open my road-book").click()
    for label, text in [
        ("Professional project", "Data scientist dans l'énergie."),
        ("Path and motivations", "Ingénieur généraliste."),
        ("How my specialization and experiences connect to my objective", "Spécialisation data."),
        ("Target sectors, roles and places", "Utilities, Lyon."),
        ("Job-search strategy", "Réseau des anciens."),
        ("Action plan for the coming weeks", "Dix candidatures."),
    ]:
        student_page.get_by_label(label).fill(text)
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(PDF_BYTES)
    student_page.get_by_label("CV (PDF)").set_input_files(str(cv))
    student_page.get_by_role("button", name="Send to my mentor").click()
    expect(student_page.get_by_text("Your road-book has been sent to your mentor.")).to_be_visible()

    # The mentor confirms the date and reads the road-book.
    mentor_page = browser.new_context().new_page()
    sign_in(mentor_page, base, mentorship.mentor.email)
    mentor_page.goto(base + mentorship.get_absolute_url())
    mentor_page.get_by_role("link", name="First interview").click()
    mentor_page.get_by_role("button", name="Confirm this date").click()
    expect(mentor_page.get_by_text("The interview is confirmed")).to_be_visible()
    mentor_page.get_by_role("link", name="Read the road-book").click()
    expect(mentor_page.get_by_text("Data scientist dans l'énergie.")).to_be_visible()
