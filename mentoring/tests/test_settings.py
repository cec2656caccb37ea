"""The settings module is loaded in a fresh interpreter, as a deployment would load it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL"}}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "mentoring.settings"
    code = "import django; django.setup(); from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.CACHES['default']['BACKEND'])"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60)


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = load_settings(DEBUG="false", SECRET_KEY="short")
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_development_defaults_need_no_server(tmp_path):
    result = load_settings(DEBUG="true", VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "filesystem://",
        "django.core.cache.backends.filebased.FileBasedCache",
    ]


def test_production_parts_come_from_the_environment():
    result = load_settings(
        DEBUG="false",
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://u:p@db.internal:5432/mentoring",
        REDIS_URL="redis://cache.internal:6379/0",
        ALLOWED_HOSTS="mentoring.school.test",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "redis://cache.internal:6379/0",
        "core.cache.FailOpenRedisCache",
    ]


def test_a_malformed_switch_stops_the_start_up():
    result = load_settings(DEBUG="maybe-later", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DEBUG='maybe-later' is not a boolean" in result.stderr


def test_a_malformed_number_stops_the_start_up():
    result = load_settings(DEBUG="true", ROADBOOK_CV_MAX_BYTES="five megabytes")
    assert result.returncode != 0
