"""Staff read the sent-notice log in the admin; nobody writes it by hand."""

import pytest

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/core/sentnotice/"


def test_staff_read_the_log(client, staff_user):
    client.force_login(staff_user)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert "Sent notices" in response.content.decode()


def test_nobody_adds_a_notice_by_hand(client, staff_user):
    client.force_login(staff_user)
    assert client.get(CHANGELIST + "add/").status_code == 403
