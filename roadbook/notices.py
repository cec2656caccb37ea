"""The notices the road-book app sends, declared once (templates in ``templates/emails/<name>/``)."""

from core.notices import NoticeKind, register

register(
    NoticeKind("roadbook_submitted"),
    NoticeKind("roadbook_late"),
    # Reminders (roadbook/reminders.py).
    NoticeKind("roadbook_due", own_reason=True),
    NoticeKind("roadbook_overdue", own_reason=True),
)
