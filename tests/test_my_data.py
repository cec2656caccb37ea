"""'My data' (issue 12, point 1): the archive's content for each role, never a mentor's private
notes in a student's, and the background archive whose link works for its owner only, for a
short time."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Consent, DataExport
from mentoring.services import message_post
from roadbook.factories import PDF_BYTES
from tests.access_matrix_objects import PRIVATE_ASSESSMENT, SHARED_FEEDBACK, build_world

pytestmark = pytest.mark.django_db

EXPORT = reverse("accounts:export")


@pytest.fixture
def world(on_commit):
    with on_commit():
        world = build_world(None)
        mentorship = world.objects["mentorship"]
        message_post(mentorship=mentorship, author=world.people["student_a"], body="STUDENT-MESSAGE")
        message_post(mentorship=mentorship, author=mentorship.mentor, body="MENTOR-MESSAGE")
    assert Consent.objects.filter(user=world.people["student_a"]).exists()  # accepted at sign-up
    return world


def _archive(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return zipfile.ZipFile(io.BytesIO(content))


def _everything(archive):
    return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def test_a_students_archive_holds_their_data_and_cv_but_never_private_notes(world, client):
    student = world.people["student_a"]
    client.force_login(student)
    archive = _archive(client.post(EXPORT))
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == student.email
    assert data["account"]["profile"]
    assert data["account"]["accepted"][0]["version"] == "2026-1"
    assert data["mentoring"]["campaigns"] or data["mentoring"]["mentorships"]
    (mentorship,) = data["mentoring"]["mentorships"]
    assert mentorship["mentor"] == world.people["mentor_a"].get_full_name()
    assert [m["text"] for m in mentorship["messages"]] == ["STUDENT-MESSAGE", "MENTOR-MESSAGE"]
    (roadbook,) = data["roadbooks"]
    assert roadbook["sections"]["Professional project"].startswith("Devenir data scientist")
    assert roadbook["versions_sent"][0]["version"] == 1
    assert roadbook["cv"] in archive.namelist()
    assert archive.read(roadbook["cv"]) == PDF_BYTES
    evaluations = data["interviews_and_evaluations"]
    assert len(evaluations["interviews"]) == 2
    (form,) = evaluations["evaluations_about_you"]
    assert SHARED_FEEDBACK in form["answers"].values()
    assert evaluations["evaluations_you_wrote"] == []
    assert evaluations["coaching"][0]["why_coaching_would_help"] == "Interview practice."
    assert {n["kind"] for n in data["notices_sent_to_you"]} >= {"message_received"}
    # The private part of the form (the mentor's assessment and notes) is nowhere in the archive.
    assert PRIVATE_ASSESSMENT not in _everything(archive)


def test_a_mentors_archive_holds_their_enrolments_mentees_and_the_forms_they_wrote(world, client):
    mentor = world.people["mentor_a"]
    client.force_login(mentor)
    archive = _archive(client.post(EXPORT))
    data = json.loads(archive.read("data.json"))
    assert data["mentoring"]["enrolments"][0]["capacity"] >= 1
    assert [m["student"] for m in data["mentoring"]["mentees"]] == [world.people["student_a"].get_full_name()]
    assert [m["text"] for m in data["mentoring"]["mentees"][0]["your_messages"]] == ["MENTOR-MESSAGE"]
    (written,) = data["interviews_and_evaluations"]["evaluations_you_wrote"]
    assert written["student"] == world.people["student_a"].get_full_name()
    assert PRIVATE_ASSESSMENT in written["answers"].values()  # their own notes
    assert "roadbooks" not in data  # the road-book is the student's
    assert archive.namelist() == ["data.json"]
    # The thread's other side is the student's (the mails sent to the mentor quote it: those are the mentor's).
    assert "STUDENT-MESSAGE" not in json.dumps(data["mentoring"])


def test_a_stranger_archive_says_nothing_of_others(world, client):
    client.force_login(world.people["student_b"])
    everything = _everything(_archive(client.post(EXPORT)))
    assert SHARED_FEEDBACK not in everything
    assert world.people["student_a"].email not in everything


def test_a_large_account_is_built_in_the_background_and_mailed(world, client, settings, on_commit):
    settings.DATA_EXPORT_DIRECT_MAX_BYTES = 10  # the CV is larger
    student = world.people["student_a"]
    client.force_login(student)
    mail.outbox.clear()
    with on_commit():
        response = client.post(EXPORT)
    assert response.status_code == 302
    export = DataExport.objects.exclude(pk=world.objects["export"].pk).get(user=student)
    assert export.ready_at is not None and export.is_available()
    (message,) = mail.outbox
    assert message.to == [student.email]
    assert export.get_absolute_url() in message.body
    archive = _archive(client.get(export.get_absolute_url()))
    assert [archive.read(name) for name in archive.namelist() if name.startswith("cv/")] == [PDF_BYTES]
    # The owner's only; for a short time.
    client.force_login(world.people["mentor_a"])
    assert client.get(export.get_absolute_url()).status_code == 404
    client.force_login(student)
    with time_machine.travel(timezone.now() + timedelta(hours=settings.DATA_EXPORT_LINK_HOURS + 1)):
        response = client.get(export.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == EXPORT


def test_the_task_run_twice_builds_and_mails_once(world, settings, on_commit):
    from accounts.my_data import export_build

    export = DataExport.objects.create(user=world.people["student_a"])
    mail.outbox.clear()
    with on_commit():
        export_build(export.pk)
    first = DataExport.objects.get(pk=export.pk).file.name
    with on_commit():
        export_build(export.pk)
    assert DataExport.objects.get(pk=export.pk).file.name == first
    assert len(mail.outbox) == 1


def test_asking_too_often_is_throttled(world, client, settings):
    settings.ACTION_RATE_LIMITS = {**settings.ACTION_RATE_LIMITS, "data_export": "1/h"}
    client.force_login(world.people["student_b"])
    assert client.post(EXPORT).status_code == 200
    response = client.post(EXPORT, follow=True)
    assert "You have asked for your data many times" in response.content.decode()


def test_the_profile_links_to_export_and_erasure(client, student):
    client.force_login(student)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("accounts:export") in page and reverse("accounts:erase") in page


def test_a_students_preferences_and_hidden_suggestions_are_exported_then_erased(world, client, on_commit):
    """What the directory's suggestions keep about a student (the sectors they aim at, the mentors
    they hid) is theirs: in their archive, and gone with their account."""
    from accounts.data_protection import user_erase
    from accounts.factories import SectorFactory
    from mentoring.models import HiddenSuggestion, MentorEnrollment

    student = world.people["student_a"]
    student.student_profile.target_sectors.set([SectorFactory(name="Energy")])
    enrollment = MentorEnrollment.objects.filter(alumnus=world.people["mentor_b"]).first()
    HiddenSuggestion.objects.create(student=student, enrollment=enrollment)
    client.force_login(student)
    data = json.loads(_archive(client.post(EXPORT)).read("data.json"))
    assert ["Energy"] in data["account"]["profile"].values()
    (hidden,) = data["mentoring"]["mentors_you_hid_from_your_suggestions"]
    assert hidden["mentor"] == world.people["mentor_b"].get_full_name()
    with on_commit():
        user_erase(user=student)
    assert not HiddenSuggestion.objects.filter(student=student).exists()


def test_the_page_lists_an_archive_being_built_behind_newer_expired_ones(client, student):
    """Expired archives are left out before the list is cut to five, not after."""
    now = timezone.now()
    being_built = DataExport.objects.create(user=student, requested_at=now - timedelta(days=30))
    for days in range(1, 7):
        DataExport.objects.create(
            user=student,
            requested_at=now - timedelta(days=days),
            ready_at=now - timedelta(days=days),
            expires_at=now - timedelta(hours=1),
            file="exports/gone.zip",
        )
    client.force_login(student)
    page = client.get(reverse("accounts:export"))
    assert list(page.context["exports"]) == [being_built]
