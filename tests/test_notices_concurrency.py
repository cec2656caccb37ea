"""Two workers sending the same notice at once send one mail (PostgreSQL: real row locks)."""

import threading
import time
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection

from accounts.factories import StudentFactory
from core.models import SentNotice
from core.notices import deliver_notice, send_notice

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_concurrently(call, times=8):
    barrier = threading.Barrier(times)
    results, errors = [], []

    def worker():
        try:
            connection.ensure_connection()  # so that the calls, not the connections, race
            barrier.wait()
            results.append(call())
        except Exception as error:  # recorded, so that the test fails on it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_concurrent_sends_of_one_notice_send_one_mail():
    student = StudentFactory()

    results, errors = run_concurrently(lambda: send_notice("welcome", recipient=student, obj=student))

    assert errors == []
    assert sorted(results) == [False] * 7 + [True]
    assert len(mail.outbox) == 1
    assert SentNotice.objects.count() == 1


def test_concurrent_deliveries_of_one_notice_send_one_mail():
    student = StudentFactory()
    # Queued without its delivery task: eight workers (a redelivered task, the re-queue sweep…)
    # then deliver the same row at once.
    with mock.patch("core.notices.deliver_notices_task.delay"):
        send_notice("welcome", recipient=student, obj=student)
    notice = SentNotice.objects.get()

    send_messages = locmem.EmailBackend.send_messages

    def slow_smtp(backend, messages):
        # A real SMTP exchange takes a while: long enough for every worker to look at the row.
        time.sleep(0.2)
        return send_messages(backend, messages)

    with mock.patch.object(locmem.EmailBackend, "send_messages", slow_smtp):
        results, errors = run_concurrently(lambda: deliver_notice(notice.pk))

    assert errors == []
    assert sorted(results) == [False] * 7 + [True]
    assert len(mail.outbox) == 1
    notice.refresh_from_db()
    assert notice.delivered_at is not None
    assert notice.attempts == 1
