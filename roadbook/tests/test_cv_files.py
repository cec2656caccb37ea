"""The draft's CV file in storage: a replaced or removed one is deleted once the change commits,
unless a sent version names it; stored files are private to the app's user and group."""

import os
import stat

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from roadbook import services
from roadbook.factories import PDF_BYTES, RoadbookFactory
from roadbook.models import Roadbook

pytestmark = pytest.mark.django_db


def pdf(name="new.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES + name.encode(), content_type="application/pdf")


@pytest.fixture
def roadbook():
    return RoadbookFactory()


def save_cv(roadbook, cv):
    return services.roadbook_save_draft(
        roadbook=roadbook, student=roadbook.mentorship.student, sections={}, cv=cv, cv_filename="x.pdf"
    )


class TestReplacedCv:
    def test_a_replaced_draft_cv_is_deleted_on_commit(self, roadbook, django_capture_on_commit_callbacks):
        old = roadbook.cv.name
        assert default_storage.exists(old)
        with django_capture_on_commit_callbacks(execute=True):
            updated = save_cv(roadbook, pdf())
        assert updated.cv.name != old
        assert default_storage.exists(updated.cv.name)
        assert not default_storage.exists(old)

    def test_a_removed_draft_cv_is_deleted_on_commit(self, roadbook, django_capture_on_commit_callbacks):
        old = roadbook.cv.name
        with django_capture_on_commit_callbacks(execute=True):
            updated = save_cv(roadbook, False)
        assert not updated.cv
        assert not default_storage.exists(old)

    def test_nothing_is_deleted_before_the_commit(self, roadbook, django_capture_on_commit_callbacks):
        old = roadbook.cv.name
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            save_cv(roadbook, pdf())
            assert default_storage.exists(old)
        assert callbacks  # the deletion waits for the commit

    def test_nothing_is_deleted_when_the_transaction_rolls_back(self, roadbook, django_capture_on_commit_callbacks):
        old = roadbook.cv.name
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
            save_cv(roadbook, pdf())
            raise RuntimeError("rolled back")
        assert default_storage.exists(old)
        assert Roadbook.objects.get(pk=roadbook.pk).cv.name == old

    def test_a_cv_a_sent_version_names_is_kept(self, roadbook, django_capture_on_commit_callbacks):
        student = roadbook.mentorship.student
        with django_capture_on_commit_callbacks(execute=True):
            version = services.roadbook_submit(roadbook=roadbook, student=student)
        sent = version.cv
        with django_capture_on_commit_callbacks(execute=True):
            replaced = save_cv(Roadbook.objects.get(pk=roadbook.pk), pdf("second.pdf"))
        assert default_storage.exists(sent)  # what the mentor received stays readable
        # A draft CV replaced again, never sent, goes.
        unsent = replaced.cv.name
        with django_capture_on_commit_callbacks(execute=True):
            save_cv(replaced, pdf("third.pdf"))
        assert not default_storage.exists(unsent)
        assert default_storage.exists(sent)

    def test_the_same_through_the_page(self, client, roadbook, django_capture_on_commit_callbacks):
        old = roadbook.cv.name
        client.force_login(roadbook.mentorship.student)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("roadbook:edit", args=[roadbook.mentorship_id]), {"cv": pdf(), "save": "1"})
        assert response.status_code == 302
        assert not default_storage.exists(old)

    def test_a_refused_upload_keeps_the_current_cv(self, client, roadbook, django_capture_on_commit_callbacks):
        old = roadbook.cv.name
        client.force_login(roadbook.mentorship.student)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("roadbook:edit", args=[roadbook.mentorship_id]),
                {"cv": SimpleUploadedFile("cv.pdf", b"not a pdf"), "save": "1"},
            )
        assert Roadbook.objects.get(pk=roadbook.pk).cv.name == old
        assert default_storage.exists(old)


class TestPermissions:
    @pytest.mark.parametrize("size", [100, 3 * 1024 * 1024], ids=["in-memory", "temporary-file"])
    def test_stored_files_are_0640_in_0750_directories(self, client, settings, size):
        roadbook = RoadbookFactory(cv="")
        client.force_login(roadbook.mentorship.student)
        upload = SimpleUploadedFile("cv.pdf", PDF_BYTES + b"0" * size, content_type="application/pdf")
        client.post(reverse("roadbook:edit", args=[roadbook.mentorship_id]), {"cv": upload, "save": "1"})
        path = default_storage.path(Roadbook.objects.get(pk=roadbook.pk).cv.name)
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
        assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o750
