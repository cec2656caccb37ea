"""Erasing an account (issue 12, point 2): personal data goes, the statistics still add up, no
file is left on disk, and no foreign key stands in the way."""

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.admin import helpers
from django.urls import reverse
from django.utils import timezone

from accounts.data_protection import erased_email, user_erase
from accounts.models import AlumnusProfile, Consent, StudentProfile, User
from core.errors import RuleError
from core.models import SentNotice
from evaluations.models import CoachingReferral, Evaluation, Interview, RecommendedContact
from mentoring.dashboard import figure_groups
from mentoring.models import MentorEnrollment, Mentorship, Message, Participation
from mentoring.services import message_post, participation_add
from roadbook.models import Roadbook, RoadbookVersion
from tests.access_matrix_objects import PRIVATE_ASSESSMENT, SHARED_FEEDBACK, build_world

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase"


def _files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _statistics(campaign):
    """What staff count: the dashboard's numbers, and every row's status, kind and dates."""
    return {
        "figures": [(g.title, [(f.label, f.value, f.base) for f in g.figures]) for g in figure_groups(campaign)],
        "mentorships": list(
            Mentorship.objects.order_by("pk").values_list("status", "requested_at", "responded_at", "closed_at")
        ),
        "interviews": list(Interview.objects.order_by("pk").values_list("kind", "status", "start")),
        "evaluations": list(Evaluation.objects.order_by("pk").values_list("kind", "status", "completed_at", "outcome")),
        "roadbooks": list(Roadbook.objects.order_by("pk").values_list("status", "submitted_at", "due_at", "is_late")),
        "versions": RoadbookVersion.objects.count(),
        "referrals": list(CoachingReferral.objects.order_by("pk").values_list("status", "created_at")),
        "participations": list(Participation.objects.order_by("pk").values_list("status", "joined_at")),
        "notices": SentNotice.objects.count(),
    }


@pytest.fixture
def world(on_commit):
    with on_commit():
        world = build_world(None)
        mentorship = world.objects["mentorship"]
        student = world.people["student_a"]
        participation_add(campaign=mentorship.campaign, student=student, source=Participation.Source.STAFF)
        message_post(mentorship=mentorship, author=student, body="STUDENT-MESSAGE about my plans")
        message_post(mentorship=mentorship, author=mentorship.mentor, body="MENTOR-MESSAGE to Élise")
        evaluation = world.objects["held_interview"].evaluation
        RecommendedContact.objects.create(evaluation=evaluation, name="Jeanne Contact", organisation="GridCo")
    assert Consent.objects.filter(user=student).count() == 2  # accepted at sign-up (the factory)
    EmailAddress.objects.get_or_create(user=student, email=student.email, defaults={"primary": True})
    student.set_password(PASSWORD)
    student.save()
    return world


def test_erasing_a_student_referenced_everywhere_keeps_the_statistics_and_no_file(world, on_commit):
    student = world.people["student_a"]
    mentorship = world.objects["mentorship"]
    campaign = mentorship.campaign
    # A mentorship that ended, seen after the campaign: nothing left to wind down.
    Mentorship.objects.filter(pk=mentorship.pk).update(status=Mentorship.Status.CLOSED, closed_at=timezone.now())
    Interview.objects.filter(pk=world.objects["follow_up"].pk).update(status=Interview.Status.CANCELLED)
    # The student is referenced by every PROTECT foreign key to people.
    assert RoadbookVersion.objects.filter(submitted_by=student).exists()
    assert Interview.objects.filter(proposed_by=student).exists()
    assert SentNotice.objects.filter(recipient=student).exists()
    cv_files = _files()
    assert cv_files, "the road-book's CV is on disk"
    address = student.email
    with time_machine.travel(campaign.campaign_ends + timedelta(days=1)):
        before = _statistics(campaign)
        with on_commit():
            user_erase(user=student)
        after = _statistics(campaign)

    for key in before:
        assert after[key] == before[key], key
    assert not any(path.exists() for path in cv_files)
    assert _files() == []
    student.refresh_from_db()
    assert student.email == erased_email(student)
    assert (student.first_name, student.last_name) == ("", "")
    assert student.get_full_name() == "Former participant"
    assert not student.is_active and not student.has_usable_password()
    assert student.erased_at is not None
    assert not StudentProfile.objects.filter(user=student).exists()
    assert not Consent.objects.filter(user=student).exists()
    assert not EmailAddress.objects.filter(user=student).exists()
    # What the student and their mentor wrote about them.
    roadbook = Roadbook.objects.get(mentorship=mentorship)
    assert all(text == "" for _name, _label, text in roadbook.sections())
    assert (roadbook.cv.name, roadbook.cv_filename) == ("", "")
    assert all(v.sections == {} and v.cv == "" for v in RoadbookVersion.objects.filter(roadbook=roadbook))
    assert set(Message.objects.filter(mentorship=mentorship).values_list("body", flat=True)) == {""}
    evaluation = Evaluation.objects.get(interview=world.objects["held_interview"])
    assert evaluation.feedback_project == evaluation.private_notes == evaluation.action_plan == ""
    assert evaluation.project_realistic == "partly"  # an answer the statistics count
    assert not RecommendedContact.objects.exists()
    assert CoachingReferral.objects.get().reason == ""
    mentorship.refresh_from_db()
    assert mentorship.message == ""
    for notice in SentNotice.objects.filter(recipient=student):
        assert (notice.subject, notice.body_text, notice.body_html, notice.email) == ("", "", "", erased_email(student))
    dump = repr(list(SentNotice.objects.values())) + repr(list(Message.objects.values()))
    for text in (SHARED_FEEDBACK, PRIVATE_ASSESSMENT, "STUDENT-MESSAGE", "MENTOR-MESSAGE", address):
        assert text not in dump


