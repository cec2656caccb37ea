"""The 3-day rule, in one place.

The road-book must reach the mentor at least ``campaign.roadbook_min_days`` days before the
first interview. Days are calendar days in the school's time zone: three days after Saturday
10:00 is Tuesday 10:00, even across a daylight-saving change.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import local_datetime


def _shift(moment, days):
    # Aware datetimes add timedeltas on the wall clock of their own zone: localising first
    # makes "3 days" mean three calendar days where the school is.
    return timezone.localtime(moment) + timedelta(days=days)


def earliest_first_interview(campaign, submitted_at=None, now=None):
    """The earliest start allowed for a first interview."""
    base = submitted_at or now or timezone.now()
    return _shift(base, campaign.roadbook_min_days)


def round_up_to_quarter_hour(moment):
    """The next quarter hour from ``moment`` (itself when it is one): an earliest start shown to
    people reads "08:00", not "07:58"."""
    exact = moment.replace(second=0, microsecond=0)
    if exact < moment:
        exact += timedelta(minutes=1)
    return exact + timedelta(minutes=-exact.minute % 15)


def roadbook_deadline(campaign, interview_start):
    """When the road-book must have reached the mentor for a first interview at ``interview_start``."""
    return _shift(interview_start, -campaign.roadbook_min_days)


def is_late(campaign, submitted_at, interview_start):
    return submitted_at > roadbook_deadline(campaign, interview_start)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    earliest: object
    message: str = ""


def check_first_interview_start(campaign, start, submitted_at=None, now=None):
    """Whether a first interview may be proposed or confirmed for ``start``, and why not."""
    earliest = earliest_first_interview(campaign, submitted_at, now)
    if start >= earliest:
        return Verdict(True, earliest)
    when = local_datetime(round_up_to_quarter_hour(earliest))
    if submitted_at:
        reason = _(
            "The mentor needs the road-book at least %(days)s days before the first interview; it was sent on "
            "%(sent)s, so the earliest start is %(earliest)s."
        ) % {
            "days": campaign.roadbook_min_days,
            "sent": local_datetime(submitted_at),
            "earliest": when,
        }
    else:
        reason = _(
            "The road-book must reach the mentor at least %(days)s days before the first interview, and it has not "
            "been sent yet: the earliest start is %(earliest)s."
        ) % {"days": campaign.roadbook_min_days, "earliest": when}
    return Verdict(False, earliest, reason)
