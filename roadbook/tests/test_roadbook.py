import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from accounts.factories import StudentFactory
from mentoring.factories import EnrollmentFactory, MentorshipFactory
from mentoring.models import Mentorship
from roadbook.factories import PDF_BYTES, RoadbookFactory
from roadbook.models import Roadbook, RoadbookVersion

pytestmark = pytest.mark.django_db

FULL = {
    "professional_project": "Devenir ingénieure en énergies renouvelables à Lyon.",
    "path_and_motivations": "Génie énergétique, stage éolien.",
    "specialization_link": "Ma spécialisation couvre la production d'énergie.",
    "targets": "Énergéticiens, bureaux d'études.",
    "job_search_strategy": "Réseau des anciens, salons.",
    "action_plan": "Cinq candidatures par semaine.",
    "questions": "",
}


def url(mentorship, name="edit"):
    return reverse(f"roadbook:{name}", args=[mentorship.pk])


def pdf_upload(name="cv.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def mentorship():
    return MentorshipFactory.accepted()


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


class TestDrafts:
    def test_student_saves_a_draft(self, client, mentorship):
        client.force_login(mentorship.student)
        response = client.post(url(mentorship), {"professional_project": "Première idée", "save": "1"})
        assert response.status_code == 302
        roadbook = Roadbook.objects.get(mentorship=mentorship)
        assert roadbook.professional_project == "Première idée"
        assert roadbook.status == Roadbook.Status.DRAFT
        assert not roadbook.versions.exists()

    def test_an_invalid_field_loses_no_text(self, client, mentorship, settings):
        client.force_login(mentorship.student)
        too_long = "x" * 5001
        response = client.post(
            url(mentorship),
            {
                "professional_project": "Kept",
                "path_and_motivations": too_long,
                "cv": pdf_upload("cv.docx", b"PK\x03\x04"),
                "save": "1",
            },
        )
        assert response.status_code == 200
        content = response.content.decode()
        assert too_long in content  # what was typed comes back in the form
        assert "must be a PDF" in content
        roadbook = Roadbook.objects.get(mentorship=mentorship)
        assert roadbook.professional_project == "Kept"  # the valid field was saved anyway
        assert roadbook.path_and_motivations == ""
        assert not roadbook.cv
        assert stored_files(settings) == []

    def test_page_is_never_cached(self, client, mentorship):
        client.force_login(mentorship.student)
        assert "no-store" in client.get(url(mentorship))["Cache-Control"]


class TestCv:
    def test_a_pdf_is_stored_under_a_generated_name(self, client, mentorship, settings):
        client.force_login(mentorship.student)
        client.post(url(mentorship), {"cv": pdf_upload("Mon CV final.pdf"), "save": "1"})
        roadbook = Roadbook.objects.get(mentorship=mentorship)
        assert roadbook.cv_filename == "Mon CV final.pdf"
        assert roadbook.cv.name.startswith("cv/") and "Mon" not in roadbook.cv.name
        assert [p.name for p in stored_files(settings)] == [roadbook.cv.name.split("/")[-1]]

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("cv.pdf", b"<html>not a pdf</html>", "not a PDF, whatever its name says"),
            ("cv.exe", PDF_BYTES, "must be a PDF file"),
            ("cv.pdf", PDF_BYTES + b"0" * (5 * 1024 * 1024), "too large"),
        ],
    )
    def test_a_rejected_file_writes_nothing(self, client, mentorship, settings, name, content, message):
        client.force_login(mentorship.student)
        response = client.post(
            url(mentorship), {"professional_project": "Typed with it", "cv": pdf_upload(name, content), "save": "1"}
        )
        assert message in response.content.decode()
        assert stored_files(settings) == []
        roadbook = Roadbook.objects.get(mentorship=mentorship)
        assert not roadbook.cv
        assert roadbook.professional_project == "Typed with it"  # the rest of the form is not lost

    def test_a_valid_cv_is_kept_when_a_section_is_refused(self, client, mentorship):
        client.force_login(mentorship.student)
        client.post(url(mentorship), {"path_and_motivations": "x" * 5001, "cv": pdf_upload("Mon CV.pdf"), "save": "1"})
        roadbook = Roadbook.objects.get(mentorship=mentorship)
        assert roadbook.cv and roadbook.cv_filename == "Mon CV.pdf"

    def test_the_size_cap_is_a_setting(self, client, mentorship, settings):
        settings.ROADBOOK_CV_MAX_BYTES = 10
        client.force_login(mentorship.student)
        assert "too large" in client.post(url(mentorship), {"cv": pdf_upload(), "save": "1"}).content.decode()

    def test_download_is_an_attachment_for_the_pair_and_staff_only(self, client, staff_user):
        roadbook = RoadbookFactory()
        mentorship = roadbook.mentorship
        cv_url = url(mentorship, "cv")
        client.force_login(mentorship.mentor)
        assert client.get(cv_url).status_code == 404  # nothing sent yet: the mentor has nothing to read
        from roadbook.services import roadbook_submit

        roadbook_submit(roadbook=roadbook, student=mentorship.student)
        for user in (mentorship.student, mentorship.mentor, staff_user):
            client.force_login(user)
            response = client.get(cv_url)
            assert response.status_code == 200
            assert response["Content-Disposition"].startswith("attachment")
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Content-Type"] == "application/pdf"
            assert b"".join(response.streaming_content) == PDF_BYTES
        for stranger in (StudentFactory(), EnrollmentFactory(campaign=mentorship.campaign).alumnus):
            client.force_login(stranger)
            assert client.get(cv_url).status_code == 404