def test_the_mentor_still_reads_the_mentorship_with_no_person_attached(world, client, on_commit):
    student, mentor = world.people["student_a"], world.people["mentor_a"]
    with on_commit():
        user_erase(user=student)
    client.force_login(mentor)
    response = client.get(reverse("mentoring:mentorship", args=[world.objects["mentorship"].pk]))
    assert response.status_code == 200
    assert "Former participant" in response.content.decode()


def test_a_student_with_a_live_mentorship_leaves_it_closed_and_its_interviews_wound_down(world, on_commit):
    student = world.people["student_a"]
    with on_commit():
        user_erase(user=student)
    mentorship = Mentorship.objects.get(pk=world.objects["mentorship"].pk)
    assert mentorship.status == Mentorship.Status.CLOSED
    assert Interview.objects.get(pk=world.objects["follow_up"].pk).status not in Interview.ACTIVE
    assert Participation.objects.get(student=student).status == Participation.Status.WITHDRAWN


def test_a_mentor_with_open_mentorships_is_asked_to_close_them_first(world, client):
    mentor = world.people["mentor_a"]
    with pytest.raises(RuleError, match="still open"):
        user_erase(user=mentor)
    mentor.refresh_from_db()
    assert mentor.erased_at is None and mentor.is_active
    mentor.set_password(PASSWORD)
    mentor.save()
    client.force_login(mentor)
    response = client.post(reverse("accounts:erase"), {"password": PASSWORD})
    assert response.status_code == 200
    assert "still open" in response.content.decode()
    assert User.objects.get(pk=mentor.pk).erased_at is None


def test_a_mentor_erased_after_closing_takes_their_private_notes_not_the_students_feedback(world, on_commit):
    mentor = world.people["mentor_a"]
    Mentorship.objects.filter(enrollment__alumnus=mentor).update(status=Mentorship.Status.CLOSED)
    with on_commit():
        user_erase(user=mentor)
    evaluation = Evaluation.objects.get(interview=world.objects["held_interview"])
    assert evaluation.private_notes == ""
    assert evaluation.feedback_project == SHARED_FEEDBACK
    assert not AlumnusProfile.objects.filter(user=mentor).exists()
    # The running campaign's enrolment is withdrawn: the directory no longer offers them.
    assert MentorEnrollment.objects.get(alumnus=mentor).status == MentorEnrollment.Status.WITHDRAWN


def test_erasing_twice_is_refused(world, on_commit):
    student = world.people["student_a"]
    with on_commit():
        user_erase(user=student)
    with pytest.raises(RuleError, match="erased already"):
        user_erase(user=student)


def test_erasure_takes_the_school_sign_in_account_and_what_the_provider_said(world, on_commit):
    student = world.people["student_a"]
    SocialAccount.objects.create(
        user=student, provider="school", uid="alice", extra_data={"userinfo": {"given_name": "Alice"}}
    )
    with on_commit():
        user_erase(user=student)
    assert not SocialAccount.objects.filter(user=student).exists()


