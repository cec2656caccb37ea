from datetime import timedelta

import factory
from django.utils import timezone

from mentoring.models import Campaign, MentorEnrollment, Mentorship, Participation


class CampaignFactory(factory.django.DjangoModelFactory):
    """A current campaign; the constructors place "now" in the phase their name says."""

    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Campaign {2020 + n}")
    recruitment_opens = factory.LazyFunction(lambda: timezone.now() - timedelta(days=60))
    recruitment_closes = factory.LazyAttribute(lambda c: c.recruitment_opens + timedelta(days=40))
    matching_opens = factory.LazyAttribute(lambda c: c.recruitment_closes)
    campaign_ends = factory.LazyAttribute(lambda c: c.matching_opens + timedelta(days=200))
    is_current = True

    @classmethod
    def in_recruitment(cls, **kwargs):
        now = timezone.now()
        return cls(recruitment_opens=now - timedelta(days=10), recruitment_closes=now + timedelta(days=20), **kwargs)

    @classmethod
    def in_matching(cls, **kwargs):
        now = timezone.now()
        return cls(recruitment_opens=now - timedelta(days=60), recruitment_closes=now - timedelta(days=10), **kwargs)

    @classmethod
    def upcoming(cls, **kwargs):
        return cls(recruitment_opens=timezone.now() + timedelta(days=10), **kwargs)


class EnrollmentFactory(factory.django.DjangoModelFactory):
    """An approved mentor of the current campaign, offering video calls."""

    class Meta:
        model = MentorEnrollment
        skip_postgeneration_save = True

    alumnus = factory.SubFactory("accounts.factories.AlumnusFactory")
    campaign = factory.LazyFunction(lambda: Campaign.objects.current() or CampaignFactory.in_matching())
    status = MentorEnrollment.Status.APPROVED
    capacity = 2
    offers_video = True

    @factory.post_generation
    def sectors(enrollment, create, extracted, **kwargs):
        if create and extracted:
            enrollment.sectors.set(extracted)

    @factory.post_generation
    def languages(enrollment, create, extracted, **kwargs):
        if create and extracted:
            enrollment.languages.set(extracted)


class MentorshipFactory(factory.django.DjangoModelFactory):
    """A pending request; ``MentorshipFactory.accepted()`` for a mentor who said yes."""

    class Meta:
        model = Mentorship

    student = factory.SubFactory("accounts.factories.StudentFactory")
    enrollment = factory.SubFactory(EnrollmentFactory)
    campaign = factory.SelfAttribute("enrollment.campaign")
    status = Mentorship.Status.REQUESTED
    message = "I would value your advice on my project."

    @classmethod
    def accepted(cls, **kwargs):
        return cls(status=Mentorship.Status.ACCEPTED, responded_at=timezone.now(), **kwargs)


class ParticipationFactory(factory.django.DjangoModelFactory):
    """A student on the roster of the current campaign; ``ParticipationFactory.withdrawn()`` for one staff removed."""

    class Meta:
        model = Participation

    student = factory.SubFactory("accounts.factories.StudentFactory")
    campaign = factory.LazyFunction(lambda: Campaign.objects.current() or CampaignFactory.in_matching())
    source = Participation.Source.IMPORT

    @classmethod
    def withdrawn(cls, **kwargs):
        return cls(
            status=Participation.Status.WITHDRAWN,
            withdrawn_at=timezone.now(),
            withdrawn_reason="Left the school.",
            **kwargs,
        )
