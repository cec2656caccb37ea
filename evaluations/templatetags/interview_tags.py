from django import template

from evaluations import services

register = template.Library()


@register.inclusion_tag("evaluations/partials/mentorship_interviews.html", takes_context=True)
def mentorship_interviews(context, mentorship):
    user = context.get("user")
    return {
        "user": user,
        "mentorship": mentorship,
        "interviews": mentorship.interviews.select_related("evaluation"),
        "can_propose": user is not None and services.next_interview_kind(mentorship, user) is not None,
    }
