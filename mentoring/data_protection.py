"""What the mentoring app erases and exports of a person (hooks of ``accounts.data_protection``,
registered in ``MentoringConfig.ready``)."""

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.data_protection import ExportSection, erasure_blockers, erasure_steps, export_sections
from core.audit import log_status, track
from core.privacy import blank_free_text, forget
from mentoring import contributions
from mentoring.models import HiddenSuggestion, MentorEnrollment, Mentorship, Message, Participation

# The audit trail: who changed each status (core.audit).
for _model in (Mentorship, MentorEnrollment, Participation):
    track(_model)


def _iso(moment):
    return moment.isoformat() if moment else None


@erasure_blockers.register
def open_mentorships(user):
    """A mentor closes, or has staff hand over, every open mentorship first: a student must never
    find their mentor gone without a word."""
    count = Mentorship.objects.filter(enrollment__alumnus=user, status__in=Mentorship.LIVE).count()
    if not count:
        return []
    return [
        ngettext(
            "You mentor %(count)d student whose mentorship is still open: answer or close it, or ask the Alumni "
            "Career Department to hand it over to another mentor, before erasing your account.",
            "You mentor %(count)d students whose mentorships are still open: answer or close them, or ask the "
            "Alumni Career Department to hand them over to another mentor, before erasing your account.",
            count,
        )
        % {"count": count}
    ]


def _change_status(queryset, new, **fields):
    """Moves the rows to ``new`` (with ``fields``), each change in the audit trail; returns them."""
    rows = list(queryset)
    if rows:
        queryset.model.objects.filter(pk__in=[row.pk for row in rows]).update(status=new, **fields)
        for row in rows:
            log_status(row, row.status, new)
            row.status = new
            for name, value in fields.items():
                setattr(row, name, value)
    return rows


@erasure_steps.register
def erase_mentoring(user, now):
    as_student = Mentorship.objects.filter(student=user)
    # The student leaves the programme: a pending request is withdrawn, an accepted mentorship
    # closed (the later steps wind down what was still to come), the roster entry withdrawn.
    with_people = as_student.select_related("student", "campaign", "enrollment__alumnus")
    requested = with_people.filter(status=Mentorship.Status.REQUESTED)
    _change_status(requested, Mentorship.Status.WITHDRAWN, responded_at=now)
    accepted = _change_status(
        with_people.filter(status=Mentorship.Status.ACCEPTED), Mentorship.Status.CLOSED, closed_at=now
    )
    if accepted:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            reason = _("The student left the programme.")
        for mentorship in accepted:
            for wind_down in contributions.mentorship_closed:
                wind_down(mentorship, reason)
    running = Participation.objects.filter(
        student=user, status=Participation.Status.ACTIVE, campaign__campaign_ends__gt=now
    ).select_related("student", "campaign")
    _change_status(running, Participation.Status.WITHDRAWN, withdrawn_at=now)
    participations = Participation.objects.filter(student=user)
    blank_free_text(participations)
    forget(participations)
    blank_free_text(as_student)
    messages = Message.objects.filter(Q(mentorship__student=user) | Q(author=user))
    blank_free_text(messages)
    forget(messages)
    forget(as_student)
    # A mentor's enrolments keep their numbers (capacity, dates); a running one is withdrawn.
    enrollments = MentorEnrollment.objects.filter(alumnus=user)
    running = enrollments.filter(
        status__in=(MentorEnrollment.Status.APPLIED, MentorEnrollment.Status.APPROVED), campaign__campaign_ends__gt=now
    ).select_related("alumnus", "campaign")
    _change_status(running, MentorEnrollment.Status.WITHDRAWN)
    blank_free_text(enrollments)
    forget(enrollments)
    # The mentors a student hid from their suggestions say what they thought of them.
    HiddenSuggestion.objects.filter(Q(student=user) | Q(enrollment__alumnus=user)).delete()


@export_sections.register
def export_mentoring(user):
    participations = Participation.objects.filter(student=user).select_related("campaign").order_by("joined_at")
    as_student = list(
        Mentorship.objects.filter(student=user)
        .select_related("campaign", "enrollment__alumnus")
        .order_by("requested_at", "pk")
    )
    enrollments = list(
        MentorEnrollment.objects.filter(alumnus=user)
        .select_related("campaign")
        .prefetch_related("languages", "sectors")
        .order_by("applied_at", "pk")
    )
    as_mentor = list(
        Mentorship.objects.filter(enrollment__alumnus=user)
        .select_related("campaign", "student")
        .order_by("requested_at", "pk")
    )
    # The student's whole threads; a mentor's own messages only.
    messages = {}
    for message in (
        Message.objects.filter(Q(mentorship__student=user) | Q(author=user))
        .select_related("author")
        .order_by("sent_at")
    ):
        messages.setdefault(message.mentorship_id, []).append(
            {
                "from": _("you") if message.author_id == user.pk else message.author.get_full_name(),
                "sent_at": _iso(message.sent_at),
                "text": message.body,
            }
        )
    data = {
        "campaigns": [
            {
                "campaign": p.campaign.name,
                "status": p.get_status_display(),
                "joined_at": _iso(p.joined_at),
                "withdrawn_at": _iso(p.withdrawn_at),
            }
            for p in participations
        ],
        "mentorships": [
            {
                "id": m.pk,
                "campaign": m.campaign.name,
                "mentor": m.enrollment.alumnus.get_full_name(),
                "status": m.get_status_display(),
                "requested_at": _iso(m.requested_at),
                "answered_at": _iso(m.responded_at),
                "closed_at": _iso(m.closed_at),
                "message_to_the_mentor": m.message,
                "reason_for_declining": m.decline_reason,
                "messages": messages.get(m.pk, []),
            }
            for m in as_student
        ],
        "enrolments": [
            {
                "campaign": e.campaign.name,
                "status": e.get_status_display(),
                "capacity": e.capacity,
                "meeting_modes": [str(label) for label in e.meeting_mode_labels],
                "languages": [language.name for language in e.languages.all()],
                "sectors": [str(sector) for sector in e.sectors.all()],  # in the person's language
                "availability": e.availability_note,
                "applied_at": _iso(e.applied_at),
                "decided_at": _iso(e.decided_at),
                "note_from_the_department": e.decision_note,
            }
            for e in enrollments
        ],
        "mentees": [
            {
                "id": m.pk,
                "campaign": m.campaign.name,
                "student": m.student.get_full_name(),
                "status": m.get_status_display(),
                "requested_at": _iso(m.requested_at),
                "closed_at": _iso(m.closed_at),
                "your_messages": messages.get(m.pk, []),
            }
            for m in as_mentor
        ],
        "mentors_you_hid_from_your_suggestions": [
            {"mentor": hidden.enrollment.alumnus.get_full_name(), "hidden_at": _iso(hidden.hidden_at)}
            for hidden in HiddenSuggestion.objects.filter(student=user)
            .select_related("enrollment__alumnus")
            .order_by("hidden_at", "pk")
        ],
    }
    return ExportSection("mentoring", data)
