"""Twenty workers running one sweep at once send each reminder once (PostgreSQL)."""

import threading

import pytest
from django.core import mail
from django.db import connection

from core.models import SentNotice
from mentoring import reminders
from mentoring.factories import CampaignFactory, ParticipationFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_concurrent_runs_of_a_sweep_send_each_mail_once():
    campaign = CampaignFactory.in_matching()
    students = [p.student for p in ParticipationFactory.create_batch(15, campaign=campaign)]
    barrier = threading.Barrier(20)
    counts, errors = [], []

    def run():
        try:
            barrier.wait()
            counts.append(reminders.matching_open())
        except Exception as error:  # recorded and asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(counts) == 15
    assert SentNotice.objects.filter(kind="matching_open").count() == 15
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.email for s in students)
