"""Demo campaign for `manage.py seed_demo`: its matching phase is open whenever it is seeded."""

from datetime import timedelta

from django.utils import timezone

from mentoring.models import Campaign

DEMO_CAMPAIGN = "Demo campaign"


def seed(context):
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    campaign, created = Campaign.objects.get_or_create(
        name=DEMO_CAMPAIGN,
        defaults={
            "recruitment_opens": now - timedelta(days=60),
            "recruitment_closes": now - timedelta(days=10),
            "matching_opens": now - timedelta(days=10),
            "campaign_ends": now + timedelta(days=200),
            "is_current": True,
        },
    )
    if not created and not campaign.is_current and not Campaign.objects.filter(is_current=True).exists():
        campaign.is_current = True
        campaign.save(update_fields=["is_current"])
    context["campaign"] = campaign
    context.setdefault("created", {})["campaigns"] = int(created)
