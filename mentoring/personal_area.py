"""What the personal area shows a person: where they stand in the campaign and what to do next.

The later steps of the programme (road-books, interviews, evaluations, coaching) add their next
steps, lines and sections through the hook points of ``mentoring.contributions``.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Consent
from core.dates import local_datetime
from mentoring import contributions, permissions
from mentoring.contributions import NextStep, PersonalArea
from mentoring.models import MentorEnrollment, Mentorship, Phase


def _date(value):
    return local_datetime(value) if value else ""


def context_for(request, campaign, when=None):
    user = request.user
    ctx = {"campaign": campaign, "timeline": [], "next_steps": []}
    mentorship = ended_request = enrollment = None
    pending = mentees = []
    if campaign is not None:
        if user.is_student:
            mentorship, ended_request = _student_mentorships(user, campaign)
        elif user.is_alumnus:
            enrollment = MentorEnrollment.objects.filter(alumnus=user, campaign=campaign).with_free_places().first()
            if enrollment:
                own = enrollment.mentorships.select_related("student__student_profile", "campaign").order_by(
                    "requested_at"
                )
                pending = [m for m in own if m.status == Mentorship.Status.REQUESTED]
                mentees = [m for m in own if m.status in Mentorship.OCCUPYING]
        ctx["timeline"] = campaign.timeline(current_step=_current_step(campaign, mentorship, when), when=when)
    phase = campaign.phase_at(when) if campaign else None
    matching = phase == Phase.MATCHING
    area = PersonalArea(
        request=request,
        user=user,
        campaign=campaign,
        now=when or timezone.now(),
        active_mentorship=mentorship
        if matching and mentorship is not None and mentorship.status == Mentorship.Status.ACCEPTED
        else None,
        active_mentees=mentees if matching else [],
    )
    # The student's mentor and the mentor's mentees each get the lines the later steps add.
    contributions.summaries_for(request, [m for m in [mentorship] if m is not None and m.shares_contacts] + mentees)
    ctx.update(
        mentorship=mentorship,
        enrollment=enrollment,
        pending_requests=pending,
        mentees=mentees,
        next_steps=next_steps(
            area,
            mentorship=mentorship,
            ended_request=ended_request,
            enrollment=enrollment,
            pending=pending,
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
        .select_related("enrollment__alumnus", "campaign")
        .order_by("-requested_at", "-pk")
    )
    mentorship = own.filter(status__in=[*Mentorship.LIVE, Mentorship.Status.CLOSED]).first()
    return mentorship, None if mentorship else own.first()


def _current_step(campaign, mentorship, when):
    """Where a student stands during matching: step 2 until the later steps say more (the first
    interview confirmed, then held). None lets the calendar decide."""
    if campaign.phase_at(when) != Phase.MATCHING or mentorship is None or not mentorship.shares_contacts:
        return None
    return max([2, *(step for step in (f(mentorship) for f in contributions.timeline_step) if step)])


def next_steps(area, *, mentorship=None, ended_request=None, enrollment=None, pending=()):
    user, campaign = area.user, area.campaign
    steps = []
    # Staff only have no profile to complete: nobody chooses them as mentor or mentee.
    if user.profile_is_incomplete:
        steps.append(
            NextStep(
                _("Complete your profile so that your future mentor or mentee knows who you are."),
                reverse("accounts:profile"),
                _("Edit my profile"),
            )
        )
    labels = {Consent.Document.CHARTER: "accounts:charter", Consent.Document.PRIVACY: "accounts:privacy"}
    for document in Consent.missing_for(user):
        steps.append(
            NextStep(
                _("Read and accept the current version of the %(document)s.")
                % {"document": Consent.Document(document).label.lower()},
                reverse(labels[document]),
                _("Read it"),
            )
        )
    if permissions.can_see_dashboard(user):
        steps.append(
            NextStep(_("Follow the campaign on the programme dashboard."), reverse("mentoring:staff"), _("Dashboard"))
        )
    if campaign is None:
        steps.append(
            NextStep(_("No campaign is open at the moment. The Alumni Career Department will announce the next one."))
        )
        return steps
    phase = campaign.phase_at(area.now)
    if user.is_student:
        steps.extend(_student_steps(campaign, phase, mentorship, ended_request))
    elif user.is_alumnus:
        steps.extend(_alumnus_steps(campaign, phase, enrollment, pending))
    for contribution in contributions.next_steps:
        steps.extend(contribution(area))
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
        return [NextStep(_("The campaign “%(name)s” has ended.") % {"name": campaign.name})]
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
            return [NextStep(_("The campaign “%(name)s” has ended.") % {"name": campaign.name})]
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
