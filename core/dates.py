"""Dates as people read them: in the school's time zone, in the active language's format.

Messages of rules and mails name dates through these, so that a date reads the same everywhere.
"""

from datetime import date, datetime

from django.utils import formats, timezone


def local_datetime(value: datetime) -> str:
    """A moment, in the school's time zone: "3 May 2027, 10:00" (or its French form)."""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def local_date(value: date, format_name: str = "DATE_FORMAT") -> str:
    """A day: "3 May 2027" ("SHORT_DATE_FORMAT": 05/03/2027); a moment is first brought into the
    school's time zone."""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return formats.date_format(value, format_name)
