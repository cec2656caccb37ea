"""Installs default periodic tasks in Celery beat's database scheduler, from data migrations.

Migrations pass their historical ``apps``; nothing here imports a model directly, so the
migrations that use it keep working whatever the models become.
"""

from datetime import timedelta

from django.utils import timezone


def _schedules_changed(apps):
    # Beat reloads its schedule when this timestamp moves; migrations send no model signals.
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def schedule(apps, sweeps):
    """Creates the missing (name, task, every N minutes) tasks; staff may change them afterwards."""
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minutes in sweeps:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        interval = IntervalSchedule.objects.filter(every=minutes, period="minutes").order_by("pk").first()
        if interval is None:
            interval = IntervalSchedule.objects.create(every=minutes, period="minutes")
        # A last run one interval ago makes the first run due as soon as beat starts, rather than
        # a whole interval after it (beat counts from date_changed when there is no last run).
        PeriodicTask.objects.create(
            name=name,
            task=task,
            interval=interval,
            enabled=True,
            last_run_at=timezone.now() - timedelta(minutes=minutes),
        )
    _schedules_changed(apps)


def unschedule(apps, sweeps):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, _task, _minutes in sweeps]).delete()
    # Intervals no other task uses any more.
    IntervalSchedule.objects.filter(
        every__in=[minutes for _name, _task, minutes in sweeps], period="minutes", periodictask__isnull=True
    ).delete()
    _schedules_changed(apps)
