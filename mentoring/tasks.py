from celery import shared_task

from mentoring import reminders, retention, services


@shared_task(acks_late=True)
def expire_requests_task():
    return services.expire_overdue_requests()


@shared_task(acks_late=True)
def recruitment_closing_task():
    return reminders.recruitment_closing()


@shared_task(acks_late=True)
def matching_open_task():
    return reminders.matching_open()


@shared_task(acks_late=True)
def without_mentor_task():
    return reminders.without_mentor()


@shared_task(acks_late=True)
def request_unanswered_task():
    return reminders.request_unanswered()


@shared_task(acks_late=True)
def retention_sweep_task():
    return retention.retention_sweep()
