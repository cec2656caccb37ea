"""A worker hands back the memory a large task used (issue 14.2: it returns to its idle memory)."""

import os
import subprocess
import sys
from unittest import mock

import pytest
from django.conf import settings

from core import worker_memory
from core.notices import requeue_undelivered_notices_task

pytestmark = pytest.mark.django_db


def test_a_task_that_grew_the_worker_releases_its_memory():
    readings = iter([100.0, 100.0 + worker_memory.RELEASE_ABOVE_MB + 20, 101.0])
    with (
        mock.patch.object(worker_memory, "rss_mb", side_effect=lambda: next(readings)),
        mock.patch.object(worker_memory, "release_memory") as release,
    ):
        requeue_undelivered_notices_task.apply()
    release.assert_called_once()


def test_a_small_task_releases_nothing():
    readings = iter([100.0, 101.0])
    with (
        mock.patch.object(worker_memory, "rss_mb", side_effect=lambda: next(readings)),
        mock.patch.object(worker_memory, "release_memory") as release,
    ):
        requeue_undelivered_notices_task.apply()
    release.assert_not_called()


def test_releasing_memory_works_here():
    assert worker_memory.rss_mb() > 0
    worker_memory.release_memory()  # glibc's malloc_trim on Linux; gc only elsewhere


def test_loading_the_urls_does_not_load_the_pdf_engine():
    """A Celery worker loads the URLs to link its mails and never draws a PDF: WeasyPrint (a sixth
    of an idle process's memory) waits for the first rendering."""
    script = (
        "import sys, django; django.setup(); from django.urls import get_resolver; "
        "get_resolver().url_patterns; from mentoring.celery import app; import core.tasks; "
        "sys.exit('weasyprint' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "mentoring.settings_test"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr or "WeasyPrint was imported with the URLs"


def test_a_worker_process_that_stays_large_is_replaced():
    from mentoring.celery import app

    assert app.conf.worker_max_memory_per_child == settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD > 150_000
