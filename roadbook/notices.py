"""The notices the road-book app sends, declared once (templates in ``templates/emails/<name>/``)."""

from django.utils.translation import gettext_lazy as _

from accounts.career_department import STAFF_REASON
from core.notices import NoticeKind, register

register(
    NoticeKind("roadbook_submitted", label=_("Road-book received")),
    NoticeKind("roadbook_late", label=_("Road-book arrived late")),
    # Reminders (roadbook/reminders.py).
    NoticeKind("roadbook_due", own_reason=True, label=_("Road-book due soon")),
    NoticeKind("roadbook_overdue", own_reason=True, label=_("Road-book overdue")),
)

# To the Alumni Career Department (accounts.career_department.send_staff_notice).
register(
    NoticeKind("staff_roadbook_late", reason=STAFF_REASON, label=_("Staff: road-book arrived late")),
)
