from django import template

from roadbook import rules
from roadbook.contributions import status_context

register = template.Library()


@register.inclusion_tag("roadbook/partials/status.html", takes_context=True)
def roadbook_status(context, mentorship, on_roadbook_page=False):
    """The road-book's status and deadline, for every page that shows the mentorship or an interview."""
    roadbook = getattr(mentorship, "roadbook", None)  # RelatedObjectDoesNotExist is an AttributeError
    return status_context(context.get("user"), mentorship, roadbook, on_roadbook_page)


@register.simple_tag
def roadbook_is_late(mentorship):
    """Whether the road-book missed the deadline of the first interview's current date."""
    roadbook = getattr(mentorship, "roadbook", None)
    return roadbook is not None and roadbook.is_late_now()


@register.filter
def roadbook_deadline(start, campaign):
    """``{{ interview.start|roadbook_deadline:campaign }}``: when the road-book is due for that start."""
    return rules.roadbook_deadline(campaign, start) if start else None