class TestSubmission:
    def test_sending_needs_every_section_and_the_cv(self, client, mentorship):
        client.force_login(mentorship.student)
        response = client.post(url(mentorship), {"professional_project": "Only this", "submit": "1"})
        assert response.status_code == 200
        content = response.content.decode()
        assert "This section is needed before the road-book can be sent." in content
        assert "Attach your CV" in content
        roadbook = Roadbook.objects.get(mentorship=mentorship)
        assert roadbook.professional_project == "Only this"
        assert not roadbook.versions.exists()

    def test_sending_makes_version_one_and_tells_the_mentor(self, client, mentorship, on_commit):
        client.force_login(mentorship.student)
        with on_commit():
            response = client.post(url(mentorship), {**FULL, "cv": pdf_upload(), "submit": "1"})
        assert response.status_code == 302
        roadbook = Roadbook.objects.get(mentorship=mentorship)
        assert roadbook.status == Roadbook.Status.SUBMITTED
        assert roadbook.submitted_at is not None
        assert not roadbook.is_late
        version = roadbook.versions.get()
        assert version.number == 1 and version.sections["targets"] == FULL["targets"]
        [notice] = mail.outbox
        assert notice.to == [mentorship.mentor.email]
        assert f"/mentorships/{mentorship.pk}/roadbook/" in notice.body

    def test_a_revision_is_a_new_version_and_the_mentor_sees_what_changed(self, client, on_commit):
        roadbook = RoadbookFactory()
        mentorship = roadbook.mentorship
        from roadbook.services import roadbook_submit

        roadbook_submit(roadbook=roadbook, student=mentorship.student)
        client.force_login(mentorship.student)
        data = {name: getattr(roadbook, name) for name in FULL} | {"action_plan": "Un plan révisé.", "submit": "1"}
        with on_commit():
            client.post(url(mentorship), data)
        version = RoadbookVersion.objects.get(number=2)
        assert version.changed == ["action_plan"]
        assert len(mail.outbox) == 1  # the revision notice; the first went out before capture

        client.force_login(mentorship.mentor)
        content = client.get(url(mentorship)).content.decode()
        assert "Version 2" in content
        assert "Un plan révisé." in content
        assert content.count(">changed<") == 1

    def test_sending_the_same_version_twice_is_refused(self, client):
        roadbook = RoadbookFactory()
        from roadbook.services import roadbook_submit

        roadbook_submit(roadbook=roadbook, student=roadbook.mentorship.student)
        client.force_login(roadbook.mentorship.student)
        data = {name: getattr(roadbook, name) for name in FULL} | {"submit": "1"}
        response = client.post(url(roadbook.mentorship), data, follow=True)
        assert "Nothing changed since the version your mentor already has." in response.content.decode()
        assert roadbook.versions.count() == 1


