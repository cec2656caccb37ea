"""The Alumni Career Department: its group, what it may do in the admin, and how it is told.

Staff get their admin permissions from one group, "Career Department", never one by one. What the
group may do is declared once, in ``PERMISSIONS``, and kept exact: after every ``migrate`` the
group holds these permissions and no other, so a permission added by hand is taken back and a
model added later joins as soon as it is declared here and migrated. Superusers are for the
people who run the servers, not for the department.

The list names the models of the apps above this one as data (labels, no import): it is what
staff may do across the programme, reviewed in one place.
"""

import logging

from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q, QuerySet

from accounts.models import User
from core.notices import Notice, send_notices

logger = logging.getLogger(__name__)

GROUP_NAME = "Career Department"

# The footer of every notice sent to the department.
STAFF_REASON = "emails/reason_staff.txt"

# "app_label.model": the actions the department has on it. Never "delete" on people or on what
# the programme recorded, never anything on groups or permissions: staff do not grant themselves
# more. Road-books, interviews and evaluations are the student's and the mentor's: staff read them
# (and correct an interview's practical details).
PERMISSIONS: dict[str, tuple[str, ...]] = {
    # People: staff correct a name or deactivate an account; the permission fields are read-only
    # for them (accounts.admin). Sectors and languages are the vocabulary of mentors' profiles.
    "accounts.user": ("view", "change", "import", "read_confidential", "erase"),
    "accounts.studentprofile": ("view", "change"),
    "accounts.alumnusprofile": ("view", "change"),
    "accounts.sector": ("view", "add", "change"),
    "accounts.language": ("view", "add", "change"),
    # The school's identity providers (single sign-on) and their policy; who signed in through them.
    "socialaccount.socialapp": ("view", "add", "change"),
    "accounts.schoolsignon": ("view", "add", "change"),
    "socialaccount.socialaccount": ("view",),
    # The campaign, its roster, its mentors and mentorships.
    "mentoring.campaign": ("view", "add", "change"),
    "mentoring.participation": ("view", "add", "change"),
    "mentoring.mentorenrollment": ("view", "change"),
    "mentoring.mentorship": ("view", "change"),
    "mentoring.message": ("view",),
    # Read-only: what the student and the mentor wrote.
    "roadbook.roadbook": ("view",),
    "roadbook.roadbookversion": ("view",),
    # Staff may correct an interview's details (place, link, number, duration): both sides get the
    # updated invitation; its date and status stay the pair's (evaluations.admin).
    "evaluations.interview": ("view", "change"),
    "evaluations.interviewslot": ("view",),
    "evaluations.evaluation": ("view",),
    "evaluations.recommendedcontact": ("view",),
    # The coaching queue is the department's own.
    "evaluations.coachingreferral": ("view", "change"),
    # What was mailed, and when the reminders run.
    "core.sentnotice": ("view",),
    "django_celery_beat.periodictask": ("view", "change"),
    "django_celery_beat.intervalschedule": ("view",),
    "django_celery_beat.crontabschedule": ("view",),
}


def declared_permissions() -> Q:
    """A filter of ``auth.Permission`` for the declared permissions."""
    wanted = Q(pk__in=[])
    for label, actions in PERMISSIONS.items():
        app_label, model = label.split(".")
        wanted |= Q(
            content_type__app_label=app_label,
            content_type__model=model,
            codename__in=[f"{action}_{model}" for action in actions],
        )
    return wanted


def sync_group(*, apps=global_apps, using=DEFAULT_DB_ALIAS):
    """Creates the group when missing and gives it exactly the declared permissions that exist."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.using(using).get_or_create(name=GROUP_NAME)
    group.permissions.set(Permission.objects.using(using).filter(declared_permissions()))
    return group


def sync_after_migrate(sender, *, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """post_migrate: Django creates permissions app by app as it signals each one, and the group's
    belong to every app, so they are all made sure of before the group is synced."""
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    sync_group(apps=apps, using=using)


def members() -> QuerySet[User]:
    """The active members of the department, who receive its notices."""
    return User.objects.filter(is_active=True, groups__name=GROUP_NAME)


def send_staff_notice(kind: str, *, obj, context: dict | None = None, period: str = "") -> int:
    """Tells the department of something that needs it; returns how many notices were written.

    Each active member gets it at once, or in their daily digest if they chose one; while the
    group has no active member, the address in ``CAREER_DEPARTMENT_EMAIL`` gets it. Exactly once per
    (kind, object, recipient, period), like every notice. Call it in the event's transaction.
    """
    people = list(members())
    if people:
        notices = [Notice(person, obj, context or {}, period, held=person.holds_staff_notices) for person in people]
    elif settings.CAREER_DEPARTMENT_EMAIL:
        notices = [Notice(None, obj, context or {}, period, email=settings.CAREER_DEPARTMENT_EMAIL)]
    else:
        logger.warning(
            "Nobody to tell of %s: the %r group has no active member and CAREER_DEPARTMENT_EMAIL is not set.",
            kind,
            GROUP_NAME,
        )
        return 0
    return send_notices(kind, notices)
