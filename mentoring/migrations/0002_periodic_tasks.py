"""Schedules the mentoring app's periodic sweeps in Celery beat's database scheduler.

Staff may change the intervals or disable a sweep in the admin; the migration only creates the
rows that are missing, and its reverse removes the tasks it created.
"""

from django.db import migrations
from django.utils import timezone

SWEEPS = [
    # (name shown in the admin, task, every N minutes)
    ("Expire unanswered mentorship requests", "mentoring.tasks.expire_requests_task", 15),
    ("Re-queue undelivered notices", "mentoring.tasks.requeue_undelivered_notices_task", 10),
]


def _schedules_changed(apps):
    # The beat scheduler reloads its schedule when this timestamp moves; migrations do not send
    # the model signals that normally move it.
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def schedule_sweeps(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minutes in SWEEPS:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        interval = IntervalSchedule.objects.filter(every=minutes, period="minutes").order_by("pk").first()
        if interval is None:
            interval = IntervalSchedule.objects.create(every=minutes, period="minutes")
        PeriodicTask.objects.create(name=name, task=task, interval=interval, enabled=True)
    _schedules_changed(apps)


def unschedule_sweeps(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, _task, _minutes in SWEEPS]).delete()
    # Intervals no other task uses any more.
    IntervalSchedule.objects.filter(
        every__in=[minutes for _name, _task, minutes in SWEEPS], period="minutes", periodictask__isnull=True
    ).delete()
    _schedules_changed(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule_sweeps, unschedule_sweeps)]
