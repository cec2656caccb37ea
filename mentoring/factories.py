from datetime import timedelta

import factory
from django.utils import timezone

from mentoring.models import Campaign


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
