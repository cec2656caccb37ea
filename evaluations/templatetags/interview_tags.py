from django import template

from evaluations.models import CoachingReferral
from evaluations.services import interviews as services

register = template.Library()


@register.inclusion_tag("evaluations/partials/mentorship_interviews.html", takes_context=True)
def mentorship_interviews(context, mentorship):
    """The mentorship's interviews, each completed evaluation with its shared part only: this page
    is the student's too, whoever reads it."""
    user = context.get("user")
    interviews = mentorship.interviews.select_related("evaluation").prefetch_related("evaluation__contacts")
    items = []
    for interview in interviews:
        evaluation = getattr(interview, "evaluation", None)  # RelatedObjectDoesNotExist is an AttributeError
        shared = evaluation is not None and evaluation.is_completed
        items.append(
            {
                "interview": interview,
                "evaluation": evaluation if shared else None,
                "rows": evaluation.fields_for(shared_only=True) if shared else [],
                "contacts": list(evaluation.contacts.all()) if shared else [],
            }
        )
    return {
        "user": user,
        "mentorship": mentorship,
        "items": items,
        "can_propose": user is not None and services.next_interview_kind(mentorship, user) is not None,
    }


@register.simple_tag
def open_coaching_referral(mentorship):
    """The mentorship's referral still recommended, requested or scheduled, if any (one at a time)."""
    return mentorship.coaching_referrals.filter(status__in=CoachingReferral.OPEN).first()
