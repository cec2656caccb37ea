"""A language chosen with the switch before signing in is the account's from the sign-in on.

Without this, signing in (with a password or a school's provider) would switch the pages back
to the language the account had, right after the visitor chose another one.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

CHOSEN_LANGUAGE_KEY = "chosen_language"


@receiver(user_logged_in, dispatch_uid="accounts.language.keep_chosen")
def keep_the_chosen_language(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    language = request.session.pop(CHOSEN_LANGUAGE_KEY, None)
    if language in dict(settings.LANGUAGES) and getattr(user, "language", language) != language:
        user.language = language
        user.save(update_fields=["language"])
