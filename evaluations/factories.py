from datetime import timedelta

import factory
from django.utils import timezone

from evaluations.models import Interview, InterviewSlot
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

    @classmethod
    def confirmed(cls, start=None, **kwargs):
        start = start or _in_five_days()
        kwargs.setdefault("status", Interview.Status.CONFIRMED)
        return cls(start=start, slot__start=start, **kwargs)


class InterviewSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterviewSlot

    interview = factory.SubFactory(InterviewFactory)
    start = factory.LazyFunction(_in_five_days)
