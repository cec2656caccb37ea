"""Who may do what with interviews, evaluation forms and coaching referrals.

One vocabulary for views, services and templates: views pass these answers to templates as
flags, services refuse with a RuleError when one says no. Loading an object at all goes through
the models' ``for_user`` querysets (a stranger gets a 404 before any of these is asked).
"""

from accounts.models import User
from evaluations.models import CoachingReferral, Evaluation, Interview
from mentoring.models import Mentorship
from mentoring.permissions import is_staff_member


def is_student_of(user: User, mentorship: Mentorship) -> bool:
    return mentorship.is_student(user)


def is_mentor_of(user: User, mentorship: Mentorship) -> bool:
    return mentorship.is_mentor(user)


def can_schedule(user: User, mentorship: Mentorship) -> bool:
    """The student and the mentor schedule their interviews; staff only read them."""
    return mentorship.is_party(user)


def must_answer(user: User, interview: Interview) -> bool:
    """Whether ``user`` is the side that confirms the dates proposed for ``interview``."""
    awaiting = interview.awaiting()
    return awaiting is not None and awaiting.pk == user.pk


def can_fill_evaluation(user: User, interview: Interview) -> bool:
    """Only the mentor fills in an interview's evaluation form."""
    return interview.mentorship.is_mentor(user)


def can_read_private_part(user: User, interview: Interview) -> bool:
    """The private part of a form is for its mentor and staff, never the student."""
    return interview.mentorship.is_mentor(user) or is_staff_member(user)


def can_read_evaluation(user: User, interview: Interview, evaluation: Evaluation | None) -> bool:
    """A form exists to read: the mentor and staff read it as it is, the student once completed."""
    if evaluation is None:
        return False
    return can_read_private_part(user, interview) or evaluation.is_completed


def can_recommend_coaching(user: User, mentorship: Mentorship, referrals: list[CoachingReferral]) -> bool:
    """The mentor of an accepted mentorship, while no referral is open (one at a time)."""
    return (
        is_mentor_of(user, mentorship)
        and mentorship.is_accepted
        and not any(referral.status in CoachingReferral.OPEN for referral in referrals)
    )


def can_request_coaching(user: User, referral: CoachingReferral) -> bool:
    return referral.mentorship.is_student(user) and referral.can_be_requested
