"""Schedules the mentoring app's reminder sweeps in Celery beat's database scheduler.

Staff see and change the schedule in the admin (Periodic tasks); the migration only creates the
rows that are missing, and its reverse removes the tasks it created.
"""

from django.db import migrations

from core import beat

SWEEPS = [
    # (name shown in the admin, task, every N minutes)
    ("Reminder: recruitment of mentors closing soon", "mentoring.tasks.recruitment_closing_task", 60),
    ("Reminder: matching is open", "mentoring.tasks.matching_open_task", 60),
    ("Reminder: students still without a mentor", "mentoring.tasks.without_mentor_task", 60),
    ("Reminder: requests left unanswered", "mentoring.tasks.request_unanswered_task", 60),
]


def schedule(apps, schema_editor):
    beat.schedule(apps, SWEEPS)


def unschedule(apps, schema_editor):
    beat.unschedule(apps, SWEEPS)


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0003_sent_notice_batch"), ("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(schedule, unschedule)]
