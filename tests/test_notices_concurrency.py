"""Two workers sending the same notice at once send one mail (PostgreSQL: real row locks)."""

import threading

import pytest
from django.core import mail
from django.db import connection

from accounts.factories import StudentFactory
from mentoring.models import SentNotice
from mentoring.notices import send_notice


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sends_of_one_notice_send_one_mail():
    student = StudentFactory()
    barrier = threading.Barrier(8)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(send_notice("welcome", recipient=student, obj=student))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False] * 7 + [True]
    assert len(mail.outbox) == 1
    assert SentNotice.objects.count() == 1
