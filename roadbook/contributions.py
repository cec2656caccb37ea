"""What the road-book adds to the shared pages (registered in ``RoadbookConfig.ready``)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from mentoring import contributions
from mentoring.contributions import NextStep
from roadbook import permissions
from roadbook.models import Roadbook


def status_context(user, mentorship, roadbook, on_roadbook_page=False):
    """What ``roadbook/partials/status.html`` shows: the status, the deadline, the lateness."""
    return {
        "user": user,
        "mentorship": mentorship,
        "roadbook": roadbook,
        "deadline": roadbook.due_at if roadbook else None,
        "late": roadbook is not None and roadbook.is_late_now(),
        "min_days": mentorship.campaign.roadbook_min_days,
        "on_roadbook_page": on_roadbook_page,
        "can_edit": user is not None and permissions.can_edit_roadbook(user, mentorship),
    }


def _roadbooks(mentorships):
    return {roadbook.mentorship_id: roadbook for roadbook in Roadbook.objects.filter(mentorship__in=mentorships)}


@contributions.next_steps.register
def next_steps(area):
    steps = []
    mentorship = area.active_mentorship
    if mentorship is not None:
        roadbook = _roadbooks([mentorship]).get(mentorship.pk)
        interview_past = (
            roadbook is not None and roadbook.first_interview_at and roadbook.first_interview_at <= area.now
        )
        if not interview_past and (roadbook is None or not roadbook.is_sent):
            steps.append(
                NextStep(
                    _("Send your road-book to %(name)s at least %(days)s days before your first interview.")
                    % {"name": mentorship.mentor.get_full_name(), "days": mentorship.campaign.roadbook_min_days},
                    reverse("roadbook:edit", args=[mentorship.pk]),
                    _("My road-book"),
                )
            )
    roadbooks = _roadbooks(area.active_mentees) if area.active_mentees else {}
    for mentee in area.active_mentees:
        roadbook = roadbooks.get(mentee.pk)
        if roadbook is not None and roadbook.is_sent and roadbook.mentor_first_opened_at is None:
            steps.append(
                NextStep(
                    _("%(name)s sent you the road-book: read it before your first interview.")
                    % {"name": mentee.student.get_full_name()},
                    reverse("roadbook:edit", args=[mentee.pk]),
                    _("Read it"),
                )
            )
    return steps


@contributions.mentorship_summaries.register
def status_lines(request, mentorships):
    roadbooks = _roadbooks(mentorships)
    return {
        mentorship.pk: render_to_string(
            "roadbook/partials/status.html", status_context(request.user, mentorship, roadbooks.get(mentorship.pk))
        )
        for mentorship in mentorships
    }


@contributions.mentorship_sections.register
def mentorship_section(request, mentorship):
    roadbook = Roadbook.objects.filter(mentorship=mentorship).first()
    return render_to_string(
        "roadbook/partials/mentorship_section.html",
        status_context(request.user, mentorship, roadbook),
        request=request,
    )
