"""Who may do what in the mentoring app: one vocabulary for views, services and templates.

Loading an object at all goes through ``for_user`` querysets (a stranger gets a 404); these
predicates answer the finer questions once the object is loaded.
"""

from accounts.models import User
from accounts.permissions import is_career_department
from mentoring.models import Mentorship

# Where the pair may still write to each other.
MESSAGE_OPEN = (Mentorship.Status.REQUESTED, Mentorship.Status.ACCEPTED)


def is_staff_member(user: User) -> bool:
    """The Alumni Career Department: the dashboard, and reading every record. ``is_staff`` alone
    is not enough: the department's permission is (``accounts.permissions``)."""
    return is_career_department(user)


def can_see_dashboard(user: User) -> bool:
    return is_staff_member(user)


def can_answer_request(user: User, mentorship: Mentorship) -> bool:
    return mentorship.is_mentor(user) and mentorship.is_requested


def can_withdraw_request(user: User, mentorship: Mentorship) -> bool:
    return mentorship.is_student(user) and mentorship.is_requested


def can_post_message(user: User, mentorship: Mentorship) -> bool:
    """Staff read the thread; only the pair write in it, while the mentorship is live."""
    return mentorship.is_party(user) and mentorship.status in MESSAGE_OPEN
