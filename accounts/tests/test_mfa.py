"""Two-factor sign-in (TOTP) for staff, through allauth's MFA; optionally required for them."""

import base64
import hashlib
import hmac
import struct
import time

import pytest
import time_machine
from django.urls import reverse

from accounts.factories import PASSWORD, StaffFactory, StudentFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")


def totp(secret, at=None):
    """RFC 6238 with allauth's parameters (SHA-1, 30 s, 6 digits), computed independently."""
    counter = int(time.time() if at is None else at) // 30
    digest = hmac.new(base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**6:06d}"


def sign_in(client, user):
    return client.post(LOGIN, {"login": user.email, "password": PASSWORD})


def enable_totp(client):
    response = client.get(reverse("mfa_activate_totp"))
    # allauth first asks for the password again (a sensitive change), then comes back.
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp(secret)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return secret


def test_the_profile_links_staff_to_two_factor_sign_in(client, staff_user, student):
    client.force_login(staff_user)
    assert reverse("mfa_index") in client.get(reverse("accounts:profile")).content.decode()
    client.force_login(student)
    assert reverse("mfa_index") not in client.get(reverse("accounts:profile")).content.decode()


def test_staff_enable_totp_then_signing_in_asks_for_the_code(client):
    staff = StaffFactory()
    with time_machine.travel("2026-03-02 09:00:00Z", tick=False) as clock:
        assert sign_in(client, staff)["Location"] == reverse("mentoring:me")
        assert client.get(reverse("mfa_index")).status_code == 200
        secret = enable_totp(client)
        assert staff.authenticator_set.filter(type="totp").exists()

        client.post(reverse("account_logout"))
        clock.shift(60)
        response = sign_in(client, staff)
        # The password alone does not sign in any more: the code is asked for.
        assert response["Location"] == reverse("mfa_authenticate")
        assert "_auth_user_id" not in client.session
        wrong = "000000" if totp(secret) != "000000" else "111111"
        response = client.post(reverse("mfa_authenticate"), {"code": wrong})
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
        response = client.post(reverse("mfa_authenticate"), {"code": totp(secret)})
        assert response["Location"] == reverse("mentoring:me")
        assert client.session["_auth_user_id"] == str(staff.pk)


def test_required_mfa_sends_staff_without_totp_to_set_it_up(client, settings):
    settings.STAFF_REQUIRE_MFA = True
    staff = StaffFactory()
    with time_machine.travel("2026-03-02 09:00:00Z", tick=False) as clock:
        sign_in(client, staff)
        for path in ("/admin/", reverse("mentoring:staff"), reverse("mentoring:staff_export")):
            response = client.get(path)
            assert response.status_code == 302, path
            assert response["Location"] == reverse("mfa_activate_totp")
        # Their own pages and the MFA pages stay open.
        assert client.get(reverse("mentoring:me")).status_code == 200
        enable_totp(client)
        clock.shift(60)
        assert client.get(reverse("mentoring:staff")).status_code == 200
        assert client.get("/admin/").status_code == 200


def test_required_mfa_leaves_non_staff_alone(client, settings):
    settings.STAFF_REQUIRE_MFA = True
    client.force_login(StudentFactory())
    assert client.get(reverse("mentoring:me")).status_code == 200


def test_mfa_is_not_required_by_default(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("mentoring:staff")).status_code == 200
    assert client.get("/admin/").status_code == 200
