from celery import shared_task

from roadbook import reminders


@shared_task(acks_late=True)
def roadbook_due_task():
    return reminders.roadbook_due()


@shared_task(acks_late=True)
def roadbook_late_task():
    return reminders.roadbook_late()
