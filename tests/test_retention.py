"""Retention (issue 12, point 3): 30 days before a campaign's retention ends its students are
told; once it has ended, road-books, CVs, evaluations' text and messages are erased in bounded
batches, exactly once (a second run changes nothing); old notices lose their text and old audit
rows go."""

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from auditlog.models import LogEntry
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from accounts.models import DataExport
from core.models import AccessRecord, SentNotice
from evaluations.models import CoachingReferral, Evaluation, Interview, RecommendedContact
from mentoring.models import Mentorship, Message
from mentoring.retention import retention_sweep
from mentoring.services import message_post
from mentoring.tasks import retention_sweep_task
from roadbook.models import Roadbook, RoadbookVersion
from tests.access_matrix_objects import PRIVATE_ASSESSMENT, SHARED_FEEDBACK, build_world

pytestmark = pytest.mark.django_db


def _everything():
    """Every row of the project's tables and of the audit trail."""
    rows = {
        model._meta.label: list(model.objects.order_by("pk").values())
        for label in ("core", "accounts", "mentoring", "roadbook", "evaluations")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }
    rows["auditlog"] = list(LogEntry.objects.order_by("pk").values())
    return rows


def _files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file() and p.parent.name == "cv") if root.exists() else []


@pytest.fixture
def world(on_commit):
    with on_commit():
        world = build_world(None)
        mentorship = world.objects["mentorship"]
        message_post(mentorship=mentorship, author=world.people["student_a"], body="STUDENT-MESSAGE")
        RecommendedContact.objects.create(evaluation=world.objects["held_interview"].evaluation, name="Jeanne Contact")
    return world


def test_students_are_told_30_days_before_once(world, on_commit):
    campaign = world.objects["mentorship"].campaign
    student = world.people["student_a"]
    with time_machine.travel(campaign.retention_ends - timedelta(days=31)), on_commit():
        assert retention_sweep()["notices"] == 0
    mail.outbox.clear()
    with time_machine.travel(campaign.retention_ends - timedelta(days=29)), on_commit():
        assert retention_sweep()["notices"] == 2  # student A, and the stranger student B
        assert retention_sweep()["notices"] == 0
    to_a = [m for m in mail.outbox if m.to == [student.email]]
    assert len(to_a) == 1
    assert reverse("accounts:export") in to_a[0].body
    # Nothing is erased before the date.
    assert Roadbook.objects.get(mentorship=world.objects["mentorship"]).professional_project


def test_past_retention_personal_data_goes_statistics_stay_and_a_second_run_changes_nothing(world, on_commit):
    mentorship = world.objects["mentorship"]
    campaign = mentorship.campaign
    files = _files()
    assert files
    statuses = list(Mentorship.objects.order_by("pk").values_list("status", "requested_at"))
    with time_machine.travel(campaign.retention_ends + timedelta(hours=1)):
        with on_commit():
            result = retention_sweep()
        assert result["mentorships"] == 2
        roadbook = Roadbook.objects.get(mentorship=mentorship)
        assert all(text == "" for _n, _l, text in roadbook.sections()) and not roadbook.cv
        assert RoadbookVersion.objects.get(roadbook=roadbook).sections == {}
        assert set(Message.objects.values_list("body", flat=True)) == {""}
        evaluation = Evaluation.objects.get(interview=world.objects["held_interview"])
        assert evaluation.feedback_project == evaluation.private_notes == ""
        assert evaluation.status == Evaluation.Status.COMPLETED and evaluation.project_realistic == "partly"
        assert not RecommendedContact.objects.exists()
        assert set(CoachingReferral.objects.values_list("reason", flat=True)) == {""}
        assert Interview.objects.filter(mentorship=mentorship).count() == 2
        assert list(Mentorship.objects.order_by("pk").values_list("status", "requested_at")) == statuses
        assert not any(path.exists() for path in files)
        dump = repr(_everything())
        for text in (SHARED_FEEDBACK, PRIVATE_ASSESSMENT, "STUDENT-MESSAGE", "Jeanne Contact"):
            assert text not in dump
        before = _everything()
        with on_commit():
            assert retention_sweep() == {"notices": 0, "mentorships": 0, "records": 0}
        assert _everything() == before


def test_the_sweep_works_in_bounded_batches(world, settings, on_commit):
    settings.RETENTION_BATCH_SIZE = 1
    campaign = world.objects["mentorship"].campaign
    with time_machine.travel(campaign.retention_ends + timedelta(hours=1)), on_commit():
        assert retention_sweep()["mentorships"] == 1
        assert Mentorship.objects.filter(data_erased_at__isnull=True).count() == 1
        assert retention_sweep()["mentorships"] == 1
        assert retention_sweep()["mentorships"] == 0


def test_a_campaigns_retention_period_is_editable(world, on_commit):
    campaign = world.objects["mentorship"].campaign
    campaign.retention_months = 24
    campaign.save()
    with time_machine.travel(campaign.campaign_ends + timedelta(days=400)), on_commit():
        assert retention_sweep()["mentorships"] == 0
    with time_machine.travel(campaign.campaign_ends + timedelta(days=740)), on_commit():
        assert retention_sweep()["mentorships"] == 2


def test_old_notices_lose_their_text_and_old_audit_rows_go(world, settings, on_commit):
    settings.RETENTION_MONTHS = 12
    assert SentNotice.objects.exclude(body_text="").exists()
    AccessRecord.objects.create(
        actor=world.people["mentor_a"],
        content_type_id=SentNotice.objects.first().content_type_id,
        object_id=1,
        what="page",
    )
    assert LogEntry.objects.exists()
    # Before the campaign's own retention: only the clock of RETENTION_MONTHS applies.
    settings.RETENTION_BATCH_SIZE = 1000
    with time_machine.travel(timezone.now() + timedelta(days=370)):
        with on_commit():
            retention_sweep()
        assert (
            not SentNotice.objects.exclude(body_text="")
            .filter(created_at__lt=timezone.now() - timedelta(days=366))
            .exists()
        )
        assert not AccessRecord.objects.exists()
        assert not LogEntry.objects.filter(timestamp__lt=timezone.now() - timedelta(days=366)).exists()
        assert SentNotice.objects.exists()  # the rows stay: a notice is still never sent twice


def test_the_sweep_is_scheduled_by_beat(world):
    task = PeriodicTask.objects.get(task="mentoring.tasks.retention_sweep_task")
    assert task.enabled and task.interval.every == 60
    assert retention_sweep_task() == {"notices": 0, "mentorships": 0, "records": 0}


def test_expired_data_exports_are_deleted_with_their_file(world, on_commit):
    export = world.objects["export"]
    path = Path(export.file.path)
    assert path.exists()
    with time_machine.travel(export.expires_at - timedelta(minutes=1)), on_commit():
        retention_sweep()
    assert path.exists()
    with time_machine.travel(export.expires_at + timedelta(minutes=1)), on_commit():
        assert retention_sweep()["records"] == 1
    assert not path.exists()
    assert not DataExport.objects.exists()
