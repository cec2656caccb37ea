"""The accounts app's Celery tasks, here for Celery's autodiscovery of ``<app>.tasks``."""

from accounts.my_data import build_export_task

__all__ = ["build_export_task"]
