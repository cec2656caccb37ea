import smtplib
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from celery.exceptions import Retry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.utils import timezone, translation

from accounts.factories import AlumnusFactory, StudentFactory
from core.models import SentNotice
from core.notices import deliver_notice, requeue_undelivered_notices, send_notice

pytestmark = pytest.mark.django_db


def test_a_notice_is_sent_once_per_key(student, on_commit):
    with on_commit():
        assert send_notice("welcome", recipient=student, obj=student) is True
        assert send_notice("welcome", recipient=student, obj=student) is False
    assert len(mail.outbox) == 1
    notice = SentNotice.objects.get(kind="welcome", recipient=student, object_id=student.pk)
    assert notice.delivered_at is not None
    assert notice.attempts == 1


def test_nothing_is_sent_before_the_transaction_commits(student, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_notice("welcome", recipient=student, obj=student)
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_other_recipient_or_period_is_another_notice(student, on_commit):
    other = AlumnusFactory()
    with on_commit():
        assert send_notice("welcome", recipient=student, obj=student)
        assert send_notice("welcome", recipient=other, obj=student)
        assert send_notice("welcome", recipient=student, obj=student, period="2027-W10")
        assert not send_notice("welcome", recipient=student, obj=student, period="2027-W10")
    assert len(mail.outbox) == 3


def test_the_mail_is_html_and_text_addressed_to_the_recipient(on_commit):
    student = StudentFactory(first_name="Zoé")
    with on_commit():
        send_notice(
            "welcome", recipient=student, obj=student, context={"action_url": "http://x/me/", "action_label": "Go"}
        )
    message = mail.outbox[0]
    assert message.to == [student.email]
    assert "Hello Zoé," in message.body
    assert "Go: http://x/me/" in message.body
    assert "You receive this message because" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'href="http://x/me/"' in html
    assert "You receive this message because" in html


def test_what_users_typed_is_not_escaped_in_text_but_is_in_html(on_commit):
    from mentoring.factories import MentorshipFactory

    mentorship = MentorshipFactory(message="I'd like <b>advice</b> & feedback")
    with on_commit():
        send_notice("request_received", recipient=mentorship.mentor, obj=mentorship, context={"mentorship": mentorship})
    message = mail.outbox[0]
    assert "I'd like <b>advice</b> & feedback" in message.body
    html = message.alternatives[0][0]
    assert "I&#x27;d like &lt;b&gt;advice&lt;/b&gt; &amp; feedback" in html


def test_a_failed_delivery_is_kept_undelivered_and_a_retry_sends_it_once(student, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        send_notice("welcome", recipient=student, obj=student)
    notice = SentNotice.objects.get()
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=smtplib.SMTPServerDisconnected("down"),
        ),
        pytest.raises(smtplib.SMTPServerDisconnected, match="down"),
    ):
        deliver_notice(notice.pk)
    notice.refresh_from_db()
    assert notice.delivered_at is None
    assert notice.attempts == 1
    assert "down" in notice.last_error
    assert mail.outbox == []

    assert deliver_notice(notice.pk) is True
    assert deliver_notice(notice.pk) is False  # a duplicate task delivers nothing more
    assert len(mail.outbox) == 1
    notice.refresh_from_db()
    assert notice.delivered_at is not None
    assert notice.last_error == ""


def test_backoff_is_exponential_and_capped_under_the_visibility_timeout(settings):
    from core.notices import retry_delay

    assert [retry_delay(n) for n in range(4)] == [30, 60, 120, 240]
    assert retry_delay(20) == settings.NOTICE_RETRY_BACKOFF_MAX
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600) > settings.NOTICE_RETRY_BACKOFF_MAX


def test_the_task_asks_celery_to_retry_an_smtp_failure_with_backoff(student, django_capture_on_commit_callbacks):
    from core.notices import deliver_notice_task

    with django_capture_on_commit_callbacks(execute=False):
        send_notice("welcome", recipient=student, obj=student)
    notice = SentNotice.objects.get()
    # The retry itself, after the countdown, is shown with a real worker and SMTP server in
    # tests/integration; here: the failure is retried, with the backoff's first delay.
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=smtplib.SMTPServerDisconnected("server went away"),
        ),
        mock.patch.object(deliver_notice_task, "retry", side_effect=Retry("retrying")) as retry,
        pytest.raises(Retry),
    ):
        deliver_notice_task.run(notice.pk)
    assert retry.call_args.kwargs["countdown"] == 30
    assert isinstance(retry.call_args.kwargs["exc"], smtplib.SMTPServerDisconnected)
    notice.refresh_from_db()
    assert notice.attempts == 1 and notice.delivered_at is None
    assert mail.outbox == []
    assert deliver_notice_task.acks_late


def test_an_unexpected_error_is_not_retried(student, django_capture_on_commit_callbacks):
    from core.notices import deliver_notice_task

    with django_capture_on_commit_callbacks(execute=False):
        send_notice("welcome", recipient=student, obj=student)
    notice = SentNotice.objects.get()
    with (
        mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=KeyError("bug")),
        pytest.raises(KeyError),
    ):
        deliver_notice_task.delay(notice.pk)
    notice.refresh_from_db()
    assert notice.attempts == 1
    assert notice.delivered_at is None


