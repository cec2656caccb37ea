from django import template

from roadbook import rules, services

register = template.Library()


@register.inclusion_tag("roadbook/partials/status.html", takes_context=True)
def roadbook_status(context, mentorship, on_roadbook_page=False):
    """The road-book's status and deadline, for every page that shows the mentorship or an interview."""
    roadbook = getattr(mentorship, "roadbook", None)  # RelatedObjectDoesNotExist is an AttributeError
    interview = services.first_interview(mentorship)
    return {
        "user": context.get("user"),
        "mentorship": mentorship,
        "roadbook": roadbook,
        "first_interview": interview,
        "deadline": rules.roadbook_deadline(mentorship.campaign, interview.start) if interview else None,
        "late": services.is_late_now(mentorship, roadbook, interview),
        "min_days": mentorship.campaign.roadbook_min_days,
        "on_roadbook_page": on_roadbook_page,
    }


@register.simple_tag
def roadbook_is_late(mentorship):
    """Whether the road-book missed the deadline of the first interview's current date."""
    return services.is_late_now(mentorship, getattr(mentorship, "roadbook", None), services.first_interview(mentorship))


@register.filter
def roadbook_deadline(start, campaign):
    """``{{ interview.start|roadbook_deadline:campaign }}``: when the road-book is due for that start."""
    return rules.roadbook_deadline(campaign, start) if start else None
