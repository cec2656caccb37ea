from allauth.account.signals import email_confirmed
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.notices import action, send_notice


@receiver(email_confirmed)
def welcome_on_confirmed_email(sender, request, email_address, **kwargs):
    user = email_address.user
    send_notice(
        "welcome",
        recipient=user,
        obj=user,
        context=action(reverse("mentoring:me"), _("Open my personal area")),
    )