def test_the_mail_is_rendered_in_the_recipients_language(student, on_commit, settings):
    # The stored and the delivered mail are French, not merely rendered "with French switched on":
    # a missing catalogue would leave English text and fail here (as in test_french.py).
    settings.PROGRAMME_NAME = "Programme de mentorat"
    student.language = "fr"
    with on_commit():
        send_notice("welcome", recipient=student, obj=student)
    stored = SentNotice.objects.get()
    assert stored.subject == "Bienvenue sur Programme de mentorat"
    assert "Votre compte est prêt." in stored.body_text
    assert "Your account is ready" not in stored.body_text
    [message] = mail.outbox
    assert message.subject == stored.subject
    assert "Votre compte est prêt." in message.body
    assert '<html lang="fr">' in message.alternatives[0][0]
    assert not translation.get_language().startswith("fr")


def test_a_delivered_notice_is_not_claimed_again(student, on_commit):
    with on_commit():
        send_notice("welcome", recipient=student, obj=student)
    notice = SentNotice.objects.get()
    assert deliver_notice(notice.pk) is False
    assert len(mail.outbox) == 1
    notice.refresh_from_db()
    assert notice.attempts == 1


class TestRequeue:
    """The re-queue sweep queues again only what is stuck (issue 14.3): a notice whose task waits
    in the queue, or is being retried, is left to that task."""

    def queued(
        self,
        student,
        kind,
        *,
        age_minutes,
        queued_minutes_ago="age",
        attempts=0,
        tried_minutes_ago=None,
        delivered=False,
        claimed=False,
    ):
        send_notice(kind, recipient=student, obj=student)
        notice = SentNotice.objects.get(kind=kind)
        now = timezone.now()
        if queued_minutes_ago == "age":
            queued_minutes_ago = age_minutes
        SentNotice.objects.filter(pk=notice.pk).update(
            created_at=now - timedelta(minutes=age_minutes),
            queued_at=None if queued_minutes_ago is None else now - timedelta(minutes=queued_minutes_ago),
            attempts=attempts,
            last_attempt_at=None if tried_minutes_ago is None else now - timedelta(minutes=tried_minutes_ago),
            delivered_at=now if delivered else None,
            claimed_until=now + timedelta(minutes=3) if claimed else None,
        )
        return notice

    def test_only_overdue_notices_are_queued_again_spaced_like_the_retries(
        self, student, django_capture_on_commit_callbacks, settings
    ):
        assert settings.NOTICE_QUEUE_TIMEOUT == 3600
        with django_capture_on_commit_callbacks(execute=False):
            # The broker refused its task at commit: it is queued again at once.
            refused = self.queued(student, "welcome", age_minutes=2, queued_minutes_ago=None)
            # Queued 61 minutes ago and never tried: its task was lost.
            lost = self.queued(student, "request_withdrawn", age_minutes=61)
            # Tried 20 times, last time 61 minutes ago: spacing is capped at an hour, never given up.
            long_outage = self.queued(student, "request_received", age_minutes=3000, attempts=20, tried_minutes_ago=61)
            # Queued 30 minutes ago, never tried: its task waits its turn behind a large mailing.
            self.queued(student, "request_accepted", age_minutes=30)
            self.queued(student, "request_declined", age_minutes=90, delivered=True)
            # Its last try failed 2 minutes ago; the retry comes after 240 s.
            self.queued(student, "request_expired", age_minutes=90, attempts=3, tried_minutes_ago=2)
            self.queued(student, "message_received", age_minutes=90, claimed=True)  # a worker is sending it now
        with mock.patch("core.notices.deliver_notices_task.delay") as delay:
            assert requeue_undelivered_notices() == 3
            queued = [pk for call in delay.call_args_list for pk in call.args[0]]
            assert sorted(queued) == sorted([refused.pk, lost.pk, long_outage.pk])
            # Their new tasks are on their way: the next sweep leaves them alone.
            assert requeue_undelivered_notices() == 0
            assert delay.call_count == 1

    def test_a_sweep_with_10000_queued_notices_requeues_none_then_the_lost_ones_in_batches(self, student):
        user_type = ContentType.objects.get_for_model(student)
        start = timezone.now()
        SentNotice.objects.bulk_create(
            SentNotice(
                kind="welcome",
                content_type=user_type,
                object_id=n,
                recipient=student,
                email=student.email,
                subject="Welcome",
                body_text="Welcome",
                body_html="<p>Welcome</p>",
                queued_at=start,
            )
            for n in range(1, 10_001)
        )
        SentNotice.objects.update(created_at=start)
        with mock.patch("core.notices.deliver_notices_task.delay") as delay:
            # Every ten minutes for the next hour: their tasks are still in the queue.
            for minutes in range(10, 60, 10):
                assert requeue_undelivered_notices(now=start + timedelta(minutes=minutes)) == 0
            assert delay.call_count == 0
            # Past the queue timeout, with no worker having touched them, the tasks are taken as lost.
            assert requeue_undelivered_notices(now=start + timedelta(minutes=61)) == 10_000
            batches = [call.args[0] for call in delay.call_args_list]
            assert len(batches) == 100 and {len(batch) for batch in batches} == {100}
            assert len({pk for batch in batches for pk in batch}) == 10_000
            assert requeue_undelivered_notices(now=start + timedelta(minutes=71)) == 0
            assert delay.call_count == 100

    def test_a_worker_killed_mid_delivery_gets_its_notice_sent_once_after_the_timeout(
        self, student, django_capture_on_commit_callbacks, settings
    ):
        with django_capture_on_commit_callbacks(execute=False):
            send_notice("welcome", recipient=student, obj=student)
        notice = SentNotice.objects.get()
        start = timezone.now()
        # The worker claims the notice and dies while the SMTP server answers: nothing after runs.
        with (
            mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=SystemExit),
            pytest.raises(SystemExit),
        ):
            deliver_notice(notice.pk)
        notice.refresh_from_db()
        assert notice.attempts == 1 and notice.claimed_until is not None and notice.delivered_at is None
        assert mail.outbox == []
        for minutes in (10, 30, 50):
            with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
                assert requeue_undelivered_notices() == 0
        timeout = timedelta(seconds=settings.NOTICE_QUEUE_TIMEOUT)
        with time_machine.travel(start + timeout + timedelta(minutes=1), tick=False):
            assert requeue_undelivered_notices() == 1  # tasks run eagerly in tests
            # The broker hands the dead worker's task (acked late) to another worker: nothing more.
            assert deliver_notice(notice.pk) is False
        with time_machine.travel(start + 2 * timeout, tick=False):
            assert requeue_undelivered_notices() == 0
        assert len(mail.outbox) == 1
        notice.refresh_from_db()
        assert notice.delivered_at is not None and notice.attempts == 2

    def test_a_claimed_notice_is_not_sent_by_a_second_worker_until_the_claim_expires(
        self, student, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False):
            notice = self.queued(student, "welcome", age_minutes=1, claimed=True)
        assert deliver_notice(notice.pk) is False
        assert mail.outbox == []
        assert deliver_notice(notice.pk, now=timezone.now() + timedelta(minutes=6)) is True
        assert len(mail.outbox) == 1

    def test_a_requeued_notice_is_delivered_once(self, student, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False):
            self.queued(student, "welcome", age_minutes=61)
        assert requeue_undelivered_notices() == 1  # tasks run eagerly in tests
        assert requeue_undelivered_notices() == 0
        assert len(mail.outbox) == 1


