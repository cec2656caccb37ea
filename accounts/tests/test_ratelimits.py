"""Sign-in limits behind the production proxy: counted per real client, not per proxy.

gunicorn sees every request coming from the proxy (one REMOTE_ADDR); the proxy appends the
client's address to X-Forwarded-For. The limits must follow that address, so that one client's
failures never lock everyone out.
"""

import runpy
from pathlib import Path

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse

from accounts.factories import PASSWORD, StudentFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
SETTINGS_FILE = Path(__file__).resolve().parents[2] / "mentoring" / "settings.py"
PROXY = "10.0.0.2"  # what gunicorn sees as REMOTE_ADDR: the proxy, for everyone


def production_settings(monkeypatch, **env):
    """The settings module as production evaluates it: DEBUG off, only the given variables."""
    for name in ("DEBUG", "TRUSTED_PROXY_COUNT", "TRUSTED_CLIENT_IP_HEADER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "production-like-secret-0123456789abcdefghijklmnop")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def proxy_settings(monkeypatch):
    prod = production_settings(monkeypatch)
    return override_settings(
        ALLAUTH_TRUSTED_PROXY_COUNT=prod.get("ALLAUTH_TRUSTED_PROXY_COUNT", 0),
        ALLAUTH_TRUSTED_CLIENT_IP_HEADER=prod.get("ALLAUTH_TRUSTED_CLIENT_IP_HEADER"),
    )


def sign_in(client, email, password, client_ip):
    # As the proxy forwards it: whatever the client sent, then the address it came from.
    return client.post(
        LOGIN,
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_ip,
    )


def test_production_trusts_one_proxy_and_development_none(monkeypatch):
    assert production_settings(monkeypatch)["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1
    assert production_settings(monkeypatch, DEBUG="true")["ALLAUTH_TRUSTED_PROXY_COUNT"] == 0
    assert production_settings(monkeypatch, TRUSTED_PROXY_COUNT="2")["ALLAUTH_TRUSTED_PROXY_COUNT"] == 2
    header = production_settings(monkeypatch, TRUSTED_CLIENT_IP_HEADER="X-Real-IP")
    assert header["ALLAUTH_TRUSTED_CLIENT_IP_HEADER"] == "X-Real-IP"
    assert production_settings(monkeypatch)["ALLAUTH_TRUSTED_CLIENT_IP_HEADER"] is None


def test_34_people_behind_the_proxy_all_sign_in_within_a_minute(monkeypatch):
    users = [StudentFactory() for _ in range(34)]
    with proxy_settings(monkeypatch), time_machine.travel("2026-03-02 09:00:00Z", tick=False):
        for n, user in enumerate(users):
            client = Client()
            response = sign_in(client, user.email, PASSWORD, f"198.51.100.{n + 1}")
            assert response.status_code == 302, f"person {n + 1} was refused"
            assert client.session["_auth_user_id"] == str(user.pk)


def test_one_clients_failures_do_not_lock_out_the_others(client, monkeypatch):
    attacker_ip, other_ip = "203.0.113.66", "198.51.100.7"
    victims = [StudentFactory() for _ in range(12)]
    honest = StudentFactory()
    with proxy_settings(monkeypatch):
        for victim in victims:
            sign_in(client, victim.email, "wrong", attacker_ip)
        # The attacker is now refused by the per-address limit, even with a right password…
        response = sign_in(client, honest.email, PASSWORD, attacker_ip)
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
        # …while someone else behind the same proxy signs in.
        response = sign_in(client, honest.email, PASSWORD, other_ip)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(honest.pk)


def test_a_forged_forwarded_for_does_not_escape_the_limit(client, monkeypatch):
    victims = [StudentFactory() for _ in range(11)]
    with proxy_settings(monkeypatch):
        for n, victim in enumerate(victims):
            # The client puts a new address of its own first; the proxy appends the real one.
            response = sign_in(client, victim.email, "wrong", f"192.0.2.{n + 1}, 203.0.113.66")
        assert "Too many failed login attempts" in response.content.decode()


def test_the_account_lockout_stays_and_says_how_long_to_wait(client, monkeypatch):
    user = StudentFactory()
    with proxy_settings(monkeypatch), time_machine.travel("2026-03-02 09:00:00Z", tick=False) as clock:
        for n in range(5):
            # From five different places: the lockout is per account, whatever the address.
            sign_in(client, user.email, "wrong", f"198.51.100.{n + 1}")
        clock.shift(60)
        response = sign_in(client, user.email, PASSWORD, "198.51.100.99")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
        assert "Too many failed login attempts. Try again in 4 minutes." in response.content.decode()

        response = client.post(
            LOGIN,
            {"login": user.email, "password": PASSWORD},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="198.51.100.99",
            HTTP_ACCEPT_LANGUAGE="fr",
        )
        assert "Réessayez dans 4 minutes." in response.content.decode()

        clock.shift(4 * 60)
        response = sign_in(client, user.email, PASSWORD, "198.51.100.99")
        assert response.status_code == 302
