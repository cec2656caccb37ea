"""Fixtures and service checks shared by every test package.

Suites that need PostgreSQL, Redis or the browser skip with a reason on a laptop without them;
under CI (CI set) a missing service is a failure instead, so that CI never passes by skipping.
"""

import os
import socket

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation


def _ci():
    return bool(os.environ.get("CI"))


def _port_answers(port, host="127.0.0.1"):
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def skip_or_fail(reason):
    if _ci():
        pytest.fail(f"{reason} (CI must run this test, not skip it)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _services_for_markers(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL: run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentoring")
    if request.node.get_closest_marker("redis") and not _port_answers(6379):
        skip_or_fail("needs Redis on 127.0.0.1:6379")


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a request leaves the language it activated (the
    LocaleMiddleware's) on the thread, and a French page would make the next test French."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate-limit counters live in the cache: each test starts with none.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    # Uploaded files of one test never leak into another, nor into the developer's var/.
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads")},
        },
    }


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """``with on_commit():`` runs what the block queued after commit, such as mail deliveries."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def student(db):
    from accounts.factories import StudentFactory

    return StudentFactory()


@pytest.fixture
def alumnus(db):
    from accounts.factories import AlumnusFactory

    return AlumnusFactory()


@pytest.fixture
def staff_user(db):
    from accounts.factories import StaffFactory

    return StaffFactory()


@pytest.fixture
def campaign(db):
    from mentoring.factories import CampaignFactory

    return CampaignFactory.in_matching()


@pytest.fixture
def student_client(client, campaign):
    """The test client, signed in as a student of its own, while a campaign runs."""
    from accounts.factories import StudentFactory

    client.force_login(StudentFactory())
    return client


@pytest.fixture
def migrate(transactional_db):
    """``migrate(targets)`` moves the test database to those migrations and returns their
    historical apps; the database is moved back to the latest migrations afterwards."""
    from django.db.migrations.executor import MigrationExecutor

    def to(targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    yield to
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def one_way_into_the_outbox(monkeypatch):
    """Every send takes the same way into the outbox, a few notices or a thousand (on PostgreSQL
    COPY otherwise starts at COPY_FROM_ROWS): for the tests that count a sweep's queries."""
    from core.models import SentNoticeQuerySet

    monkeypatch.setattr(SentNoticeQuerySet, "COPY_FROM_ROWS", 0)
