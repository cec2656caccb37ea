"""Uploads: large parts never sit in a worker's memory; the CV cap holds on the CV view only."""

import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.test.client import BOUNDARY, encode_multipart
from django.urls import reverse

from mentoring.factories import MentorshipFactory
from roadbook.factories import PDF_BYTES
from roadbook.models import Roadbook

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def parts(count, size):
    return {f"part{i}": SimpleUploadedFile(f"{i}.bin", b"x" * size) for i in range(count)}


class TestAnyUrl:
    def test_large_parts_go_to_temporary_files_not_memory(self, rf, settings):
        request = rf.post(reverse("account_login"), {"email": "a@example.org", **parts(4, 3 * MB)})
        files = request.FILES
        assert request.POST["email"] == "a@example.org"
        assert len(files) == 4
        assert all(isinstance(upload, TemporaryUploadedFile) for upload in files.values())
        for upload in files.values():
            upload.close()

    def test_handlers_are_djangos_defaults(self, rf):
        # The CV cap is not applied to every URL: only the CV view adds it.
        handlers = rf.post("/", {}).upload_handlers
        assert [type(h) for h in handlers] == [MemoryFileUploadHandler, TemporaryFileUploadHandler]

    def test_an_anonymous_multipart_post_to_the_login_page_buffers_almost_nothing(self, client):
        body = encode_multipart(BOUNDARY, {"email": "a@example.org", "password": "x", **parts(6, 3 * MB)})
        client.get(reverse("account_login"))  # templates compiled, caches warm
        tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            baseline, _peak = tracemalloc.get_traced_memory()
            response = client.post(
                reverse("account_login"), data=body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
            )
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert response.status_code in (200, 302, 400, 429)
        # The test client copies the body once; past that, the worker holds a few chunks only
        # (today's handler kept every part, 18 MB).
        assert peak - baseline - len(body) < 2 * MB

    def test_too_many_files_is_a_bad_request(self, client, settings):
        data = {f"f{i}": SimpleUploadedFile(f"{i}.txt", b"x") for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)}
        assert client.post(reverse("account_login"), data).status_code == 400

    def test_too_many_fields_is_a_bad_request(self, client, settings):
        data = {f"f{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
        assert client.post(reverse("account_login"), data).status_code == 400

    def test_the_limits_are_set(self, settings):
        assert settings.DATA_UPLOAD_MAX_NUMBER_FILES <= 10
        assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 1000
        assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2621440


class TestCvView:
    @pytest.fixture
    def mentorship(self):
        return MentorshipFactory.accepted()

    def test_a_cv_larger_than_the_memory_threshold_is_accepted_under_the_cap(self, client, mentorship, settings):
        client.force_login(mentorship.student)
        content = PDF_BYTES + b"0" * (3 * MB)
        response = client.post(
            reverse("roadbook:edit", args=[mentorship.pk]),
            {"cv": SimpleUploadedFile("big.pdf", content, content_type="application/pdf"), "save": "1"},
        )
        assert response.status_code == 302
        roadbook = Roadbook.objects.get(mentorship=mentorship)
        with roadbook.cv.open("rb") as stored:
            assert stored.read() == content

    def test_a_too_large_cv_is_refused_and_the_draft_saved(self, client, mentorship, settings):
        settings.ROADBOOK_CV_MAX_BYTES = 1 * MB
        client.force_login(mentorship.student)
        response = client.post(
            reverse("roadbook:edit", args=[mentorship.pk]),
            {
                "cv": SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (3 * MB), content_type="application/pdf"),
                "professional_project": "Typed after the file",
                "save": "1",
            },
        )
        assert response.status_code == 200
        assert "The CV is too large (3.0\xa0MB); the limit is 1.0\xa0MB." in response.content.decode()
        roadbook = Roadbook.objects.get(mentorship=mentorship)
        assert not roadbook.cv
        assert roadbook.professional_project == "Typed after the file"

    def test_the_cap_stops_passing_data_on_past_the_limit(self, rf, settings):
        from roadbook.uploads import CappedUploadHandler

        settings.ROADBOOK_CV_MAX_BYTES = 100 * 1024
        request = rf.post("/", {"cv": SimpleUploadedFile("big.pdf", b"x" * (2 * MB)), "note": "kept"})
        gate = CappedUploadHandler(request)
        request.upload_handlers.insert(0, gate)
        assert "cv" not in request.FILES
        assert request.POST["note"] == "kept"
        # The part's own size is not known once reading stops: the request's size stands for it.
        assert 2 * MB <= request.refused_uploads["cv"] <= int(request.META["CONTENT_LENGTH"])
        # Data stopped flowing to the storing handler once the cap was passed.
        assert gate.passed_on <= settings.ROADBOOK_CV_MAX_BYTES

    def test_too_many_files_on_the_cv_view_is_a_bad_request(self, client, mentorship, settings):
        client.force_login(mentorship.student)
        files = {
            f"f{i}": SimpleUploadedFile(f"{i}.pdf", PDF_BYTES) for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
        }
        response = client.post(reverse("roadbook:edit", args=[mentorship.pk]), {**files, "save": "1"})
        assert response.status_code == 400
        assert not Roadbook.objects.filter(mentorship=mentorship).exclude(cv="").exists()

    def test_the_view_still_checks_the_csrf_token(self, mentorship):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(mentorship.student)
        response = client.post(
            reverse("roadbook:edit", args=[mentorship.pk]), {"professional_project": "Forged", "save": "1"}
        )
        assert response.status_code == 403
        assert not Roadbook.objects.filter(mentorship=mentorship, professional_project="Forged").exists()
