from datetime import timedelta

import factory
import time_machine
from django.utils import timezone

from evaluations.models import Interview, InterviewSlot
from evaluations.services.interviews import sync_roadbook_deadline
from mentoring.factories import MentorshipFactory


def _in_five_days():
    return (timezone.now() + timedelta(days=5)).replace(second=0, microsecond=0)


class InterviewFactory(factory.django.DjangoModelFactory):
    """A first interview proposed by the student with one slot; ``confirmed()`` for a set date."""

    class Meta:
        model = Interview
        skip_postgeneration_save = True

    mentorship = factory.SubFactory(MentorshipFactory, status="accepted")
    kind = Interview.Kind.FIRST
    mode = "video"
    link = "https://meet.example.org/x"
    proposed_by = factory.SelfAttribute("mentorship.student")
    slot = factory.RelatedFactory(
        "evaluations.factories.InterviewSlotFactory",
        factory_related_name="interview",
        start=factory.LazyFunction(_in_five_days),
    )

    @factory.post_generation
    def roadbook_deadline(interview, create, extracted, **kwargs):
        # As the interview services do: a first interview's date is written down into the road-book.
        if create and interview.is_first:
            sync_roadbook_deadline(interview.mentorship)

    @classmethod
    def confirmed(cls, start=None, **kwargs):
        start = start or _in_five_days()
        kwargs.setdefault("status", Interview.Status.CONFIRMED)
        return cls(start=start, slot__start=start, **kwargs)

    @classmethod
    def started(cls, ago=timedelta(hours=1), **kwargs):
        """A confirmed first interview that started ``ago`` (on a whole minute), set up days before."""
        start = (timezone.now() - ago).replace(second=0, microsecond=0)
        with time_machine.travel(start - timedelta(days=5)):
            return cls.confirmed(start=start, **kwargs)

    @classmethod
    def started_follow_up(cls, mentorship, ago=timedelta(minutes=30), **kwargs):
        """A confirmed follow-up of ``mentorship`` that started ``ago``, set up the day before."""
        start = (timezone.now() - ago).replace(second=0, microsecond=0)
        with time_machine.travel(start - timedelta(days=1)):
            return cls.confirmed_follow_up(mentorship, start=start, **kwargs)

    @classmethod
    def confirmed_follow_up(cls, mentorship, start=None, **kwargs):
        """A confirmed follow-up: the first interview is held by then (one is active at a time)."""
        mentorship.interviews.filter(kind=Interview.Kind.FIRST).update(status=Interview.Status.HELD)
        return cls.confirmed(start=start, mentorship=mentorship, kind=Interview.Kind.FOLLOW_UP, **kwargs)


class InterviewSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterviewSlot

    interview = factory.SubFactory(InterviewFactory)
    start = factory.LazyFunction(_in_five_days)