def test_the_sweeps_are_scheduled_by_a_migration():
    from django_celery_beat.models import PeriodicTask

    from core import tasks as core_tasks
    from mentoring import tasks

    scheduled = {
        task.task: (task.interval.every, task.interval.period, task.enabled)
        for task in PeriodicTask.objects.select_related("interval")
    }
    assert scheduled["mentoring.tasks.expire_requests_task"] == (15, "minutes", True)
    assert scheduled["mentoring.tasks.requeue_undelivered_notices_task"] == (10, "minutes", True)
    # The names resolve to registered tasks.
    assert tasks.expire_requests_task.name == "mentoring.tasks.expire_requests_task"
    assert core_tasks.requeue_undelivered_notices_task.name == "mentoring.tasks.requeue_undelivered_notices_task"


def test_old_delivered_notices_lose_their_bodies_and_keep_their_key(student, on_commit, settings):
    from core.notices import purge_delivered_notice_bodies

    settings.NOTICE_BODY_RETENTION_DAYS = 90
    with on_commit():
        send_notice("welcome", recipient=student, obj=student)
        send_notice("request_received", recipient=student, obj=student)
    with mock.patch("core.notices.deliver_notices_task.delay"), on_commit():
        send_notice("request_accepted", recipient=student, obj=student)  # never delivered
    now = timezone.now()
    SentNotice.objects.filter(kind="welcome").update(delivered_at=now - timedelta(days=91))
    SentNotice.objects.filter(kind="request_accepted").update(created_at=now - timedelta(days=200))

    assert purge_delivered_notice_bodies() == 1
    old = SentNotice.objects.get(kind="welcome")
    assert (old.body_text, old.body_html, old.attachments) == ("", "", [])
    assert old.subject and old.delivered_at  # the log staff read stays
    assert SentNotice.objects.get(kind="request_received").body_html
    assert SentNotice.objects.get(kind="request_accepted").body_html
    assert purge_delivered_notice_bodies() == 0
    # The row still holds the key: the notice is never sent again.
    with on_commit():
        assert send_notice("welcome", recipient=student, obj=student) is False
    assert len(mail.outbox) == 2


def test_the_purge_is_scheduled_daily_by_a_migration():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.select_related("interval").get(task="core.tasks.purge_notice_bodies_task")
    assert (task.interval.every, task.interval.period, task.enabled) == (24 * 60, "minutes", True)
