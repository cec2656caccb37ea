"""What the personal area shows a person: where they stand in the campaign and what to do next.

Later steps of the programme (road-books, interviews) are read through reverse relations of the
mentorship, never by importing the apps above this one.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from mentoring.models import MentorEnrollment, Mentorship, Phase, SentNotice


@dataclass(frozen=True)
class NextStep:
    text: str
    url: str = ""
    action: str = ""


def _date(value):
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else ""


def context_for(user, campaign, when=None):
    ctx = {"campaign": campaign, "timeline": [], "next_steps": []}
    mentorship = ended_request = enrollment = None
    pending = mentees = []
    if campaign is not None:
        if user.is_student:
            mentorship, ended_request = _student_mentorships(user, campaign)
        else:
            enrollment = MentorEnrollment.objects.filter(alumnus=user, campaign=campaign).with_places().first()
            if enrollment:
                # The mentees' road-book status reads each one's road-book, campaign and interviews.
                own = (
                    enrollment.mentorships.select_related("student__student_profile", "campaign", "roadbook")
                    .prefetch_related("interviews__evaluation")
                    .order_by("requested_at")
                )
                pending = [m for m in own if m.status == Mentorship.Status.REQUESTED]
                mentees = [m for m in own if m.status in Mentorship.OCCUPYING]
        ctx["timeline"] = campaign.timeline(current_step=_current_step(campaign, mentorship, when), when=when)
    ctx.update(
        mentorship=mentorship,
        enrollment=enrollment,
        pending_requests=pending,
        mentees=mentees,
        next_steps=next_steps(
            user,
            campaign,
            when,
            mentorship=mentorship,
            ended_request=ended_request,
            enrollment=enrollment,
            pending=pending,
            mentees=mentees,
        ),
    )
    return ctx


def _student_mentorships(user, campaign):
    """(the mentorship to show as "my mentor", the last request that ended without one).

    Only a live or closed mentorship is the student's mentor; a declined, withdrawn or expired
    request is shown only while the student has no other, to say why and what to do next.
    """
    own = (
        Mentorship.objects.filter(student=user, campaign=campaign)
        .select_related("enrollment__alumnus", "campaign", "roadbook")
        .prefetch_related("interviews__evaluation", "coaching_referrals")
        .order_by("-requested_at", "-pk")
    )
    mentorship = own.filter(status__in=[*Mentorship.LIVE, Mentorship.Status.CLOSED]).first()
    return mentorship, None if mentorship else own.first()


# Statuses of evaluations.Interview (and Evaluation, CoachingReferral), read as strings: this app
# never imports the ones above it.
FIRST_INTERVIEW = "first"
PROPOSED, CONFIRMED, HELD = "proposed", "confirmed", "held"


def _interviews(mentorship):
    return list(mentorship.interviews.all())


def _evaluation_done(interview):
    evaluation = getattr(interview, "evaluation", None)
    return evaluation is not None and evaluation.status == "completed"


def _awaiting(interview, user):
    """Whether ``user`` must answer the dates proposed for ``interview``."""
    return interview.status == PROPOSED and interview.proposed_by_id != user.pk


def _student_interview_steps(user, mentorship, now):
    steps = []
    interviews = _interviews(mentorship)
    if not any(i.kind == FIRST_INTERVIEW and i.status in (PROPOSED, CONFIRMED, HELD) for i in interviews):
        steps.append(
            NextStep(
                _("Propose one to three dates for your first interview."),
                reverse("evaluations:propose", args=[mentorship.pk]),
                _("Propose dates"),
            )
        )
    for interview in interviews:
        if _awaiting(interview, user):
            steps.append(
                NextStep(
                    _("%(name)s proposed dates for an interview: confirm one, or propose others.")
                    % {"name": mentorship.mentor.get_full_name()},
                    interview.get_absolute_url(),
                    _("Choose a date"),
                )
            )
    roadbook = getattr(mentorship, "roadbook", None)
    first_held = any(i.kind == FIRST_INTERVIEW and i.status == HELD for i in interviews)
    if not first_held and (roadbook is None or roadbook.submitted_at is None):
        steps.append(
            NextStep(
                _("Send your road-book to %(name)s at least %(days)s days before your first interview.")
                % {"name": mentorship.mentor.get_full_name(), "days": mentorship.campaign.roadbook_min_days},
                reverse("roadbook:edit", args=[mentorship.pk]),
                _("My road-book"),
            )
        )
    for interview in interviews:
        if _evaluation_done(interview) and interview.status == HELD:
            steps.append(
                NextStep(
                    _("Your mentor's feedback and action plan for the interview of %(date)s are ready.")
                    % {"date": _date(interview.start)},
                    reverse("evaluations:evaluation", args=[interview.pk]),
                    _("Read the feedback"),
                )
            )
    for referral in mentorship.coaching_referrals.all():
        if referral.status == "recommended":
            steps.append(
                NextStep(
                    _("Your mentor recommends a free coaching session with the Alumni Career Department."),
                    mentorship.get_absolute_url() + "#coaching",
                    _("Ask for it"),
                )
            )
    if first_held and not any(i.status in (PROPOSED, CONFIRMED) for i in interviews):
        steps.append(
            NextStep(
                _("Agree on a follow-up interview with your mentor."),
                reverse("evaluations:propose", args=[mentorship.pk]),
                _("Propose a follow-up"),
            )
        )
    return steps


def _mentor_mentee_steps(user, mentees, now):
    steps = []
    for mentorship in mentees:
        name = mentorship.student.get_full_name()
        for interview in _interviews(mentorship):
            if _awaiting(interview, user):
                steps.append(
                    NextStep(
                        _("%(name)s proposed dates for an interview: confirm one, or propose others.") % {"name": name},
                        interview.get_absolute_url(),
                        _("Choose a date"),
                    )
                )
            elif interview.status == CONFIRMED and interview.start <= now and not _evaluation_done(interview):
                steps.append(
                    NextStep(
                        _("Fill in the evaluation form of your interview with %(name)s.") % {"name": name},
                        reverse("evaluations:evaluation", args=[interview.pk]),
                        _("Evaluation form"),
                    )
                )
        roadbook = getattr(mentorship, "roadbook", None)
        if roadbook is not None and roadbook.submitted_at and roadbook.mentor_first_opened_at is None:
            steps.append(
                NextStep(
                    _("%(name)s sent you the road-book: read it before your first interview.") % {"name": name},
                    reverse("roadbook:edit", args=[mentorship.pk]),
                    _("Read it"),
                )
            )
    return steps


def _current_step(campaign, mentorship, when):
    """Where a student stands during matching: step 2 until the first interview is confirmed,
    step 3 until it is held, step 4 afterwards. None lets the calendar decide."""
    if campaign.phase_at(when) != Phase.MATCHING or mentorship is None or not mentorship.shares_contacts:
        return None
    statuses = set(
        mentorship.interviews.filter(kind=FIRST_INTERVIEW, status__in=[CONFIRMED, HELD]).values_list(
            "status", flat=True
        )
    )
    if HELD in statuses:
        return 4
    if CONFIRMED in statuses:
        return 3
    return 2


def next_steps(
    user, campaign, when=None, *, mentorship=None, ended_request=None, enrollment=None, pending=(), mentees=()
):
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
    now = when or timezone.now()
    if user.is_student:
        steps.extend(_student_steps(campaign, phase, mentorship, ended_request))
        if mentorship is not None and mentorship.status == Mentorship.Status.ACCEPTED and phase == Phase.MATCHING:
            steps.extend(_student_interview_steps(user, mentorship, now))
    else:
        steps.extend(_alumnus_steps(campaign, phase, enrollment, pending))
        if phase == Phase.MATCHING:
            steps.extend(_mentor_mentee_steps(user, mentees, now))
    return steps


def _student_steps(campaign, phase, mentorship, ended_request=None):
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
                _("%(name)s is your mentor.") % {"name": mentorship.mentor.get_full_name()},
                mentorship.get_absolute_url(),
                _("Open my mentorship"),
            )
        ]
    if mentorship is not None and mentorship.status == Mentorship.Status.CLOSED:
        return [NextStep(_("Your mentorship is complete. Good luck!"), mentorship.get_absolute_url(), _("Open"))]
    if ended_request is not None:
        return [
            NextStep(_ended_request_text(ended_request), reverse("mentoring:directory"), _("Choose another mentor"))
        ]
    return [
        NextStep(
            _("Choose a mentor among the alumni of the programme and contact them to schedule a first interview."),
            reverse("mentoring:directory"),
            _("Find a mentor"),
        )
    ]


def _ended_request_text(request_):
    name = request_.mentor.get_full_name()
    if request_.status == Mentorship.Status.DECLINED and request_.decline_reason:
        return _("%(name)s declined your request: “%(reason)s” Choose another mentor.") % {
            "name": name,
            "reason": request_.decline_reason,
        }
    if request_.status == Mentorship.Status.DECLINED:
        return _("%(name)s declined your request. Choose another mentor.") % {"name": name}
    if request_.status == Mentorship.Status.EXPIRED:
        return _("Your request to %(name)s expired without an answer. Choose another mentor.") % {"name": name}
    return _("You withdrew your request to %(name)s. Choose another mentor.") % {"name": name}


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
                ngettext(
                    "%(count)s student would like you as their mentor: accept or decline below.",
                    "%(count)s students would like you as their mentor: accept or decline below.",
                    len(pending),
                )
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
    return [NextStep(_("You are a mentor of this campaign; requests from students appear here."))]


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
        # Coaching referrals are read through the mentorships' reverse relation (evaluations sits above).
        "coaching_requested": Mentorship.objects.filter(
            campaign=campaign, coaching_referrals__status="requested"
        ).count(),
        "notices_undelivered": SentNotice.objects.filter(delivered_at__isnull=True).count(),
    }
