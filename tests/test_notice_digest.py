"""Held notices wait for the daily digest: one mail per person, once, in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.factories import AlumnusFactory, StudentFactory
from core.models import SentNotice
from core.notices import (
    DIGEST,
    Notice,
    action,
    deliver_notice,
    requeue_undelivered_notices,
    send_digests,
    send_notice,
    send_notices,
)

pytestmark = pytest.mark.django_db


def hold(person, obj, label="Open", path="/me/"):
    return send_notice("welcome", recipient=person, obj=obj, held=True, context=action(path, label))


def test_a_held_notice_is_written_but_not_mailed(student, on_commit):
    with on_commit():
        assert hold(student, student)
    assert mail.outbox == []
    notice = SentNotice.objects.get()
    assert notice.held and notice.delivered_at is None
    assert notice.link.endswith("/me/")


def test_nothing_but_the_digest_delivers_a_held_notice(student, on_commit):
    with on_commit():
        hold(student, student)
    notice = SentNotice.objects.get()
    assert deliver_notice(notice.pk) is False
    assert requeue_undelivered_notices(now=timezone.now() + timedelta(days=1)) == 0
    assert mail.outbox == []
    notice.refresh_from_db()
    assert notice.attempts == 0


def test_the_key_is_the_same_held_or_not(student, on_commit):
    with on_commit():
        assert hold(student, student)
        assert not send_notice("welcome", recipient=student, obj=student)
    assert SentNotice.objects.count() == 1


def test_one_digest_per_person_listing_their_notices_then_nothing(on_commit):
    first, second = AlumnusFactory(), AlumnusFactory()
    others = StudentFactory.create_batch(3)
    with on_commit():
        for index, other in enumerate(others):
            hold(first, other, label="x", path=f"/mentorships/{index}/")
        hold(second, second)
        send_notice("welcome", recipient=first, obj=first)  # not held: leaves at once
    assert [m.to for m in mail.outbox] == [[first.email]]
    mail.outbox.clear()

    with on_commit():
        assert send_digests() == 2
    digests = {m.to[0]: m for m in mail.outbox}
    assert digests.keys() == {first.email, second.email}
    assert digests[first.email].subject == "Your daily summary: 3 notices"
    assert digests[second.email].subject == "Your daily summary: 1 notice"
    assert digests[first.email].body.count("/mentorships/") == 3
    assert not SentNotice.objects.filter(held=True, delivered_at__isnull=True).exists()
    assert SentNotice.objects.filter(kind=DIGEST, delivered_at__isnull=False).count() == 2

    mail.outbox.clear()
    with on_commit():
        assert send_digests() == 0
    assert mail.outbox == []


def test_a_notice_held_after_a_sweep_goes_in_the_next_digest(student, on_commit):
    with on_commit():
        hold(student, student)
        send_digests()
        hold(student, AlumnusFactory())
        send_digests()
    assert len(mail.outbox) == 2
    assert SentNotice.objects.filter(kind=DIGEST, recipient=student).count() == 2


def test_the_digest_is_in_the_recipients_language(on_commit):
    person = AlumnusFactory(language="fr")
    with on_commit():
        hold(person, person)
        send_digests()
    assert mail.outbox[0].subject == "Votre résumé du jour : 1 notification"


def _sweep_queries(people, each):
    for person in AlumnusFactory.create_batch(people):
        for other in StudentFactory.create_batch(each):
            hold(person, other)
    with CaptureQueriesContext(connection) as queries:
        send_digests()
    return len(queries)


def test_a_sweep_takes_the_same_number_of_queries_whatever_it_sends(on_commit):
    with on_commit():
        few = _sweep_queries(1, 1)
        many = _sweep_queries(12, 4)
    assert few == many


def test_a_notice_goes_to_a_user_or_to_an_address():
    with pytest.raises(ValueError, match="address"):
        Notice(None, object())
    with pytest.raises(ValueError, match="digest"):
        Notice(None, object(), email="career@school.test", held=True)


def test_a_notice_to_an_address_greets_no_one_and_is_keyed_by_the_address(student, on_commit):
    with on_commit():
        notices = [Notice(None, student, email="career@school.test"), Notice(None, student, email="CAREER@school.test")]
        assert send_notices("welcome", notices) == 1
        assert send_notices("welcome", [Notice(None, student, email="other@school.test")]) == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["career@school.test", "other@school.test"]
    assert mail.outbox[0].body.startswith("Hello,\n")
