"""The notices of interviews, evaluations and coaching, declared once (templates in ``templates/emails/<name>/``)."""

from django.utils.translation import gettext_lazy as _

from accounts.career_department import STAFF_REASON
from core.notices import NoticeKind, register

register(
    # Interviews.
    NoticeKind("interview_proposed", label=_("Interview dates proposed")),
    NoticeKind("interview_confirmed", label=_("Interview confirmed")),
    NoticeKind("interview_rescheduled", label=_("Interview moved")),
    NoticeKind("interview_cancelled", label=_("Interview cancelled")),
    NoticeKind("interview_date_kept", label=_("Interview kept after a late road-book")),
    NoticeKind("interview_missed", label=_("Interview missed")),
    NoticeKind("interview_updated", label=_("Interview details changed by staff")),
    # Evaluations and coaching.
    NoticeKind("evaluation_shared", label=_("Evaluation shared")),
    NoticeKind("coaching_recommended", label=_("Coaching recommended")),
    NoticeKind("coaching_scheduled", own_reason=True, label=_("Coaching session scheduled")),
    # Reminders (evaluations/reminders.py).
    NoticeKind("interview_tomorrow", own_reason=True, label=_("Interview tomorrow")),
    NoticeKind("evaluation_pending", own_reason=True, label=_("Evaluation form pending")),
    NoticeKind("no_follow_up", own_reason=True, label=_("No follow-up interview planned")),
    NoticeKind("final_form_missing", own_reason=True, label=_("Final evaluation form missing")),
)

# To the Alumni Career Department (accounts.career_department.send_staff_notice).
register(
    NoticeKind("staff_coaching_requested", reason=STAFF_REASON, label=_("Staff: coaching requested")),
)
