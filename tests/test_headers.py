"""Security headers and the deployment checklist of the production settings.

The pages that show personal data carry ``Cache-Control: no-store`` (see the confidential URLs of
``tests/test_access_matrix.py``); here: HSTS, and ``manage.py check --deploy`` passing with the
settings production runs with.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def _production_env(tmp_path, **extra):
    """A production environment: DEBUG off, a strong secret, a host; nothing from the caller's."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "mentoring.school.test",
        "VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "mentoring.settings",
        **extra,
    }


def _run(args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_deploy_checks_pass_with_production_settings(tmp_path):
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_hsts_is_configurable_from_the_environment(tmp_path):
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)"
    )
    default = _run(["-c", script], _production_env(tmp_path))
    assert default.stdout.split() == ["31536000", "True"], default.stderr
    changed = _run(
        ["-c", script], _production_env(tmp_path, SECURE_HSTS_SECONDS="600", SECURE_HSTS_INCLUDE_SUBDOMAINS="false")
    )
    assert changed.stdout.split() == ["600", "False"], changed.stderr


@pytest.mark.django_db
def test_https_responses_carry_a_year_of_hsts_with_subdomains(client):
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
