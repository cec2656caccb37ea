"""A real Celery worker on Redis, a real SMTP server on 127.0.0.1, the real settings module.

The worker runs in its own process against this test's PostgreSQL database, so the data is
committed (transaction=True). It delivers with a 1-second backoff so that a retry after an SMTP
outage happens within the test. Waiting on another process is polling with a deadline.
"""

import os
import socket
import subprocess
import sys
import time
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from core.models import SentNotice
from evaluations.factories import InterviewFactory
from mentoring.factories import CampaignFactory

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
# A database of its own, flushed around each test (the suite runs these tests one at a time).
REDIS_URL = "redis://127.0.0.1:6379/9"


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    def __init__(self):
        self.port = free_port()
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()
        self.controller = None


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    if server.controller:
        server.stop()


@pytest.fixture
def broker():
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()


def worker_env(smtp_port, tmp_path):
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="mentoring.settings",
        DEBUG="false",
        SECRET_KEY="integration-tests-secret-key-0123456789abcdef",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        REDIS_URL=REDIS_URL,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        NOTICE_RETRY_BACKOFF="1",
        NOTICE_RETRY_BACKOFF_MAX="2",
        VAR_DIR=str(tmp_path / "var"),
        CONN_MAX_AGE="0",
    )
    return env


@pytest.fixture
def worker(smtp, broker, tmp_path):
    env = worker_env(smtp.port, tmp_path)
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 (closed below, after the process)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "mentoring",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(lambda: "ready" in (tmp_path / "worker.log").read_text(), "the worker to start", tmp_path)
        yield env
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def wait_for(condition, what, tmp_path=None, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    log = (tmp_path / "worker.log").read_text()[-4000:] if tmp_path and (tmp_path / "worker.log").exists() else ""
    pytest.fail(f"timed out waiting for {what}\n{log}")


def succeeded(tmp_path, task):
    """How many runs of ``task`` the worker reported as finished."""
    lines = (tmp_path / "worker.log").read_text().splitlines()
    return sum(1 for line in lines if f".{task}[" in line and "succeeded" in line)


def trigger(task, env):
    """Queues a task on Redis as beat would, from a separate client process."""
    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "mentoring", "call", task],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )


@pytest.fixture
def interview():
    CampaignFactory.in_matching()
    return InterviewFactory.confirmed(start=(timezone.now() + timedelta(hours=3)).replace(second=0, microsecond=0))


def delivered():
    return SentNotice.objects.filter(kind="interview_tomorrow", delivered_at__isnull=False).count()


def test_a_sweep_run_by_the_worker_delivers_over_smtp(worker, smtp, interview, tmp_path):
    trigger("evaluations.tasks.interview_tomorrow_task", worker)
    wait_for(lambda: len(smtp.inbox.messages) == 2, "two mails over SMTP", tmp_path)
    wait_for(lambda: delivered() == 2, "both notices marked delivered", tmp_path)

    mentorship = interview.mentorship
    assert sorted(rcpt[0] for rcpt, _msg in smtp.inbox.messages) == sorted(
        [mentorship.student.email, mentorship.mentor.email]
    )
    _rcpt, message = smtp.inbox.messages[0]
    assert message["Subject"].startswith("Reminder: First interview on")
    assert message.is_multipart()
    kinds = {part.get_content_type() for part in message.walk()}
    assert {"text/plain", "text/html"} <= kinds

    # Beat firing the sweep again sends nothing more.
    trigger("evaluations.tasks.interview_tomorrow_task", worker)
    trigger("mentoring.tasks.requeue_undelivered_notices_task", worker)
    wait_for(
        lambda: (
            "requeue_undelivered_notices_task" in (tmp_path / "worker.log").read_text()
            and "succeeded" in (tmp_path / "worker.log").read_text().split("requeue_undelivered_notices_task")[-1]
        ),
        "the second run and the re-queue sweep",
        tmp_path,
    )
    assert len(smtp.inbox.messages) == 2


def test_mail_that_failed_while_smtp_was_down_is_delivered_once_when_it_is_back(worker, smtp, interview, tmp_path):
    smtp.stop()
    trigger("evaluations.tasks.interview_tomorrow_task", worker)
    wait_for(
        lambda: (
            SentNotice.objects.filter(kind="interview_tomorrow", attempts__gte=1, delivered_at__isnull=True).count()
            == 2
        ),
        "two failed attempts while the server is down",
        tmp_path,
    )
    assert SentNotice.objects.filter(kind="interview_tomorrow").exclude(last_error="").count() == 2

    smtp.start()
    wait_for(lambda: delivered() == 2, "the retries to deliver once the server is back", tmp_path)
    recipients = sorted(rcpt[0] for rcpt, _msg in smtp.inbox.messages)
    mentorship = interview.mentorship
    assert recipients == sorted([mentorship.student.email, mentorship.mentor.email])