def test_the_person_erases_their_account_with_their_password(world, client, on_commit):
    student = world.people["student_a"]
    client.force_login(student)
    assert client.get(reverse("accounts:erase")).status_code == 200
    response = client.post(reverse("accounts:erase"), {"password": "not it"})
    assert response.status_code == 200
    assert "This is not your password." in response.content.decode()
    assert User.objects.get(pk=student.pk).erased_at is None
    with on_commit():
        response = client.post(reverse("accounts:erase"), {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mentoring:landing")
    assert User.objects.get(pk=student.pk).erased_at is not None
    # Signed out: the personal area asks to sign in.
    assert client.get(reverse("mentoring:me")).status_code == 302
    assert not client.login(email=student.email, password=PASSWORD)


def test_a_school_sign_in_account_is_erased_just_after_signing_in(world, client, on_commit):
    """No password to type: they confirm with their address, within minutes of signing in through
    the school's provider (a session left open on a shared computer is not enough)."""
    student = world.people["student_a"]
    student.set_unusable_password()
    student.save(update_fields=["password"])
    signed_in = timezone.now()
    with time_machine.travel(signed_in, tick=False):
        client.force_login(student)
    url = reverse("accounts:erase")
    with time_machine.travel(signed_in + timedelta(minutes=30), tick=False):
        page = client.get(url).content.decode()
        assert "Your password" not in page and "Your e-mail address" in page
        response = client.post(url, {"email": student.email})
    assert "sign in again" in response.content.decode()
    with time_machine.travel(signed_in + timedelta(minutes=5), tick=False):
        response = client.post(url, {"email": "someone@else.test"})
        assert "This is not your e-mail address." in response.content.decode()
        assert User.objects.get(pk=student.pk).erased_at is None
        with on_commit():
            response = client.post(url, {"email": student.email.upper()})
    assert response.status_code == 302
    assert User.objects.get(pk=student.pk).erased_at is not None


def test_staff_erase_from_the_admin_after_a_confirmation(world, client, staff_user, on_commit):
    student, mentor = world.people["student_a"], world.people["mentor_a"]
    client.force_login(staff_user)
    url = reverse("admin:accounts_user_changelist")
    data = {"action": "erase", helpers.ACTION_CHECKBOX_NAME: [student.pk, mentor.pk]}
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "This can&#x27;t be undone" in page or "This can't be undone" in page
    assert "still open" in page  # the mentor can't be erased yet, and the page says why
    assert User.objects.get(pk=student.pk).erased_at is None
    with on_commit():
        response = client.post(url, {**data, "apply": "yes"})
    assert response.status_code == 302
    assert User.objects.get(pk=student.pk).erased_at is not None
    assert User.objects.get(pk=mentor.pk).erased_at is None


def test_staff_can_not_delete_people_in_the_admin(client, staff_user, student):
    client.force_login(staff_user)
    assert client.get(reverse("admin:accounts_user_delete", args=[student.pk])).status_code == 403


def test_the_export_archive_of_an_erased_student_is_empty_of_them(world, client, on_commit):
    student = world.people["student_a"]
    with on_commit():
        user_erase(user=student)
    from accounts.my_data import build_zip

    archive = zipfile.ZipFile(io.BytesIO(build_zip(User.objects.get(pk=student.pk))))
    assert archive.namelist() == ["data.json"]
    assert SHARED_FEEDBACK not in archive.read("data.json").decode()


def test_guessing_the_password_to_erase_is_rationed(world, client, settings):
    settings.ACTION_RATE_LIMITS = {**settings.ACTION_RATE_LIMITS, "erase_password": "2/h"}
    student = world.people["student_a"]
    client.force_login(student)
    for _ in range(2):
        assert (
            "This is not your password." in client.post(reverse("accounts:erase"), {"password": "no"}).content.decode()
        )
    response = client.post(reverse("accounts:erase"), {"password": PASSWORD})
    assert "Too many wrong passwords" in response.content.decode()
    assert User.objects.get(pk=student.pk).erased_at is None


def test_the_statuses_erasure_changes_are_in_the_audit_trail_without_names(world, on_commit):
    from auditlog.models import LogEntry

    student = world.people["student_a"]
    name = student.get_full_name()
    with on_commit():
        user_erase(user=student)
    mentorship = Mentorship.objects.get(pk=world.objects["mentorship"].pk)
    entries = list(LogEntry.objects.get_for_object(mentorship))
    assert any(e.changes_dict.get("status") == ["accepted", "closed"] for e in entries)
    assert not LogEntry.objects.filter(object_repr__contains=name).exists()
