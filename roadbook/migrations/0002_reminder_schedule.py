"""Schedules the road-book reminder sweeps in Celery beat's database scheduler.

Staff see and change the schedule in the admin (Periodic tasks); the migration only creates the
rows that are missing, and its reverse removes the tasks it created.
"""

from django.db import migrations

from core import beat

SWEEPS = [
    # (name shown in the admin, task, every N minutes)
    ("Reminder: road-book due soon", "roadbook.tasks.roadbook_due_task", 60),
    ("Reminder: road-book late", "roadbook.tasks.roadbook_late_task", 60),
]


def schedule(apps, schema_editor):
    beat.schedule(apps, SWEEPS)


def unschedule(apps, schema_editor):
    beat.unschedule(apps, SWEEPS)


class Migration(migrations.Migration):
    dependencies = [("roadbook", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(schedule, unschedule)]
