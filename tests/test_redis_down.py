"""Redis down is not a 500: people sign in and use every page while the cache and broker are gone.

Redis is the shared cache (allauth's rate limits, the mail throttles, import previews) and the
Celery broker; it is never the only copy of anything. With ``REDIS_URL`` pointing at a port where
nothing listens, the cache behaves as an empty one (``core.cache.FailOpenRedisCache``, with a
logged warning), rate limits let people through, a notice stays undelivered in the outbox for the
re-queue sweep, and only ``/healthz`` says something is wrong.
"""

import socket

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse

from accounts.factories import PASSWORD, StudentFactory
from core.models import SentNotice
from mentoring.celery import app as celery_app
from mentoring.factories import MentorshipFactory
from mentoring.models import Message

pytestmark = pytest.mark.django_db


def _closed_port():
    """A port on 127.0.0.1 where nothing listens (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    """The settings production builds from REDIS_URL (mentoring/settings.py), with Redis gone."""
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": url,
            "OPTIONS": django_settings.REDIS_CACHE_OPTIONS,
        }
    }
    # The Celery app read its configuration once: point it at the dead broker, not eager.
    keys = ("broker_url", "broker_transport_options", "task_always_eager")
    saved = {key: celery_app.conf[key] for key in keys}
    saved_pools = celery_app._pool, celery_app.amqp._producer_pool
    celery_app.conf.update(
        broker_url=url,
        broker_transport_options={"visibility_timeout": 3600, "socket_connect_timeout": 2},
        task_always_eager=False,
    )
    celery_app._pool = celery_app.amqp._producer_pool = None
    yield url
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app.conf.update(saved)
    celery_app._pool, celery_app.amqp._producer_pool = saved_pools


def test_sign_in_and_the_personal_area_work(client, redis_down, caplog):
    user = StudentFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mentoring:me")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("mentoring:me")).status_code == 200
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert "cache is unreachable" in caplog.text


def test_a_wrong_password_is_still_refused_not_a_500(client, redis_down):
    user = StudentFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_message_is_posted_and_its_notice_waits_in_the_outbox(client, redis_down, on_commit, caplog):
    mentorship = MentorshipFactory.accepted()
    client.force_login(mentorship.student)
    with on_commit():
        response = client.post(reverse("mentoring:mentorship_message", args=[mentorship.pk]), {"body": "Tuesday?"})
    assert response.status_code == 302
    assert Message.objects.get().body == "Tuesday?"
    notice = SentNotice.objects.get(recipient=mentorship.mentor)
    assert notice.delivered_at is None
    assert not notice.held
    # Marked as never queued: the re-queue sweep's next run takes it, without waiting for a timeout.
    assert notice.queued_at is None
    assert mail.outbox == []
    assert "re-queue" in caplog.text
    assert client.get(mentorship.get_absolute_url()).status_code == 200


def test_the_health_check_says_503(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"


def test_the_cache_misses_drops_writes_and_lets_locks_through(redis_down, caplog):
    from django.core.cache import cache

    assert cache.get("key", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set("key", 1) is None
    # allauth's rate limits lock with add: a failed add would keep everyone from signing in.
    assert cache.add("key:lock", True) is True
    assert cache.get_or_set("key", 3) == 3
    assert cache.delete("key") is False
    with pytest.raises(ValueError):
        cache.incr("counter")
    # One warning for the outage, not one per call.
    assert [r.levelname for r in caplog.records if r.name == "core.cache"].count("WARNING") == 1
