"""The notices the mentoring app sends, declared once (templates in ``templates/emails/<name>/``)."""

from accounts.career_department import STAFF_REASON
from core.notices import NoticeKind, register

register(
    NoticeKind("welcome", own_reason=True),
    # Mentor recruitment.
    NoticeKind("enrollment_approved", own_reason=True),
    NoticeKind("enrollment_rejected", own_reason=True),
    NoticeKind("mentor_withdrawn", own_reason=True),
    # Requests and mentorships.
    NoticeKind("request_received", own_reason=True),
    NoticeKind("request_withdrawn", own_reason=True),
    NoticeKind("request_accepted", own_reason=True),
    NoticeKind("request_declined", own_reason=True),
    NoticeKind("request_expired", own_reason=True),
    NoticeKind("message_received"),
    NoticeKind("mentorship_closed"),
    # Reminders (mentoring/reminders.py).
    NoticeKind("recruitment_closing", own_reason=True),
    NoticeKind("matching_open", own_reason=True),
    NoticeKind("without_mentor", own_reason=True),
    NoticeKind("request_unanswered", own_reason=True),
)

# The handover to next year's campaign (services.campaign_start_next).
register(NoticeKind("mentor_reenrolment", own_reason=True))

# Alumni imported by staff are invited to volunteer (mentoring/imports.py).
register(NoticeKind("mentor_invitation", own_reason=True))

# To the Alumni Career Department (accounts.career_department.send_staff_notice).
register(
    NoticeKind("staff_mentor_applied", reason=STAFF_REASON),
    NoticeKind("staff_mentor_withdrawn", reason=STAFF_REASON),
)
