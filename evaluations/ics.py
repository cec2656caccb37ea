"""Calendar invitations (RFC 5545) for interviews, built with icalendar."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText


def _address(user):
    address = vCalAddress(f"mailto:{user.email}")
    address.params["cn"] = vText(user.get_full_name())
    return address


def invitation(interview, *, method="REQUEST"):
    """The .ics for an interview: the same UID for its whole life, SEQUENCE rising with each change."""
    mentorship = interview.mentorship
    calendar = Calendar()
    calendar.add("prodid", "-//Alumni mentoring//Interviews//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)

    # A confirmed date that someone proposed to move: it may still change, and the file says so.
    renegotiated = method != "CANCEL" and interview.status == interview.Status.PROPOSED
    event = Event()
    event.add("uid", f"{interview.uid}@alumni-mentoring")
    event.add("sequence", interview.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", interview.start)
    event.add("dtend", interview.end)
    summary = (
        f"{interview.get_kind_display()}: {mentorship.student.get_full_name()} / {mentorship.mentor.get_full_name()}"
    )
    rescheduled = _("being rescheduled")
    event.add("summary", f"{summary} ({rescheduled})" if renegotiated else summary)
    description = f"{settings.PROGRAMME_NAME}\n{settings.SITE_URL}{interview.get_absolute_url()}"
    if renegotiated:
        note = _("Being rescheduled: other dates are proposed.")
        description = f"{note}\n{description}"
    event.add("description", description)
    event.add("url", f"{settings.SITE_URL}{interview.get_absolute_url()}")
    if interview.where:
        event.add("location", interview.where)
    event.add("status", "CANCELLED" if method == "CANCEL" else "TENTATIVE" if renegotiated else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.rsplit('<', 1)[-1].rstrip('>')}")
    organizer.params["cn"] = vText(settings.PROGRAMME_NAME)
    event.add("organizer", organizer)
    for person in (mentorship.student, mentorship.mentor):
        event.add("attendee", _address(person), encode=0)
    calendar.add_component(event)
    return calendar.to_ical()
