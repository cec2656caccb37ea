"""Demo interviews: the demo student proposed dates for the first interview."""

from datetime import timedelta

from django.utils import timezone

from evaluations.models import Interview, InterviewSlot
from mentoring.models import MeetingMode


def seed(context):
    mentorship = context["mentorships"]["accepted"]
    created = 0
    if not mentorship.interviews.exists():
        day = timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0)
        interview = Interview.objects.create(
            mentorship=mentorship,
            kind=Interview.Kind.FIRST,
            mode=MeetingMode.VIDEO,
            link="https://meet.example.org/demo-first-interview",
            duration_minutes=60,
            proposed_by=mentorship.student,
        )
        InterviewSlot.objects.bulk_create(
            InterviewSlot(interview=interview, start=day + timedelta(days=days)) for days in (6, 8)
        )
        created = 1
    context.setdefault("created", {})["interviews"] = created
