"""The Career Department's group: exactly its declared permissions, and an admin that shows no more."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts import career_department, demo
from accounts.career_department import GROUP_NAME, PERMISSIONS, sync_group
from accounts.factories import StaffFactory, StaffOnlyFactory, StudentFactory
from accounts.models import User

pytestmark = pytest.mark.django_db


def granted(group):
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def installed(label):
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def declared():
    """The declared permissions of the models that exist (one declared ahead joins when it lands)."""
    return {
        f"{label.split('.')[0]}.{action}_{label.split('.')[1]}"
        for label, actions in PERMISSIONS.items()
        if installed(label)
        for action in actions
    }


# Declared ahead of its model, which lands with the campaign roster.
AHEAD = {"mentoring.participation"}


def test_every_declared_model_exists():
    assert {label for label in PERMISSIONS if not installed(label)} <= AHEAD


def test_the_migrated_database_has_the_group_with_exactly_its_permissions():
    # The migration made the group before the other apps' permissions existed; the sync after
    # migrate completed it.
    assert granted(Group.objects.get(name=GROUP_NAME)) == declared()


def test_no_deletion_of_people_and_no_permission_editing():
    permissions = granted(Group.objects.get(name=GROUP_NAME))
    assert "accounts.delete_user" not in permissions
    assert not {p for p in permissions if p.startswith("auth.")}


def test_the_sync_takes_back_what_was_added_by_hand_and_gives_back_what_was_removed():
    group = Group.objects.get(name=GROUP_NAME)
    group.permissions.add(Permission.objects.get(codename="delete_user"))
    group.permissions.remove(Permission.objects.get(codename="change_coachingreferral"))
    sync_group()
    assert granted(group) == declared()


def test_a_model_declared_later_joins_at_the_next_sync(monkeypatch):
    monkeypatch.setitem(PERMISSIONS, "auth.group", ("view",))
    sync_group()
    assert "auth.view_group" in granted(Group.objects.get(name=GROUP_NAME))


def test_a_deleted_group_comes_back_at_the_next_sync():
    Group.objects.filter(name=GROUP_NAME).delete()
    assert granted(sync_group()) == declared()


def test_members_are_the_active_people_of_the_group():
    member, staff_only = StaffFactory(), StaffOnlyFactory()
    StaffFactory(career_department=False)
    StaffFactory(is_active=False)
    StudentFactory()
    assert set(career_department.members()) == {member, staff_only}


class TestAdmin:
    def models_listed(self, client, user):
        client.force_login(user)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 200
        return {model["model"]._meta.label_lower for app in response.context["app_list"] for model in app["models"]}

    def test_a_member_sees_what_the_group_grants_and_nothing_else(self, client):
        registered = {model._meta.label_lower for model in admin.site._registry}
        assert self.models_listed(client, StaffFactory()) == set(PERMISSIONS) & registered

    def test_staff_outside_the_group_see_nothing(self, client):
        assert self.models_listed(client, StaffFactory(career_department=False)) == set()

    def test_a_member_deletes_no_one_and_reaches_no_group(self, client):
        client.force_login(StaffFactory())
        student = StudentFactory()
        assert client.get(reverse("admin:accounts_user_delete", args=[student.pk])).status_code == 403
        assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
        assert client.get(reverse("admin:accounts_user_add")).status_code == 403

    def test_a_member_corrects_a_person_but_grants_nothing(self, client):
        member = StaffFactory()
        student = StudentFactory(first_name="Old")
        url = reverse("admin:accounts_user_change", args=[student.pk])
        client.force_login(member)
        page = client.get(url).content.decode()
        assert 'name="user_permissions"' not in page
        assert 'name="is_superuser"' not in page and 'name="groups"' not in page
        form = {
            "email": student.email,
            "first_name": "New",
            "last_name": student.last_name,
            "role": "student",
            "language": "en",
            "is_active": "on",
            "staff_notices": "immediate",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            # Smuggled in: ignored, the fields are read-only.
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [Group.objects.get(name=GROUP_NAME).pk],
            "student_profile-TOTAL_FORMS": "1",
            "student_profile-INITIAL_FORMS": "1",
            "student_profile-MIN_NUM_FORMS": "0",
            "student_profile-MAX_NUM_FORMS": "1",
            "student_profile-0-id": student.student_profile.pk,
            "student_profile-0-user": student.pk,
            "student_profile-0-programme": "General engineering",
            "student_profile-0-specialization": "Data science",
            "student_profile-0-graduation_year": "2027",
        }
        response = client.post(url, form)
        assert response.status_code == 302, response.context["adminform"].form.errors
        student.refresh_from_db()
        assert student.first_name == "New"
        assert not student.is_staff and not student.is_superuser
        assert not student.groups.exists()


def test_the_demo_staff_member_is_in_the_group_staff_only_and_not_a_superuser():
    context = {}
    demo.seed(context)
    demo.seed(context)  # idempotent
    staff = User.objects.get(email="staff@example.org")
    assert (staff.role, staff.is_staff, staff.is_superuser) == (User.Role.STAFF, True, False)
    assert list(staff.groups.values_list("name", flat=True)) == [GROUP_NAME]


def test_a_demo_database_seeded_before_is_brought_in_line():
    User.objects.create_user(
        "staff@example.org", first_name="Sophie", last_name="Career", role="alumnus", is_staff=True, is_superuser=True
    )
    demo.seed({})
    staff = User.objects.get(email="staff@example.org")
    assert (staff.role, staff.is_superuser) == (User.Role.STAFF, False)
    assert staff.groups.filter(name=GROUP_NAME).exists()
