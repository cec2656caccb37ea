"""The outbox's tasks, here for Celery's autodiscovery of ``<app>.tasks``; defined in ``core.notices``.

Importing this module in the worker also connects ``core.worker_memory``'s signal handlers.
"""

from core import worker_memory  # noqa: F401  (connects the worker's memory release)
from core.notices import (
    deliver_notice_task,
    deliver_notices_task,
    purge_notice_bodies_task,
    requeue_undelivered_notices_task,
    send_digests_task,
)

__all__ = [
    "deliver_notice_task",
    "deliver_notices_task",
    "purge_notice_bodies_task",
    "requeue_undelivered_notices_task",
    "send_digests_task",
]
