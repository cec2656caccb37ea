from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.encoding import force_str
from django.utils.translation import gettext as _

from accounts.rules import is_school_email
from core.i18n import localized_setting


class AccountAdapter(DefaultAccountAdapter):
    """Fills the fields of our user model that allauth does not know about, and keeps the
    school-domain rule for students when they add or change an address."""

    def save_user(self, request, user, form, commit=True):
        data = form.cleaned_data
        user.role = data["role"]
        user.language = data.get("language") or user.language
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            # Pages that show a person read their profile; it exists from the start, empty.
            user.get_or_create_profile()
        return user

    def format_email_subject(self, subject):
        """allauth's subject prefix, in the reader's language (ACCOUNT_EMAIL_SUBJECT_PREFIX_BY_LANGUAGE):
        allauth renders its mails in the language active for the person they go to."""
        return localized_setting("ACCOUNT_EMAIL_SUBJECT_PREFIX") + force_str(subject)

    def clean_email(self, email):
        """allauth's hook for every address a form takes. A signed-in student (adding or changing
        an address in the e-mail management) must stay in the school's domains; at sign-up nobody
        is signed in yet and the sign-up form checks the role it is given."""
        email = super().clean_email(email)
        request = self.request or context.request
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_student and not is_school_email(email):
            domains = ", ".join("@" + d for d in settings.STUDENT_EMAIL_DOMAINS)
            raise ValidationError(
                _("Students use their school address (%(domains)s).") % {"domains": domains},
                code="student_school_email",
            )
        return email
