"""Demo campaign for `manage.py seed_demo`: its matching phase is open whenever it is seeded.

Every approved mentor of the campaign, a pending request to the demo mentor from another
student, and an accepted mentorship between the demo student and the demo mentor.
"""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Language, Sector
from mentoring.models import Campaign, MentorEnrollment, Mentorship

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
    counts = context.setdefault("created", {})
    counts["campaigns"] = int(created)

    people = context["people"]
    sectors = list(Sector.objects.order_by("name"))
    languages = {language.code: language for language in Language.objects.all()}
    enrollments = {}
    new_enrollments = 0
    for index, alumnus in enumerate(people["alumni"]):
        enrollment, made = MentorEnrollment.objects.get_or_create(
            alumnus=alumnus,
            campaign=campaign,
            defaults={
                "status": MentorEnrollment.Status.APPROVED,
                "decided_at": now - timedelta(days=12),
                "capacity": 3 if index == 0 else 1 + index % 3,
                "offers_in_person": index % 2 == 0,
                "offers_video": True,
                "offers_phone": index % 3 == 0,
                "availability_note": "Weekday evenings and Saturday mornings." if index % 2 else "",
            },
        )
        if made:
            new_enrollments += 1
            profile = alumnus.alumnus_profile
            own = [profile.sector] if profile.sector else []
            enrollment.sectors.set([*own, sectors[(index * 5 + 3) % len(sectors)]])
            enrollment.languages.set(profile.languages.all() or [languages["en"]])
        enrollments[alumnus.pk] = enrollment
    counts["mentor enrolments"] = new_enrollments

    mentor = enrollments[people["mentor"].pk]
    students = people["students"]
    new_mentorships = 0
    accepted, made = Mentorship.objects.get_or_create(
        student=people["student"],
        campaign=campaign,
        defaults={
            "enrollment": mentor,
            "status": Mentorship.Status.ACCEPTED,
            "message": "Hello! I am aiming for a data-science role in the energy sector and your path is "
            "exactly what I hope for. I would love your advice on my project and my CV.",
            "requested_at": now - timedelta(days=6),
            "responded_at": now - timedelta(days=5),
        },
    )
    new_mentorships += made
    _pending, made = Mentorship.objects.get_or_create(
        student=students[1],
        campaign=campaign,
        defaults={
            "enrollment": mentor,
            "status": Mentorship.Status.REQUESTED,
            "message": "Good evening, I am looking for a first job in supply chain consulting and would "
            "be grateful for your feedback on my strategy.",
            "requested_at": now - timedelta(days=1),
        },
    )
    new_mentorships += made
    context["mentorships"] = {"accepted": accepted, "pending": _pending}
    counts["mentorships"] = new_mentorships
