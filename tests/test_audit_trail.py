"""The audit trail (issue 12, point 4): a row for each read of a road-book, a CV, an evaluation,
their PDFs and an export, and for each status change; shown to staff on the record, and to the
student for their road-book."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.factories import StaffFactory
from core.audit import record_access
from core.models import AccessRecord
from evaluations.models import CoachingReferral, Evaluation
from evaluations.services.coaching import coaching_request
from mentoring.models import MentorEnrollment, Mentorship
from mentoring.services import enrollment_approve, mentorship_close
from roadbook.models import Roadbook
from tests.access_matrix_objects import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world(None)


def _read(response):
    """Reads a file response to its end. Not ``close()``: that sends request_finished, which
    closes the test's database connection on PostgreSQL."""
    if response.streaming:
        b"".join(response.streaming_content)
        for closable in response._resource_closers:
            closable()
    return response


def _reads(obj):
    return list(
        AccessRecord.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
        .order_by("pk")
        .values_list("actor", "what")
    )


def _changes(obj):
    return [(e.actor_id, e.changes_dict) for e in LogEntry.objects.get_for_object(obj).order_by("pk")]


@pytest.mark.parametrize(
    ("url", "what"),
    [("roadbook:edit", "page"), ("roadbook:pdf", "pdf"), ("roadbook:cv", "cv")],
)
def test_each_read_of_a_roadbook_by_the_mentor_or_staff_is_recorded(world, client, url, what):
    mentorship = world.objects["mentorship"]
    roadbook = Roadbook.objects.get(mentorship=mentorship)
    for role in ("mentor_a", "staff", "student_a"):
        client.force_login(world.people[role])
        response = client.get(reverse(url, args=[mentorship.pk]))
        assert response.status_code == 200
        _read(response)
    # The student's own reads are theirs: not in the trail.
    assert _reads(roadbook) == [(world.people["mentor_a"].pk, what), (world.people["staff"].pk, what)]


@pytest.mark.parametrize(("url", "what"), [("evaluations:evaluation", "page"), ("evaluations:evaluation_pdf", "pdf")])
def test_each_read_of_an_evaluation_is_recorded(world, client, url, what):
    interview = world.objects["held_interview"]
    for role in ("staff", "mentor_a", "student_a"):
        client.force_login(world.people[role])
        assert client.get(reverse(url, args=[interview.pk])).status_code == 200
    evaluation = Evaluation.objects.get(interview=interview)
    assert _reads(evaluation) == [(world.people["staff"].pk, what), (world.people["mentor_a"].pk, what)]


def test_an_export_is_recorded(world, client):
    student = world.people["student_a"]
    client.force_login(student)
    client.post(reverse("accounts:export"))
    _read(client.get(reverse("accounts:export_download", args=[world.objects["export"].pk])))
    assert _reads(student) == [(student.pk, "export"), (student.pk, "export")]


def test_opening_a_record_in_the_admin_is_recorded_and_shows_its_trail(world, client):
    staff = world.people["staff"]
    roadbook = Roadbook.objects.get(mentorship=world.objects["mentorship"])
    client.force_login(world.people["mentor_a"])
    _read(client.get(reverse("roadbook:pdf", args=[roadbook.mentorship_id])))
    client.force_login(staff)
    page = client.get(reverse("admin:roadbook_roadbook_change", args=[roadbook.pk])).content.decode()
    assert "audit trail" in page.lower()
    assert world.people["mentor_a"].get_full_name() in page
    assert "opened (PDF)" in page
    assert _reads(roadbook)[-1] == (staff.pk, "page")


def test_status_changes_are_recorded_with_who_made_them(world, client, on_commit):
    mentorship = world.objects["mentorship"]
    student = world.people["student_a"]
    referral = world.objects["referral"]
    # Through a page: auditlog's middleware knows who.
    client.force_login(student)
    with on_commit():
        assert client.post(reverse("evaluations:request_coaching", args=[referral.pk])).status_code == 302
    assert _changes(referral)[-1] == (student.pk, {"status": ["recommended", "requested"]})
    # A service called outside a request (a task, the admin's action): no actor, still traced.
    with on_commit():
        mentorship_close(mentorship=mentorship)
    assert _changes(Mentorship.objects.get(pk=mentorship.pk))[-1] == (None, {"status": ["accepted", "closed"]})
    enrollment = MentorEnrollment.objects.create(
        alumnus=world.people["staff"], campaign=mentorship.campaign, capacity=1, offers_video=True
    )
    with on_commit():
        enrollment_approve(enrollment=enrollment)
    assert _changes(enrollment)[-1][1] == {"status": ["applied", "approved"]}
    # A save() that changes a status (the road-book sent) is seen by auditlog itself.
    roadbook = Roadbook.objects.get(mentorship=mentorship)
    assert any(changes.get("status") == ["draft", "submitted"] for _actor, changes in _changes(roadbook))


