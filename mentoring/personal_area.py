"""What the personal area shows a person: where they stand in the campaign and what to do next.

Later steps of the programme (road-books, interviews) are read through reverse relations of the
mentorship, never by importing the apps above this one.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from mentoring.models import MentorEnrollment, Mentorship, Phase


@dataclass(frozen=True)
class NextStep:
    text: str
    url: str = ""
    action: str = ""


def _date(value):
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else ""


def context_for(user, campaign, when=None):
    ctx = {"campaign": campaign, "timeline": [], "next_steps": []}
    mentorship = enrollment = None
    pending = mentees = []
    if campaign is not None:
        if user.is_student:
            mentorship = (
                Mentorship.objects.filter(student=user, campaign=campaign)
                .select_related("enrollment__alumnus")
                .order_by("-requested_at")
                .first()
            )
        else:
            enrollment = MentorEnrollment.objects.filter(alumnus=user, campaign=campaign).with_places().first()
            if enrollment:
                own = enrollment.mentorships.select_related("student__student_profile").order_by("requested_at")
                pending = [m for m in own if m.status == Mentorship.Status.REQUESTED]
                mentees = [m for m in own if m.status in Mentorship.OCCUPYING]
        ctx["timeline"] = campaign.timeline(current_step=_current_step(campaign, mentorship, when), when=when)
    ctx.update(
        mentorship=mentorship,
        enrollment=enrollment,
        pending_requests=pending,
        mentees=mentees,
        next_steps=next_steps(user, campaign, when, mentorship=mentorship, enrollment=enrollment, pending=pending),
    )
    return ctx


def _current_step(campaign, mentorship, when):
    if campaign.phase_at(when) != Phase.MATCHING or mentorship is None:
        return None
    if mentorship.status == Mentorship.Status.ACCEPTED:
        return 3
    return None


def next_steps(user, campaign, when=None, *, mentorship=None, enrollment=None, pending=()):
    steps = []
    profile = user.profile
    if profile is None or not profile.is_complete:
        steps.append(
            NextStep(
                _("Complete your profile so that your future mentor or mentee knows who you are."),
                reverse("accounts:profile"),
                _("Edit my profile"),
            )
        )
    if user.is_staff:
        steps.append(
            NextStep(_("Follow the campaign on the programme dashboard."), reverse("mentoring:staff"), _("Dashboard"))
        )
    if campaign is None:
        steps.append(
            NextStep(_("No campaign is open at the moment. The Alumni Career Department will announce the next one."))
        )
        return steps
    phase = campaign.phase_at(when)
    if user.is_student:
        steps.extend(_student_steps(campaign, phase, mentorship))
    else:
        steps.extend(_alumnus_steps(campaign, phase, enrollment, pending))
    return steps


def _student_steps(campaign, phase, mentorship):
    if phase in (Phase.UPCOMING, Phase.RECRUITMENT, Phase.PREPARATION):
        return [
            NextStep(
                _(
                    "Matching opens on %(date)s. Meanwhile, think about your professional project and "
                    "job-search strategy: your road-book will ask for them."
                )
                % {"date": _date(campaign.matching_opens)}
            )
        ]
    if phase == Phase.ENDED:
        return [NextStep(_("The %(name)s campaign has ended.") % {"name": campaign.name})]
    if mentorship is not None and mentorship.status == Mentorship.Status.REQUESTED:
        return [
            NextStep(
                _("Your request is waiting for %(name)s's answer (until %(date)s).")
                % {"name": mentorship.mentor.get_full_name(), "date": _date(mentorship.expires_at)},
                mentorship.get_absolute_url(),
                _("See my request"),
            )
        ]
    if mentorship is not None and mentorship.status == Mentorship.Status.ACCEPTED:
        return [
            NextStep(
                _("%(name)s is your mentor: schedule your first interview and prepare your road-book.")
                % {"name": mentorship.mentor.get_full_name()},
                mentorship.get_absolute_url(),
                _("Open my mentorship"),
            )
        ]
    if mentorship is not None and mentorship.status == Mentorship.Status.CLOSED:
        return [NextStep(_("Your mentorship is complete. Good luck!"), mentorship.get_absolute_url(), _("Open"))]
    return [
        NextStep(
            _("Choose a mentor among the alumni of the programme and contact them to schedule a first interview."),
            reverse("mentoring:directory"),
            _("Find a mentor"),
        )
    ]


def _alumnus_steps(campaign, phase, enrollment, pending):
    apply_url = reverse("mentoring:mentor_apply")
    if phase == Phase.UPCOMING:
        return [
            NextStep(_("The recruitment of mentors opens on %(date)s.") % {"date": _date(campaign.recruitment_opens)})
        ]
    if enrollment is None or enrollment.status == MentorEnrollment.Status.WITHDRAWN:
        if phase == Phase.RECRUITMENT:
            return [
                NextStep(
                    _("Volunteer as a mentor for this campaign before %(date)s.")
                    % {"date": _date(campaign.recruitment_closes)},
                    apply_url,
                    _("Volunteer"),
                )
            ]
        if phase == Phase.ENDED:
            return [NextStep(_("The %(name)s campaign has ended.") % {"name": campaign.name})]
        return [
            NextStep(_("The recruitment of mentors closed on %(date)s.") % {"date": _date(campaign.recruitment_closes)})
        ]
    if enrollment.status == MentorEnrollment.Status.APPLIED:
        return [
            NextStep(_("Your application is being reviewed by the Alumni Career Department."), apply_url, _("Edit it"))
        ]
    if enrollment.status == MentorEnrollment.Status.REJECTED:
        return [NextStep(_("Your application for this campaign was not accepted."))]
    if pending:
        return [
            NextStep(
                _("%(count)s student(s) would like you as their mentor: accept or decline below.")
                % {"count": len(pending)}
            )
        ]
    if phase in (Phase.UPCOMING, Phase.RECRUITMENT, Phase.PREPARATION):
        return [
            NextStep(
                _("You are a mentor of this campaign. Students can choose you from %(date)s.")
                % {"date": _date(campaign.matching_opens)}
            )
        ]
    return [NextStep(_("You are a mentor of this campaign; requests from students will appear here."))]


def dashboard_for(campaign):
    """Figures for staff about one campaign, in a handful of queries."""
    if campaign is None:
        return {"campaign": None}
    enrollments = MentorEnrollment.objects.filter(campaign=campaign).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in MentorEnrollment.Status.values}
    )
    mentorships = Mentorship.objects.filter(campaign=campaign).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in Mentorship.Status.values}
    )
    students = User.objects.filter(role=User.Role.STUDENT, is_active=True)
    with_mentor = students.filter(
        mentorships__campaign=campaign, mentorships__status__in=[*Mentorship.OCCUPYING, Mentorship.Status.REQUESTED]
    ).distinct()
    return {
        "campaign": campaign,
        "enrollments": [(MentorEnrollment.Status(s).label, n) for s, n in enrollments.items()],
        "mentorships": [(Mentorship.Status(s).label, n) for s, n in mentorships.items()],
        "students_total": students.count(),
        "students_without_mentor": students.count() - with_mentor.count(),
        "applications_waiting": MentorEnrollment.objects.filter(
            campaign=campaign, status=MentorEnrollment.Status.APPLIED
        ).count(),
    }
