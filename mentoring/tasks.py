from celery import shared_task

from mentoring import services
from mentoring.notices import deliver_notice_task, requeue_undelivered_notices

__all__ = ["deliver_notice_task", "expire_requests_task", "requeue_undelivered_notices_task"]


@shared_task(acks_late=True)
def expire_requests_task():
    return services.expire_overdue_requests()


@shared_task(acks_late=True)
def requeue_undelivered_notices_task():
    return requeue_undelivered_notices()
