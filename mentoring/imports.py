"""What the mentoring programme does with people imported by staff (``accounts.imports``):
students join the current campaign's roster; alumni are invited to volunteer as mentors."""

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.imports import people_imported
from core.notices import Notice, action, send_notices
from mentoring import services
from mentoring.models import Campaign, MentorEnrollment, Participation, Phase


@receiver(people_imported)
def join_the_campaign(sender, people, new, **kwargs):
    campaign = Campaign.objects.current()
    if campaign is None or campaign.phase == Phase.ENDED:
        return
    for student in (person for person in people if person.is_student):
        services.participation_add(campaign=campaign, student=student, source=Participation.Source.IMPORT)
    if campaign.phase in (Phase.UPCOMING, Phase.RECRUITMENT):
        enrolled = set(MentorEnrollment.objects.filter(campaign=campaign).values_list("alumnus_id", flat=True))
        alumni = [person for person in people if person.is_alumnus and person.pk not in enrolled]
        link = action(reverse("mentoring:mentor_apply"), _("Volunteer as a mentor"))
        send_notices(
            "mentor_invitation", [Notice(alumnus, campaign, {"campaign": campaign, **link}) for alumnus in alumni]
        )
