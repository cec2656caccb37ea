from allauth.account.signals import email_confirmed, user_signed_up
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.notices import action, send_notice
from mentoring import services
from mentoring.models import Campaign, Participation, Phase


@receiver(email_confirmed)
def welcome_on_confirmed_email(sender, request, email_address, **kwargs):
    user = email_address.user
    send_notice(
        "welcome",
        recipient=user,
        obj=user,
        context=action(reverse("mentoring:me"), _("Open my personal area")),
    )


@receiver(user_signed_up)
def join_the_current_campaign(sender, request, user, **kwargs):
    """A student who signs up while a campaign is current and not ended is one of its students.

    On sign-up, not on the confirmed address: where verification is optional (the demo) a
    student may use the site without ever confirming, and is still one of the campaign's students.
    """
    if not user.is_student:
        return
    campaign = Campaign.objects.current()
    if campaign is None or campaign.phase == Phase.ENDED:
        return
    services.participation_add(campaign=campaign, student=user, source=Participation.Source.SIGNUP)
