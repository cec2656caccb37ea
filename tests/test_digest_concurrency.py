"""Sweeps of the daily digest running at once send each person one digest (PostgreSQL: real row locks)."""

import pytest
from django.core import mail

from accounts.factories import AlumnusFactory, StudentFactory
from core.models import SentNotice
from core.notices import DIGEST, send_digests, send_notice
from tests.test_notices_concurrency import run_concurrently

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_sweeps_send_each_person_one_digest():
    people = AlumnusFactory.create_batch(3)
    for person in people:
        for other in StudentFactory.create_batch(4):
            send_notice("welcome", recipient=person, obj=other, held=True)
    assert mail.outbox == []

    results, errors = run_concurrently(send_digests)

    assert errors == []
    assert sum(results) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert all(m.subject == "Your daily summary: 4 notices" for m in mail.outbox)
    held = SentNotice.objects.filter(held=True)
    assert held.count() == 12
    assert not held.filter(delivered_at__isnull=True).exists()
    # Each person's notices went out in one digest, of one sweep.
    for person in people:
        assert held.filter(recipient=person).values("digest").distinct().count() == 1
    assert SentNotice.objects.filter(kind=DIGEST).count() == 3
