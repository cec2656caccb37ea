"""Schedules the mentoring app's periodic sweeps in Celery beat's database scheduler.

Staff may change the intervals or disable a sweep in the admin; the migration only creates the
rows that are missing, and its reverse removes the tasks it created.
"""

from django.db import migrations

from core import beat

SWEEPS = [
    # (name shown in the admin, task, every N minutes)
    ("Expire unanswered mentorship requests", "mentoring.tasks.expire_requests_task", 15),
    ("Re-queue undelivered notices", "mentoring.tasks.requeue_undelivered_notices_task", 10),
]


def schedule_sweeps(apps, schema_editor):
    beat.schedule(apps, SWEEPS)


def unschedule_sweeps(apps, schema_editor):
    beat.unschedule(apps, SWEEPS)


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule_sweeps, unschedule_sweeps)]
