"""Bulk sending (issue 14.2): a send reads its notices in chunks, queues one delivery task per
batch of notices, and a batch delivers over one SMTP session, retrying only what failed."""

import smtplib
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.mail.backends import locmem
from django.db import DataError, connection, transaction
from django.utils.translation import gettext_lazy

from accounts.factories import StudentFactory
from accounts.models import User
from core import notices
from core.models import SentNotice, SentNoticeQuerySet
from core.notices import Notice, deliver_notices, deliver_notices_task, render_notice, send_notices
from mentoring.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def _students(n):
    return User.objects.bulk_create(
        User(email=f"student{i}@example.org", first_name=f"First{i}", last_name="Last", role=User.Role.STUDENT)
        for i in range(n)
    )


def test_deliveries_are_queued_in_batches_not_one_task_per_mail(on_commit):
    people = _students(250)
    with mock.patch("core.notices.deliver_notices_task.delay") as delay, on_commit():
        assert send_notices("welcome", (Notice(person, person) for person in people)) == 250
    batches = [call.args[0] for call in delay.call_args_list]
    assert [len(batch) for batch in batches] == [100, 100, 50]
    assert sorted(pk for batch in batches for pk in batch) == sorted(SentNotice.objects.values_list("pk", flat=True))
    assert SentNotice.objects.filter(queued_at__isnull=True).count() == 0


def test_a_send_larger_than_a_chunk_sends_each_notice_once(on_commit, monkeypatch):
    monkeypatch.setattr(notices, "CHUNK_SIZE", 7)
    people = _students(30)
    with on_commit():
        # A repeated item in another chunk is skipped like a key already sent.
        assert send_notices("welcome", [Notice(person, person) for person in [*people, people[0], people[20]]]) == 30
        assert send_notices("welcome", (Notice(person, person) for person in people)) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)


def test_a_mail_to_many_is_rendered_as_if_for_each_alone(on_commit):
    # Notices sharing one context share its rendering: the greeting, the language and the escaping
    # are still each recipient's.
    campaign = CampaignFactory.in_matching()
    people = [
        StudentFactory(first_name="Ann"),
        StudentFactory(first_name="Zoé", language="fr"),
        StudentFactory(first_name="<b>O'Brien</b> & co"),
    ]
    context = {"campaign": campaign, **notices.action("/mentors/", "Find a mentor")}
    with mock.patch("core.notices.deliver_notices_task.delay"), on_commit():
        send_notices("matching_open", (Notice(person, campaign, context) for person in people))
    for person in people:
        stored = SentNotice.objects.get(recipient=person)
        assert (stored.subject, stored.body_text, stored.body_html) == render_notice("matching_open", person, context)
    assert "Hello <b>O'Brien</b> & co," in SentNotice.objects.get(recipient=people[2]).body_text
    assert "Hello &lt;b&gt;O&#x27;Brien&lt;/b&gt; &amp; co," in SentNotice.objects.get(recipient=people[2]).body_html
    assert "Bonjour Zoé" in SentNotice.objects.get(recipient=people[1]).body_text


def _queued(n, django_capture_on_commit_callbacks):
    people = _students(n)
    with django_capture_on_commit_callbacks(execute=False):
        send_notices("welcome", (Notice(person, person) for person in people))
    return list(SentNotice.objects.order_by("pk").values_list("pk", flat=True))


def _failing_for(*addresses):
    send_messages = locmem.EmailBackend.send_messages

    def send(backend, messages):
        if messages[0].to[0] in addresses:
            raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"no")})
        return send_messages(backend, messages)

    return send


def test_a_batch_delivers_the_others_and_gives_back_the_one_that_failed(django_capture_on_commit_callbacks):
    ids = _queued(5, django_capture_on_commit_callbacks)
    with mock.patch.object(locmem.EmailBackend, "send_messages", _failing_for("student2@example.org")):
        again, error = deliver_notices(ids)
    assert again == [ids[2]]
    assert isinstance(error, smtplib.SMTPRecipientsRefused)
    assert len(mail.outbox) == 4
    assert SentNotice.objects.filter(delivered_at__isnull=True).get().pk == ids[2]


def test_a_batch_stops_when_the_server_is_down_and_gives_back_the_rest(django_capture_on_commit_callbacks):
    ids = _queued(10, django_capture_on_commit_callbacks)
    with mock.patch.object(
        locmem.EmailBackend, "send_messages", side_effect=smtplib.SMTPServerDisconnected("down")
    ) as send:
        again, _error = deliver_notices(ids)
    assert send.call_count == notices.FAILURES_IN_A_ROW
    assert again == ids
    assert SentNotice.objects.filter(attempts=1).count() == notices.FAILURES_IN_A_ROW
    assert mail.outbox == []


