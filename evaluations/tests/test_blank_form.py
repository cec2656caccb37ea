"""The printable blank evaluation form: for the mentor of an interview still to come, to take notes
on (the charter), with the road-book's key points on the first page."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from evaluations.factories import InterviewFactory
from evaluations.models import Interview
from roadbook import services as roadbook_services
from roadbook.factories import RoadbookFactory

pytestmark = pytest.mark.django_db


def pages(response):
    """Each page's text, without its spaces and line breaks: a PDF's text is read back from where
    its glyphs stand, and a kerned pair ("Te") or a wrapped line comes back with a space or a break
    where there was none."""
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return [squeezed(page.extract_text()) for page in PdfReader(io.BytesIO(response.content)).pages]


def squeezed(text):
    return "".join(text.split())


def test_the_mentor_prints_the_first_interview_s_blank_form_with_the_road_book_s_key_points(client):
    # "Te" is a kerned pair: the extracted text reads "T erri".
    interview = InterviewFactory.confirmed(mentorship__student__first_name="Terri")
    mentorship = interview.mentorship
    roadbook = RoadbookFactory(mentorship=mentorship, professional_project="Become a grid data scientist in Lyon.")
    roadbook_services.roadbook_submit(roadbook=roadbook, student=mentorship.student)
    RoadbookFactory(mentorship=mentorship, professional_project="A DRAFT NOT SENT")
    client.force_login(mentorship.mentor)
    page_link = reverse("evaluations:blank_form_pdf", args=[interview.pk])
    assert page_link in client.get(interview.get_absolute_url()).content.decode()
    text = pages(client.get(page_link))
    first, rest = text[0], "".join(text[1:])
    assert squeezed("The road-book's key points") in first
    assert squeezed("Become a grid data scientist in Lyon.") in first and squeezed("A DRAFT NOT SENT") not in "".join(
        text
    )
    assert squeezed(mentorship.student.get_full_name()) in first
    assert squeezed("Evaluation form") in rest and squeezed("For you and the Alumni Career Department only") in rest
    assert squeezed("Shared with the student") in rest and squeezed("Feedback on the professional project") in rest


def test_without_a_road_book_the_form_says_so_and_follow_ups_print_their_own_form(client):
    interview = InterviewFactory.confirmed()
    client.force_login(interview.mentorship.mentor)
    text = pages(client.get(reverse("evaluations:blank_form_pdf", args=[interview.pk])))
    assert squeezed("has not sent the road-book yet") in text[0]
    Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.HELD)
    follow_up = InterviewFactory.confirmed_follow_up(interview.mentorship)
    text = "".join(pages(client.get(reverse("evaluations:blank_form_pdf", args=[follow_up.pk]))))
    assert "Follow-up" in text


def test_only_the_mentor_and_staff_of_an_interview_still_to_come(client, staff_user):
    interview = InterviewFactory.confirmed()
    url = reverse("evaluations:blank_form_pdf", args=[interview.pk])
    client.force_login(interview.mentorship.student)
    assert client.get(url).status_code == 404
    client.force_login(staff_user)
    assert client.get(url).status_code == 200
    Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.CANCELLED)
    client.force_login(interview.mentorship.mentor)
    assert client.get(url).status_code == 404
