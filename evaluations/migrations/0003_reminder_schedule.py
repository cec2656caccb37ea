"""Schedules the interview and evaluation reminder sweeps in Celery beat's database scheduler.

Staff see and change the schedule in the admin (Periodic tasks); the migration only creates the
rows that are missing, and its reverse removes the tasks it created.
"""

from django.db import migrations

from core import beat

SWEEPS = [
    # (name shown in the admin, task, every N minutes)
    ("Reminder: interview tomorrow", "evaluations.tasks.interview_tomorrow_task", 30),
    ("Reminder: evaluation form pending", "evaluations.tasks.evaluation_pending_task", 60),
    ("Reminder: no follow-up scheduled", "evaluations.tasks.no_follow_up_task", 60),
    ("Reminder: final form missing before the campaign ends", "evaluations.tasks.final_form_missing_task", 60),
]


def schedule(apps, schema_editor):
    beat.schedule(apps, SWEEPS)


def unschedule(apps, schema_editor):
    beat.unschedule(apps, SWEEPS)


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0002_evaluations_and_coaching"), ("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(schedule, unschedule)]