def test_the_batch_task_retries_only_what_failed(django_capture_on_commit_callbacks):
    ids = _queued(4, django_capture_on_commit_callbacks)
    with (
        mock.patch.object(locmem.EmailBackend, "send_messages", _failing_for("student1@example.org")),
        mock.patch.object(deliver_notices_task, "retry", side_effect=Retry("retrying")) as retry,
        pytest.raises(Retry),
    ):
        deliver_notices_task.run(ids)
    assert retry.call_args.kwargs["args"] == [[ids[1]]]
    assert retry.call_args.kwargs["countdown"] == 30
    assert len(mail.outbox) == 3
    assert deliver_notices_task.acks_late


def test_a_bug_in_one_mail_does_not_hold_up_the_batch(django_capture_on_commit_callbacks, caplog):
    ids = _queued(3, django_capture_on_commit_callbacks)
    send_messages = locmem.EmailBackend.send_messages

    def send(backend, messages):
        if messages[0].to[0] == "student0@example.org":
            raise KeyError("bug")
        return send_messages(backend, messages)

    with mock.patch.object(locmem.EmailBackend, "send_messages", send):
        assert deliver_notices(ids) == ([], None)
    assert len(mail.outbox) == 2
    assert "could not be delivered" in caplog.text
    assert "bug" in SentNotice.objects.get(pk=ids[0]).last_error


def _row(person, **fields):
    return {
        "kind": "welcome",
        "content_type_id": ContentType.objects.get_for_model(User).pk,
        "object_id": person.pk,
        "recipient_id": person.pk,
        "email": person.email,
        "subject": "Welcome",
        "body_text": "Hello",
        "body_html": "<p>Hello</p>",
        "attachments": [["cv.pdf", "application/pdf"]],
        **fields,
    }


# Both ways in: on PostgreSQL, COPY from one row (0) and the plain insert (a million).
@pytest.fixture(params=[0, 1_000_000], ids=["copy", "insert"])
def copy_from(request, monkeypatch):
    monkeypatch.setattr(SentNoticeQuerySet, "COPY_FROM_ROWS", request.param)
    return request.param


def test_the_outbox_insert_skips_keys_already_sent_and_tells_which_rows_it_wrote(copy_from):
    first, second, third = _students(3)
    already = SentNotice.objects.insert_new([_row(first)])
    with transaction.atomic():
        written = SentNotice.objects.insert_new(
            [_row(first), _row(second, held=True, body_text="Tab\there, \\N, a backslash \\ and\r\nlines")]
        )
        # A second call in the same transaction writes and returns only its own rows.
        later = SentNotice.objects.insert_new([_row(third, subject=gettext_lazy("Welcome"))])
        if connection.vendor == "postgresql":
            assert _staged_rows() == 0
    assert len(already) == 1 and len(later) == 1
    second_row = SentNotice.objects.get(recipient=second)
    assert written == [(second_row.pk, True)]
    assert SentNotice.objects.count() == 3
    assert second_row.body_text == "Tab\there, \\N, a backslash \\ and\r\nlines"
    # Fields a row leaves out take the model's defaults, in the database's types.
    assert (second_row.attempts, second_row.last_error, second_row.link, second_row.period) == (0, "", "", "")
    assert second_row.attachments == [["cv.pdf", "application/pdf"]]
    assert second_row.created_at is not None and second_row.delivered_at is None
    assert len({row.batch for row in SentNotice.objects.all()}) == 3


def test_the_outbox_insert_keys_a_notice_to_a_bare_address_by_the_address(copy_from):
    (person,) = _students(1)
    row = _row(person, recipient_id=None, email="career@school.test")
    assert len(SentNotice.objects.insert_new([row])) == 1
    assert SentNotice.objects.insert_new([row]) == []
    assert len(SentNotice.objects.insert_new([{**row, "email": "other@school.test"}])) == 1


def test_the_outbox_insert_refuses_what_is_not_a_field_and_says_what_the_database_refused(copy_from):
    (person,) = _students(1)
    with pytest.raises(TypeError, match="helld"):
        SentNotice.objects.insert_new([_row(person, helld=True)])
    if connection.vendor == "postgresql":  # SQLite does not enforce a column's length
        with pytest.raises(DataError), transaction.atomic():
            SentNotice.objects.insert_new([_row(person, kind="k" * 65)])
    assert SentNotice.objects.count() == 0


def _staged_rows():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relpersistence = 't' AND relname LIKE 'mentoring_sentnotice_staging_%%'"
        )
        return sum(_count(cursor, name) for (name,) in cursor.fetchall())


def _count(cursor, name):
    cursor.execute(f'SELECT count(*) FROM "{name}"')  # noqa: S608 (a name read from pg_class)
    return cursor.fetchone()[0]
