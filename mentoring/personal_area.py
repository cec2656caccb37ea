"""What the personal area shows a person: where they stand in the campaign and what to do next."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from mentoring.models import Phase


@dataclass(frozen=True)
class NextStep:
    text: str
    url: str = ""
    action: str = ""


def _date(value):
    return formats.date_format(value, "DATETIME_FORMAT") if value else ""


def next_steps(user, campaign, when=None):
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
            NextStep(
                _("Edit campaigns, approvals and users in the administration."),
                reverse("admin:index"),
                _("Open the admin"),
            )
        )
    if campaign is None:
        steps.append(
            NextStep(_("No campaign is open at the moment. The Alumni Career Department will announce the next one."))
        )
        return steps
    phase = campaign.phase_at(when)
    if user.is_student:
        steps.extend(_student_steps(campaign, phase))
    else:
        steps.extend(_alumnus_steps(campaign, phase))
    return steps


def _student_steps(campaign, phase):
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
    if phase == Phase.MATCHING:
        return [
            NextStep(
                _("Choose a mentor among the alumni of the programme and contact them to schedule a first interview.")
            )
        ]
    return [NextStep(_("The %(name)s campaign has ended.") % {"name": campaign.name})]


def _alumnus_steps(campaign, phase):
    if phase == Phase.UPCOMING:
        return [
            NextStep(_("The recruitment of mentors opens on %(date)s.") % {"date": _date(campaign.recruitment_opens)})
        ]
    if phase == Phase.RECRUITMENT:
        return [
            NextStep(
                _("Volunteer as a mentor for this campaign before %(date)s.")
                % {"date": _date(campaign.recruitment_closes)}
            )
        ]
    if phase in (Phase.PREPARATION, Phase.MATCHING):
        return [
            NextStep(_("The recruitment of mentors closed on %(date)s.") % {"date": _date(campaign.recruitment_closes)})
        ]
    return [NextStep(_("The %(name)s campaign has ended.") % {"name": campaign.name})]
