"""Schedules the daily purge of delivered notices' bodies (NOTICE_BODY_RETENTION_DAYS) in Celery
beat's database scheduler. The reverse removes the task."""

from django.db import migrations

from core import beat

SWEEPS = [
    # (name shown in the admin, task, every N minutes)
    ("Drop the bodies of old delivered notices", "core.tasks.purge_notice_bodies_task", 24 * 60),
]


def schedule(apps, schema_editor):
    beat.schedule(apps, SWEEPS)


def unschedule(apps, schema_editor):
    beat.unschedule(apps, SWEEPS)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_notice_queued_at_and_undelivered_index"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