class TestReading:
    def test_mentor_reads_the_sent_version_and_the_first_open_is_recorded(self, client):
        roadbook = RoadbookFactory()
        from roadbook.services import roadbook_submit

        roadbook_submit(roadbook=roadbook, student=roadbook.mentorship.student)
        Roadbook.objects.filter(pk=roadbook.pk).update(professional_project="Unsent draft edit")
        mentorship = roadbook.mentorship
        client.force_login(mentorship.mentor)
        content = client.get(url(mentorship)).content.decode()
        assert "Devenir data scientist dans l&#x27;énergie." in content
        assert "Unsent draft edit" not in content
        roadbook.refresh_from_db()
        first_open = roadbook.mentor_first_opened_at
        assert first_open is not None
        client.get(url(mentorship))
        roadbook.refresh_from_db()
        assert roadbook.mentor_first_opened_at == first_open

        client.force_login(mentorship.student)
        assert "read by the mentor on" in client.get(url(mentorship)).content.decode()

    def test_before_submission_the_mentor_is_told_it_is_not_sent(self, client, mentorship):
        client.force_login(mentorship.mentor)
        response = client.get(url(mentorship))
        assert response.status_code == 200
        assert "has not sent the road-book yet" in response.content.decode()
        assert client.get(url(mentorship, "pdf")).status_code == 404


class TestPdf:
    def test_the_pdf_holds_the_students_text_with_accents(self, client):
        roadbook = RoadbookFactory()
        from roadbook.services import roadbook_submit

        roadbook_submit(roadbook=roadbook, student=roadbook.mentorship.student)
        client.force_login(roadbook.mentorship.mentor)
        response = client.get(url(roadbook.mentorship, "pdf"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "no-store" in response["Cache-Control"]
        assert response.content.startswith(b"%PDF-")
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        assert "Devenir data scientist dans l" in text and "énergie" in text
        assert "spécialisation data science" in text
        # Without spaces: a kerned pair in a name ("Te") reads back as "T e".
        assert "".join(roadbook.mentorship.student.get_full_name().split()) in "".join(text.split())


class TestAccess:
    @pytest.mark.parametrize("name", ["edit", "pdf", "cv"])
    def test_strangers_get_404(self, client, name):
        from roadbook.services import roadbook_submit

        roadbook = RoadbookFactory()
        roadbook_submit(roadbook=roadbook, student=roadbook.mentorship.student)  # readable by its mentor now
        client.force_login(roadbook.mentorship.mentor)
        assert client.get(url(roadbook.mentorship, name)).status_code == 200
        other = MentorshipFactory.accepted(enrollment=EnrollmentFactory(campaign=roadbook.mentorship.campaign))
        for stranger in (other.student, other.mentor):
            client.force_login(stranger)
            assert client.get(url(roadbook.mentorship, name)).status_code == 404

    def test_a_mentor_with_only_a_pending_request_gets_404(self, client):
        request_ = MentorshipFactory(status=Mentorship.Status.REQUESTED)
        client.force_login(request_.mentor)
        assert client.get(url(request_)).status_code == 404

    def test_anonymous_is_sent_to_login(self, client, mentorship):
        assert client.get(url(mentorship))["Location"].startswith(reverse("account_login"))

    def test_the_mentor_cannot_write_the_road_book(self, client, mentorship):
        RoadbookFactory(mentorship=mentorship)
        client.force_login(mentorship.mentor)
        client.post(url(mentorship), {"professional_project": "Mentor text", "save": "1"})
        assert Roadbook.objects.get().professional_project != "Mentor text"