def test_coaching_request_outside_a_page_is_traced_too(world, on_commit):
    referral = world.objects["referral"]
    with on_commit():
        coaching_request(referral=referral, student=world.people["student_a"])
    assert CoachingReferral.objects.get(pk=referral.pk).status == "requested"
    assert _changes(referral)[-1][1] == {"status": ["recommended", "requested"]}


def test_the_student_sees_who_read_their_roadbook(world, client):
    mentorship = world.objects["mentorship"]
    mentor = world.people["mentor_a"]
    client.force_login(mentor)
    _read(client.get(reverse("roadbook:cv", args=[mentorship.pk])))
    client.force_login(world.people["staff"])
    client.get(reverse("roadbook:edit", args=[mentorship.pk]))
    client.force_login(world.people["student_a"])
    page = client.get(reverse("roadbook:edit", args=[mentorship.pk])).content.decode()
    assert "Who read your road-book" in page
    assert f"{mentor.get_full_name()} (your mentor) · CV" in page
    assert f"{world.people['staff'].get_full_name()} (Alumni Career Department) · page" in page


def test_opening_a_road_book_not_sent_yet_is_not_a_read(client, on_commit):
    """The mentor's page of a road-book not sent yet shows none of it: the student is not told
    that their mentor read it."""
    from evaluations.factories import InterviewFactory
    from mentoring.factories import CampaignFactory
    from roadbook.factories import RoadbookFactory
    from roadbook.services import roadbook_submit

    CampaignFactory.in_matching()
    roadbook = RoadbookFactory(mentorship=InterviewFactory.confirmed().mentorship)
    mentorship = roadbook.mentorship
    client.force_login(mentorship.mentor)
    assert client.get(reverse("roadbook:edit", args=[mentorship.pk])).status_code == 200
    assert _reads(roadbook) == []
    with on_commit():
        roadbook_submit(roadbook=roadbook, student=mentorship.student)
    assert client.get(reverse("roadbook:edit", args=[mentorship.pk])).status_code == 200
    assert _reads(roadbook) == [(mentorship.mentor.pk, "page")]


def test_the_trail_says_changes_with_the_fields_and_values_people_read(world, client):
    """Staff read "status: draft → sent" in their language, not the stored values."""
    from django.utils import translation

    from core.audit import trail

    roadbook = Roadbook.objects.get(mentorship=world.objects["mentorship"])
    LogEntry.objects.log_create(
        roadbook, action=LogEntry.Action.UPDATE, changes={"status": ["draft", "submitted"], "cv": ["None", "x"]}
    )
    with translation.override("en"):
        row = next(row for row in trail(roadbook) if "CV" in row.what)
    assert (
        row.what
        == f"changed: status: {Roadbook.Status.DRAFT.label} → {Roadbook.Status.SUBMITTED.label}; CV (PDF): — → x"
    )
    with translation.override("fr"):
        row = next(row for row in trail(roadbook) if "CV" in row.what)
    assert row.what.startswith("modifié : statut : ")


def test_the_readers_list_takes_the_same_queries_for_2_and_12_readers(world, client):
    mentorship = world.objects["mentorship"]
    roadbook = Roadbook.objects.get(mentorship=mentorship)
    url = reverse("roadbook:edit", args=[mentorship.pk])
    client.force_login(world.people["student_a"])

    def read_by(n):
        for _ in range(n):
            record_access(StaffFactory(), roadbook, AccessRecord.What.PAGE)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        assert (
            page.count("(Alumni Career Department) · page") == AccessRecord.objects.filter(actor__is_staff=True).count()
        )
        return len(queries)

    assert read_by(2) == read_by(10)
