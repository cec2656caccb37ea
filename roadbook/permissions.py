"""Who may do what with a road-book. Loading it at all goes through ``for_user`` querysets:
the student, their mentor once the request is accepted, and staff; anyone else gets a 404."""

from accounts.models import User
from mentoring.models import Mentorship


def can_edit_roadbook(user: User, mentorship: Mentorship) -> bool:
    """Only the student writes and sends their road-book."""
    return mentorship.is_student(user)


def reads_sent_version(user: User, mentorship: Mentorship) -> bool:
    """The mentor and staff read what was sent, never the student's working copy."""
    return not mentorship.is_student(user)


def opening_counts_as_read(user: User, mentorship: Mentorship) -> bool:
    """Only the mentor's first open is recorded and shown to the student."""
    return mentorship.is_mentor(user)
