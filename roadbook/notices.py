"""The notices the road-book app sends, declared once (templates in ``templates/emails/<name>/``)."""

from accounts.career_department import STAFF_REASON
from core.notices import NoticeKind, register

register(
    NoticeKind("roadbook_submitted"),
    NoticeKind("roadbook_late"),
    # Reminders (roadbook/reminders.py).
    NoticeKind("roadbook_due", own_reason=True),
    NoticeKind("roadbook_overdue", own_reason=True),
)

# To the Alumni Career Department (accounts.career_department.send_staff_notice).
register(
    NoticeKind("staff_roadbook_late", reason=STAFF_REASON),
)
