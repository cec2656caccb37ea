import pytest

from accounts.factories import PASSWORD
from mentoring.factories import CampaignFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_action_menu_stays_inside_the_changelist(live_server, page, client, django_user_model):
    CampaignFactory.in_matching()
    EnrollmentFactory()
    staff = django_user_model.objects.create_superuser(
        email="admin@example.org", password=PASSWORD, first_name="Ada", last_name="Admin"
    )
    client.force_login(staff)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/admin/mentoring/mentorenrollment/")
    box = page.locator("#changelist-form").bounding_box()
    menu = page.locator("#changelist .actions select").bounding_box()
    assert menu["x"] >= box["x"] and menu["x"] + menu["width"] <= box["x"] + box["width"] + 0.5
