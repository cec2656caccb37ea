"""Staff sessions end after a configurable idle time; other people's keep today's length."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.factories import StaffFactory, StudentFactory

pytestmark = pytest.mark.django_db

START = "2026-03-02 09:00:00Z"


def test_a_staff_session_ends_after_an_hour_without_activity(client):
    client.force_login(StaffFactory())
    with time_machine.travel(START, tick=False) as clock:
        assert client.get(reverse("mentoring:staff")).status_code == 200
        clock.shift(59 * 60)
        # Activity within the hour keeps the session and starts the hour again.
        assert client.get(reverse("mentoring:staff")).status_code == 200
        clock.shift(59 * 60)
        assert client.get(reverse("mentoring:staff")).status_code == 200

        clock.shift(61 * 60)
        response = client.get(reverse("mentoring:staff"), follow=True)
        assert "_auth_user_id" not in client.session
        assert response.redirect_chain[0][0].startswith(reverse("account_login"))
        assert "signed out after 60 minutes without activity" in response.content.decode()


def test_the_idle_time_is_a_setting(client, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 15
    client.force_login(StaffFactory())
    with time_machine.travel(START, tick=False) as clock:
        client.get(reverse("mentoring:me"))
        clock.shift(16 * 60)
        response = client.get(reverse("mentoring:me"))
        assert response.status_code == 302
        assert "_auth_user_id" not in client.session


def test_non_staff_sessions_keep_their_length(client):
    client.force_login(StudentFactory())
    with time_machine.travel(START, tick=False) as clock:
        client.get(reverse("mentoring:me"))
        clock.shift(8 * 60 * 60)
        assert client.get(reverse("mentoring:me")).status_code == 200
        assert "_auth_user_id" in client.session


def test_a_staff_session_is_written_at_most_once_a_minute(client):
    """Each request does not write the session (three queries a page): once a minute is enough."""
    client.force_login(StaffFactory())
    with time_machine.travel(START, tick=False) as clock:
        client.get(reverse("mentoring:me"))
        clock.shift(30)

        def writes():
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse("mentoring:me")).status_code == 200
            return [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "django_session"')]

        assert writes() == []
        clock.shift(31)
        assert len(writes()) == 1
