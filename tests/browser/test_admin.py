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


CHANGELISTS = [
    "/admin/mentoring/campaign/",
    "/admin/mentoring/mentorenrollment/",
    "/admin/mentoring/mentorship/",
    "/admin/mentoring/participation/",
    "/admin/accounts/user/",
    "/admin/evaluations/interview/",
    "/admin/core/sentnotice/",
]


def test_staff_changelists_fit_a_1280_px_screen(live_server, page, client):
    from accounts.factories import StaffFactory
    from mentoring.factories import MentorshipFactory

    CampaignFactory.in_matching(name="2026–2027")
    MentorshipFactory.accepted()
    staff = StaffFactory()
    client.force_login(staff)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    problems = []
    # French labels are longer: the menu and the columns must fit in both languages.
    for language, path in [(language, path) for language in ("en", "fr") for path in CHANGELISTS]:
        if staff.language != language:
            staff.language = language
            staff.save(update_fields=["language"])
        page.goto(live_server.url + path)
        box = page.locator("#changelist-form").bounding_box()
        menu = page.locator("#changelist .actions select")
        if menu.count():
            menu = menu.bounding_box()
            if not (menu["x"] >= box["x"] and menu["x"] + menu["width"] <= box["x"] + box["width"] + 0.5):
                problems.append(f"{path} [{language}]: the action menu spills out of its box")
        for header in page.locator("#result_list thead th").all() if path == "/admin/mentoring/campaign/" else []:
            right = header.bounding_box()
            if right["x"] + right["width"] > box["x"] + box["width"] + 0.5:
                problems.append(f"{path} [{language}]: the column {header.inner_text().strip()!r} is out of sight")
    page.goto(live_server.url + "/admin/mentoring/campaign/")
    assert not problems, "\n".join(problems)
    phase = page.get_by_role("columnheader", name="Phase")
    assert phase.is_visible()
    assert phase.bounding_box()["x"] + phase.bounding_box()["width"] <= 1280
