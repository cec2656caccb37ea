from celery import shared_task

from evaluations import reminders


@shared_task(acks_late=True)
def interview_tomorrow_task():
    return reminders.interview_tomorrow()


@shared_task(acks_late=True)
def evaluation_pending_task():
    return reminders.evaluation_pending()


@shared_task(acks_late=True)
def no_follow_up_task():
    return reminders.no_follow_up()


@shared_task(acks_late=True)
def final_form_missing_task():
    return reminders.final_form_missing()
