"""The notices the mentoring app sends, declared once (templates in ``templates/emails/<name>/``)."""

from django.utils.translation import gettext_lazy as _

from accounts.career_department import STAFF_REASON
from core.notices import NoticeKind, register

register(
    NoticeKind("welcome", own_reason=True, label=_("Welcome")),
    # Mentor recruitment.
    NoticeKind("enrollment_approved", own_reason=True, label=_("Mentor application approved")),
    NoticeKind("enrollment_rejected", own_reason=True, label=_("Mentor application declined")),
    NoticeKind("mentor_withdrawn", own_reason=True, label=_("Mentor left the programme")),
    # Requests and mentorships.
    NoticeKind("request_received", own_reason=True, label=_("Request received")),
    NoticeKind("request_withdrawn", own_reason=True, label=_("Request withdrawn")),
    NoticeKind("request_accepted", own_reason=True, label=_("Request accepted")),
    NoticeKind("request_declined", own_reason=True, label=_("Request declined")),
    NoticeKind("request_expired", own_reason=True, label=_("Request expired")),
    NoticeKind("message_received", label=_("New message")),
    NoticeKind("mentorship_closed", label=_("Mentorship complete")),
    # Reminders (mentoring/reminders.py).
    NoticeKind("recruitment_closing", own_reason=True, label=_("Mentor applications closing soon")),
    NoticeKind("matching_open", own_reason=True, label=_("Students can choose a mentor")),
    NoticeKind("without_mentor", own_reason=True, label=_("Student still without a mentor")),
    NoticeKind("request_unanswered", own_reason=True, label=_("Request awaiting an answer")),
)

# The handover to next year's campaign (services.campaign_start_next).
register(NoticeKind("mentor_reenrolment", own_reason=True, label=_("New campaign: mentor again?")))

# Alumni imported by staff are invited to volunteer (mentoring/imports.py).
register(NoticeKind("mentor_invitation", own_reason=True, label=_("Invitation to mentor")))

# To the Alumni Career Department (accounts.career_department.send_staff_notice).
register(
    NoticeKind("staff_mentor_applied", reason=STAFF_REASON, label=_("Staff: new mentor application")),
    NoticeKind("staff_mentor_withdrawn", reason=STAFF_REASON, label=_("Staff: mentor withdrawn")),
)

# Data protection: a campaign's data is erased at the end of its retention period (mentoring/retention.py).
register(NoticeKind("retention_notice", own_reason=True, label=_("Documents to be erased soon")))
