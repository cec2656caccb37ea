"""The "Career Department" group: staff's admin permissions come from it, never one by one.

It is created with the permissions the department needs, as they stand in this migration (only
those whose model exists at this point: on a new database the other apps' permissions come at the
end of ``migrate``, and ``accounts.career_department`` syncs the group to its declared list after
every ``migrate``). Everyone with ``is_staff`` joins it: they were the department until now.
Staff who are alumni in name only (no alumnus profile: created in the admin or with
``createsuperuser``, never signed up) get the new role "staff", which is not shown as an alumnus.
The reverse gives them back the role "alumnus" and deletes the group.
"""

from django.db import migrations
from django.db.models import Q

GROUP_NAME = "Career Department"

# The declared list as it stood when this migration was written.
PERMISSIONS = {
    "accounts.user": ("view", "change"),
    "accounts.studentprofile": ("view", "change"),
    "accounts.alumnusprofile": ("view", "change"),
    "accounts.sector": ("view", "add", "change"),
    "accounts.language": ("view", "add", "change"),
    "mentoring.campaign": ("view", "add", "change"),
    "mentoring.participation": ("view", "add", "change"),
    "mentoring.mentorenrollment": ("view", "change"),
    "mentoring.mentorship": ("view", "change"),
    "mentoring.message": ("view",),
    "roadbook.roadbook": ("view",),
    "roadbook.roadbookversion": ("view",),
    "evaluations.interview": ("view",),
    "evaluations.interviewslot": ("view",),
    "evaluations.evaluation": ("view",),
    "evaluations.recommendedcontact": ("view",),
    "evaluations.coachingreferral": ("view", "change"),
    "core.sentnotice": ("view",),
    "django_celery_beat.periodictask": ("view", "change"),
    "django_celery_beat.intervalschedule": ("view",),
    "django_celery_beat.crontabschedule": ("view",),
}


def create_group(apps, schema_editor):
    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    User = apps.get_model("accounts", "User")
    wanted = Q(pk__in=[])
    for label, actions in PERMISSIONS.items():
        app_label, model = label.split(".")
        wanted |= Q(
            content_type__app_label=app_label,
            content_type__model=model,
            codename__in=[f"{action}_{model}" for action in actions],
        )
    group, _created = Group.objects.using(db).get_or_create(name=GROUP_NAME)
    group.permissions.set(Permission.objects.using(db).filter(wanted))
    group.user_set.add(*User.objects.using(db).filter(is_staff=True))
    User.objects.using(db).filter(is_staff=True, role="alumnus", alumnus_profile__isnull=True).update(role="staff")


def delete_group(apps, schema_editor):
    db = schema_editor.connection.alias
    apps.get_model("accounts", "User").objects.using(db).filter(role="staff").update(role="alumnus")
    apps.get_model("auth", "Group").objects.using(db).filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_staff_role_and_notices"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
