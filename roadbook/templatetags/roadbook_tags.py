from django import template

from roadbook import rules, services

register = template.Library()


@register.inclusion_tag("roadbook/partials/status.html", takes_context=True)
def roadbook_status(context, mentorship):
    """The road-book's status and deadline, for every page that shows the mentorship or an interview."""
    roadbook = getattr(mentorship, "roadbook", None)  # RelatedObjectDoesNotExist is an AttributeError
    interview = services.first_interview(mentorship)
    return {
        "user": context.get("user"),
        "mentorship": mentorship,
        "roadbook": roadbook,
        "first_interview": interview,
        "deadline": rules.roadbook_deadline(mentorship.campaign, interview.start) if interview else None,
        "min_days": mentorship.campaign.roadbook_min_days,
    }
