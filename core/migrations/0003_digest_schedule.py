"""Schedules the daily digest of held notices in Celery beat's database scheduler.

Every 24 hours from the first start of beat; staff may move it in the admin (Periodic tasks). The
reverse removes the task.
"""

from django.db import migrations

from core import beat

SWEEPS = [
    # (name shown in the admin, task, every N minutes)
    ("Daily digest of notices", "core.tasks.send_digests_task", 24 * 60),
]


def schedule(apps, schema_editor):
    beat.schedule(apps, SWEEPS)


def unschedule(apps, schema_editor):
    beat.unschedule(apps, SWEEPS)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_notice_digest_and_addresses"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
