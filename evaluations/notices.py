"""The notices of interviews, evaluations and coaching, declared once (templates in ``templates/emails/<name>/``)."""

from accounts.career_department import STAFF_REASON
from core.notices import NoticeKind, register

register(
    # Interviews.
    NoticeKind("interview_proposed"),
    NoticeKind("interview_confirmed"),
    NoticeKind("interview_rescheduled"),
    NoticeKind("interview_cancelled"),
    NoticeKind("interview_date_kept"),
    # Evaluations and coaching.
    NoticeKind("evaluation_shared"),
    NoticeKind("coaching_recommended"),
    NoticeKind("coaching_scheduled", own_reason=True),
    # Reminders (evaluations/reminders.py).
    NoticeKind("interview_tomorrow", own_reason=True),
    NoticeKind("evaluation_pending", own_reason=True),
    NoticeKind("no_follow_up", own_reason=True),
    NoticeKind("final_form_missing", own_reason=True),
)

# To the Alumni Career Department (accounts.career_department.send_staff_notice).
register(
    NoticeKind("staff_coaching_requested", reason=STAFF_REASON),
)
