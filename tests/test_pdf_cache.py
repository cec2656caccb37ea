"""PDFs that no longer change are rendered once; the student's draft previews are rationed."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.data_protection import user_erase
from core import pdf
from evaluations.factories import InterviewFactory
from evaluations.models import Evaluation
from mentoring.factories import CampaignFactory
from roadbook.factories import RoadbookFactory
from roadbook.services import roadbook_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    calls = []
    real = pdf.render_pdf

    def counting(template_name, context):
        calls.append(template_name)
        return real(template_name, context)

    monkeypatch.setattr(pdf, "render_pdf", counting)
    return calls


@pytest.fixture
def sent_roadbook():
    CampaignFactory.in_matching()
    interview = InterviewFactory.confirmed(start=timezone.now() + timedelta(days=10))
    roadbook = RoadbookFactory(mentorship=interview.mentorship)
    roadbook_submit(roadbook=roadbook, student=interview.mentorship.student)
    return roadbook


def _completed_form(interview, **texts):
    return Evaluation.objects.create(
        interview=interview,
        kind=Evaluation.Kind.FIRST,
        status=Evaluation.Status.COMPLETED,
        completed_at=timezone.now(),
        **texts,
    )


def test_a_sent_version_is_rendered_once_and_again_for_a_new_version(client, renders, sent_roadbook):
    mentorship = sent_roadbook.mentorship
    url = reverse("roadbook:pdf", args=[mentorship.pk])
    client.force_login(mentorship.mentor)
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and first.content.startswith(b"%PDF")
    assert renders == ["pdf/roadbook.html"]
    sent_roadbook.refresh_from_db()
    sent_roadbook.professional_project = "A new project."
    sent_roadbook.save()
    roadbook_submit(roadbook=sent_roadbook, student=mentorship.student)
    assert client.get(url).status_code == 200
    assert len(renders) == 2


def test_a_completed_evaluation_is_rendered_once_per_part(client, renders):
    CampaignFactory.in_matching()
    interview = InterviewFactory.confirmed(start=timezone.now() - timedelta(hours=2))
    _completed_form(interview, feedback_project="Shared feedback.", private_notes="PRIVATE")
    url = reverse("evaluations:evaluation_pdf", args=[interview.pk])
    for person in (interview.mentorship.mentor, interview.mentorship.student):
        client.force_login(person)
        assert client.get(url).status_code == 200
        assert client.get(url).status_code == 200
    assert len(renders) == 2  # the mentor's full copy and the student's shared part, once each


def test_the_students_draft_previews_are_rationed(client, renders, settings):
    settings.ACTION_RATE_LIMITS = {**settings.ACTION_RATE_LIMITS, "pdf_preview": "3/10m"}
    CampaignFactory.in_matching()
    roadbook = RoadbookFactory()
    client.force_login(roadbook.mentorship.student)
    url = reverse("roadbook:pdf", args=[roadbook.mentorship.pk])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(url, follow=True)
    assert refused.redirect_chain[-1][0] == reverse("roadbook:edit", args=[roadbook.mentorship.pk])
    assert "You have made many PDFs in a short time" in refused.content.decode()
    assert len(renders) == 3
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("model", ["roadbook.Roadbook", "evaluations.Evaluation"])
def test_every_text_a_pdf_shows_is_bounded(model):
    from django.apps import apps
    from django.db import models

    fields = [f for f in apps.get_model(model)._meta.get_fields() if isinstance(f, models.TextField | models.CharField)]
    unbounded = [f.name for f in fields if not f.max_length or f.max_length > 5000]
    assert unbounded == []


def test_the_road_book_form_refuses_text_past_its_bound():
    from roadbook.forms import RoadbookForm

    form = RoadbookForm(data={"professional_project": "x" * 5001})
    assert not form.is_valid() and "professional_project" in form.errors


def test_a_pdf_waits_for_a_free_rendering_slot_then_says_try_again(client, settings, sent_roadbook):
    """Each web process draws one PDF at a time: while its slot is taken, another PDF request
    waits PDF_RENDER_WAIT_SECONDS, then gets a "try again" page, and renders once the slot is free."""
    settings.PDF_RENDER_WAIT_SECONDS = 0
    mentorship = sent_roadbook.mentorship
    url = reverse("roadbook:pdf", args=[mentorship.pk])
    client.force_login(mentorship.mentor)
    with pdf.render_slot():
        busy = client.get(url)
    assert busy.status_code == 503
    assert busy["Retry-After"] == "60"
    assert "try again in a minute" in busy.content.decode()
    assert "no-store" in busy["Cache-Control"]
    assert client.get(url).status_code == 200


def test_the_web_workers_keep_threads_free_while_pdfs_render():
    """The Procfile's web processes are threaded, with more threads than PDF rendering slots, so
    pages other than PDFs are always served while documents are drawn (bench/pdf_concurrency.py
    measures it: /me/ stays under a second with two worst-case PDFs in flight)."""
    from pathlib import Path

    from django.conf import settings as django_settings

    web = next(
        line
        for line in (Path(django_settings.BASE_DIR) / "Procfile").read_text().splitlines()
        if line.startswith("web:")
    )
    assert "--worker-class ${WEB_WORKER_CLASS:-gthread}" in web
    threads = int(web.split("--threads ${WEB_THREADS:-", 1)[1].split("}", 1)[0])
    assert threads > django_settings.PDF_RENDERS_PER_PROCESS


def test_each_thread_parses_the_pdf_stylesheet_once_and_every_document_uses_it(sent_roadbook, monkeypatch):
    """The stylesheet is parsed once per thread, like the font configuration, not once per
    document from an inline <style>; the PDFs still show what it styles (the page numbers)."""
    import io
    import threading
    from pathlib import Path

    import weasyprint
    from django.conf import settings
    from pypdf import PdfReader

    parsed = []
    real_css = weasyprint.CSS

    def counting_css(*args, **kwargs):
        parsed.append(threading.get_ident())
        return real_css(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "CSS", counting_css)
    monkeypatch.setattr(pdf, "_thread", threading.local())
    context = {"mentorship": sent_roadbook.mentorship, "roadbook": sent_roadbook, "sections": sent_roadbook.sections()}
    first = pdf.render_pdf("pdf/roadbook.html", context)
    pdf.render_pdf("pdf/roadbook.html", context)
    assert parsed == [threading.get_ident()]
    assert "1 / 1" in PdfReader(io.BytesIO(first)).pages[0].extract_text()

    elsewhere = []
    thread = threading.Thread(target=lambda: elsewhere.append(pdf.stylesheet()))
    thread.start()
    thread.join()
    assert len(parsed) == 2 and elsewhere[0] is not pdf.stylesheet()
    templates = (Path(settings.BASE_DIR) / "templates" / "pdf").glob("*.html")
    assert not [path.name for path in templates if "<style" in path.read_text()]


def test_an_erased_students_cached_pdfs_are_not_served_again(client, renders, sent_roadbook, on_commit):
    """Erasure empties the road-book and the form; the renderings cached before it must go too,
    or the mentor would read the erased text for another day."""
    mentorship = sent_roadbook.mentorship
    interview = mentorship.interviews.get()
    with time_machine.travel(interview.end + timedelta(hours=1)):
        _completed_form(interview, feedback_project="Feedback to erase.", private_notes="Notes to erase.")
        urls = [
            reverse("roadbook:pdf", args=[mentorship.pk]),
            reverse("evaluations:evaluation_pdf", args=[interview.pk]),
        ]
        client.force_login(mentorship.mentor)
        assert [client.get(url).status_code for url in urls] == [200, 200]
        assert [client.get(url).status_code for url in urls] == [200, 200]
        assert len(renders) == 2
        with on_commit():
            user_erase(user=mentorship.student)
        assert [client.get(url).status_code for url in urls] == [200, 200]
    assert len(renders) == 4  # both drawn again, from what erasure left
