"""Schedules the retention sweep (mentoring.retention) in Celery beat's database scheduler.

Staff see and change the schedule in the admin (Periodic tasks); the migration only creates the
row when missing, and its reverse removes it.
"""

from django.db import migrations

from core import beat

SWEEPS = [
    # (name shown in the admin, task, every N minutes)
    ("Data protection: retention sweep", "mentoring.tasks.retention_sweep_task", 60),
]


def schedule(apps, schema_editor):
    beat.schedule(apps, SWEEPS)


def unschedule(apps, schema_editor):
    beat.unschedule(apps, SWEEPS)


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0009_retention"), ("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(schedule, unschedule)]
