"""Who is the Alumni Career Department, for the programme's own pages.

``is_staff`` only opens the admin's door; what a person sees there comes from their permissions.
The programme's pages follow the same rule: reading a student's road-book, CV or evaluation
through them needs the department's permission (``read_confidential_user``, held by the "Career
Department" group, ``accounts.career_department``), so an account that was made staff for some
other reason (a developer, a former member taken out of the group) reads nothing confidential.
"""

from accounts.backends import OneQueryPermissionsBackend
from accounts.models import User

READ_CONFIDENTIAL = "accounts.read_confidential_user"


def is_career_department(user: User) -> bool:
    """Staff holding the department's permission to read confidential records."""
    return bool(user.is_authenticated and user.is_active and user.is_staff and user.has_perm(READ_CONFIDENTIAL))


def career_department_among(user_ids) -> set[int]:
    """Which of these people ``is_career_department``: one query, for a list of many."""
    members = OneQueryPermissionsBackend().with_perm(READ_CONFIDENTIAL)  # active, superusers included
    return set(members.filter(pk__in=user_ids, is_staff=True).values_list("pk", flat=True))
