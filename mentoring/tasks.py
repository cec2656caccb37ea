from celery import shared_task

from mentoring import services
from mentoring.notices import deliver_notice_task

__all__ = ["deliver_notice_task", "expire_requests_task"]


@shared_task(acks_late=True)
def expire_requests_task():
    return services.expire_overdue_requests()
