"""Demo campaign for `manage.py seed_demo`: its matching phase is open whenever it is seeded.

Every approved mentor of the campaign, its roster (the demo students), a pending request to the
demo mentor from another student, and an accepted mentorship between the demo student and the
demo mentor. Last year's campaign has ended; the demo mentor and a few others were its approved
mentors, so that staff can try the handover ("Start next year's campaign" in the admin) and the
mentors' re-enrolment.

Seeding runs again on every `make run` over a demo that people have clicked through: rows are
looked up, never assumed unique, and the demo is moved back to a state where every page has
something to show (matching open, a request the demo mentor can still accept).
"""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Language, Sector
from mentoring import services
from mentoring.models import Campaign, MentorEnrollment, Mentorship, Participation

DEMO_CAMPAIGN = "Demo campaign"
LAST_YEAR_CAMPAIGN = "Demo campaign, last year"
# Last year's approved mentors: the demo mentor and a few others.
LAST_YEAR_MENTORS = 5


# Enough places for the demo student, the three mentees the evaluations demo adds, the pending
# request and one more: the demo mentor can always accept.
DEMO_MENTOR_CAPACITY = 6


def _dates(now):
    return {
        "recruitment_opens": now - timedelta(days=60),
        "recruitment_closes": now - timedelta(days=10),
        "matching_opens": now - timedelta(days=10),
        "campaign_ends": now + timedelta(days=200),
    }


def seed(context):
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    campaign, created = Campaign.objects.get_or_create(name=DEMO_CAMPAIGN, defaults={**_dates(now), "is_current": True})
    if not campaign.is_current:
        # A handover tried in the demo made another campaign current: seeding brings the demo back.
        campaign.is_current = True
        campaign.save(update_fields=["is_current"])
    if not campaign.is_matching_open():
        # A demo seeded months ago has ended: its calendar moves, its rows stay.
        for field, value in _dates(now).items():
            setattr(campaign, field, value)
        campaign.save(update_fields=list(_dates(now)))
    context["campaign"] = campaign
    counts = context.setdefault("created", {})
    counts["campaigns"] = int(created)

    people = context["people"]
    on_roster = Participation.objects.filter(campaign=campaign).count()
    for student in people["students"]:
        services.participation_add(campaign=campaign, student=student, source=Participation.Source.IMPORT)
    counts["roster entries"] = Participation.objects.filter(campaign=campaign).count() - on_roster

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
                "capacity": DEMO_MENTOR_CAPACITY if index == 0 else 1 + index % 3,
                "offers_in_person": index % 2 == 0,
                "offers_video": True,
                "offers_phone": index % 3 == 0,
                "availability_note": "Weekday evenings and Saturday mornings." if index % 2 else "",
            },
        )
        if made:
            new_enrollments += 1
            # auto_now_add stamped today; the demo applications came before their approval.
            MentorEnrollment.objects.filter(pk=enrollment.pk).update(applied_at=now - timedelta(days=20))
            profile = alumnus.alumnus_profile
            own = [profile.sector] if profile.sector else []
            enrollment.sectors.set([*own, sectors[(index * 5 + 3) % len(sectors)]])
            enrollment.languages.set(profile.languages.all() or [languages["en"]])
        enrollments[alumnus.pk] = enrollment
    counts["mentor enrolments"] = new_enrollments

    mentor = enrollments[people["mentor"].pk]
    if mentor.capacity < DEMO_MENTOR_CAPACITY:
        mentor.capacity = DEMO_MENTOR_CAPACITY
        mentor.save(update_fields=["capacity"])
    students = people["students"]
    accepted, made_accepted = _mentorship(
        people["student"],
        mentor,
        status=Mentorship.Status.ACCEPTED,
        message="Hello! I am aiming for a data-science role in the energy sector and your path is "
        "exactly what I hope for. I would love your advice on my project and my CV.",
        requested_at=now - timedelta(days=6),
        responded_at=now - timedelta(days=5),
    )
    pending, made_pending = _mentorship(
        students[1],
        mentor,
        status=Mentorship.Status.REQUESTED,
        message="Good evening, I am looking for a first job in supply chain consulting and would "
        "be grateful for your feedback on my strategy.",
        requested_at=now - timedelta(days=1),
    )
    if pending.status == Mentorship.Status.REQUESTED and pending.requested_at != now - timedelta(days=1):
        # Never overdue, so the demo mentor can always accept it.
        pending.requested_at = now - timedelta(days=1)
        pending.save(update_fields=["requested_at"])
    context["mentorships"] = {"accepted": accepted, "pending": pending}
    counts["mentorships"] = made_accepted + made_pending
    counts["campaigns"] += _last_year(now, people["alumni"][:LAST_YEAR_MENTORS], sectors, languages)


def _last_year(now, mentors, sectors, languages):
    """Last year's campaign, ended, with its approved mentors; 1 when it was created now."""
    year_ago = now - timedelta(days=365)
    campaign, created = Campaign.objects.get_or_create(name=LAST_YEAR_CAMPAIGN, defaults=_dates(year_ago))
    for index, alumnus in enumerate(mentors):
        enrollment, made = MentorEnrollment.objects.get_or_create(
            alumnus=alumnus,
            campaign=campaign,
            defaults={
                "status": MentorEnrollment.Status.APPROVED,
                "decided_at": year_ago - timedelta(days=12),
                "capacity": 2,
                "offers_in_person": True,
                "offers_video": True,
                "offers_phone": index % 2 == 0,
            },
        )
        if made:
            MentorEnrollment.objects.filter(pk=enrollment.pk).update(applied_at=year_ago - timedelta(days=20))
            profile = alumnus.alumnus_profile
            enrollment.sectors.set([profile.sector] if profile.sector else sectors[:1])
            enrollment.languages.set(profile.languages.all() or [languages["en"]])
    return int(created)


def _mentorship(student, enrollment, **defaults):
    """The student's demo mentorship with this mentor: the first one, whatever became of it since.

    A student who withdrew and chose again has several rows; a new one is created only when
    the student has none with this mentor and no live one elsewhere (one live per campaign).
    """
    campaign = enrollment.campaign
    mentorship = (
        Mentorship.objects.filter(student=student, campaign=campaign, enrollment=enrollment).order_by("pk").first()
    )
    if mentorship is not None:
        return mentorship, 0
    live = Mentorship.objects.live_for(student, campaign).order_by("pk").first()
    if live is not None:
        return live, 0
    return Mentorship.objects.create(student=student, enrollment=enrollment, campaign=campaign, **defaults), 1
