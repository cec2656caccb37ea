"""The default schedule installed by migrations: every sweep is a periodic task beat will run."""

import pytest
from django_celery_beat.models import PeriodicTask

from mentoring.celery import app

pytestmark = pytest.mark.django_db

SWEEPS = {
    "mentoring.tasks.expire_requests_task",
    "mentoring.tasks.requeue_undelivered_notices_task",
    "mentoring.tasks.recruitment_closing_task",
    "mentoring.tasks.matching_open_task",
    "mentoring.tasks.without_mentor_task",
    "mentoring.tasks.request_unanswered_task",
    "roadbook.tasks.roadbook_due_task",
    "roadbook.tasks.roadbook_late_task",
    "evaluations.tasks.interview_tomorrow_task",
    "evaluations.tasks.evaluation_pending_task",
    "evaluations.tasks.no_follow_up_task",
    "evaluations.tasks.final_form_missing_task",
}


def test_every_sweep_is_scheduled_and_enabled():
    scheduled = {task.task: task for task in PeriodicTask.objects.select_related("interval")}
    assert scheduled.keys() >= SWEEPS
    for name in SWEEPS:
        assert scheduled[name].enabled
        assert scheduled[name].interval.every <= 60


def test_every_scheduled_task_is_a_registered_celery_task():
    app.loader.import_default_modules()
    for task in PeriodicTask.objects.exclude(task="celery.backend_cleanup"):
        assert task.task in app.tasks, task.task


def test_staff_see_the_schedule_in_the_admin(client, staff_user):
    client.force_login(staff_user)
    content = client.get("/admin/django_celery_beat/periodictask/").content.decode()
    assert "Reminder: interview tomorrow" in content
