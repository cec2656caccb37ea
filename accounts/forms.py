import re
from datetime import timedelta

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import AlumnusProfile, Consent, StudentProfile, User
from accounts.rules import is_school_email
from accounts.sso import students_must_use_sso
from core.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField


class SignupForm(forms.Form):
    """Extra sign-up fields; allauth adds email and passwords (ACCOUNT_SIGNUP_FORM_CLASS)."""

    field_order = [
        "role",
        "first_name",
        "last_name",
        "email",
        "password1",
        "password2",
        "language",
        "accept_charter",
        "accept_privacy",
    ]

    role = forms.ChoiceField(
        label=_("I am"),
        choices=[(User.Role.STUDENT, _("a final-year student")), (User.Role.ALUMNUS, _("an alumnus / alumna"))],
        widget=forms.RadioSelect,
    )
    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    language = forms.ChoiceField(
        label=_("Preferred language"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )
    accept_charter = forms.BooleanField(
        error_messages={"required": _("Please accept the programme's charter to take part.")}
    )
    accept_privacy = forms.BooleanField(
        error_messages={
            "required": _("Please accept the privacy notice: it says what the programme does with your data.")
        }
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Labels with a link to the page they accept (which opens beside the form: nothing typed is lost).
        self.fields["accept_charter"].label = format_html(
            '{} <a href="{}" target="_blank" rel="noopener">{}</a>',
            _("I have read and accept"),
            reverse("accounts:charter"),
            _("the programme's charter"),
        )
        self.fields["accept_privacy"].label = format_html(
            '{} <a href="{}" target="_blank" rel="noopener">{}</a>',
            _("I have read and accept"),
            reverse("accounts:privacy"),
            _("the privacy notice"),
        )
        # The language the page is shown in: the browser's (or the language switch's) choice,
        # so that a visitor who reads French keeps French after confirming their address.
        language = (get_language() or "")[:2]
        if language in dict(settings.LANGUAGES):
            self.fields["language"].initial = language
        domains = ", ".join("@" + d for d in settings.STUDENT_EMAIL_DOMAINS)
        self.fields["role"].help_text = _("Students sign up with their school address (%(domains)s).") % {
            "domains": domains
        }

    def clean(self):
        cleaned_data = super().clean()
        email = cleaned_data.get("email")
        if email and len(email) > User._meta.get_field("email").max_length:
            self.add_error("email", _("This address is too long."))
        if cleaned_data.get("role") == User.Role.STUDENT and email and not is_school_email(email):
            domains = ", ".join("@" + d for d in settings.STUDENT_EMAIL_DOMAINS)
            self.add_error(
                "email",
                _("Students sign up with their school address (%(domains)s). Alumni may use any address.")
                % {"domains": domains},
            )
        if cleaned_data.get("role") == User.Role.STUDENT and not hasattr(self, "sociallogin"):
            # The school wants students to sign in with its provider: a password would not open the account.
            required = students_must_use_sso()
            if required:
                self.add_error(
                    "role",
                    _("Students sign in with their school account: use the “Sign in with %(provider)s” button.")
                    % {"provider": required[0].name},
                )
        return cleaned_data

    def signup(self, request, user):
        """Called by allauth once the user is saved (the adapter already set the fields): records
        which versions of the charter and the privacy notice the person accepted."""
        Consent.accept_current(user)


class UserForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "language"]


class StudentProfileForm(forms.ModelForm):
    class Meta:
        model = StudentProfile
        fields = [
            "programme",
            "specialization",
            "graduation_year",
            "target_sectors",
            "languages",
            "city",
            "country",
            "prefers_in_person",
            "prefers_video",
            "prefers_phone",
        ]
        field_classes = {
            "target_sectors": BoundedModelMultipleChoiceField,
            "languages": BoundedModelMultipleChoiceField,
        }
        widgets = {"target_sectors": forms.CheckboxSelectMultiple, "languages": forms.CheckboxSelectMultiple}
        help_texts = {"target_sectors": _("The mentor directory suggests mentors who fit these choices.")}


_LINKEDIN = re.compile(r"^https://([a-z]{2,3}\.)?linkedin\.com/", re.IGNORECASE)


class AlumnusProfileForm(forms.ModelForm):
    class Meta:
        model = AlumnusProfile
        fields = [
            "graduation_year",
            "programme",
            "position",
            "employer",
            "sector",
            "city",
            "country",
            "languages",
            "linkedin_url",
            "bio",
        ]
        # A key no database column holds is a form error, not an OverflowError.
        field_classes = {"languages": BoundedModelMultipleChoiceField, "sector": BoundedModelChoiceField}
        widgets = {
            "languages": forms.CheckboxSelectMultiple,
            "bio": forms.Textarea(attrs={"rows": 5}),
            "linkedin_url": forms.URLInput(attrs={"placeholder": "https://www.linkedin.com/in/…"}),
        }

    def clean_linkedin_url(self):
        url = self.cleaned_data["linkedin_url"]
        if url and not _LINKEDIN.match(url):
            raise forms.ValidationError(_("Enter the address of a LinkedIn profile (https://www.linkedin.com/in/…)."))
        return url


class StaffNoticesForm(forms.ModelForm):
    """Staff choose how the department's notices reach them: each at once, or one summary a day."""

    class Meta:
        model = User
        fields = ["staff_notices"]
        labels = {"staff_notices": _("Notices of the Career Department")}
        widgets = {"staff_notices": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A page opened before the choice existed (or a form that leaves it out) keeps it as it is.
        self.fields["staff_notices"].required = False

    def clean_staff_notices(self):
        return self.cleaned_data["staff_notices"] or self.instance.staff_notices


def profile_form_class(user):
    """The form of the role's profile; None for staff only, who have no profile."""
    return {User.Role.STUDENT: StudentProfileForm, User.Role.ALUMNUS: AlumnusProfileForm}.get(user.role)


class EraseAccountForm(forms.Form):
    """Erasing an account asks for its password: a session left open on a shared computer
    can't erase someone. A person who signs in through the school's provider has no password:
    they type their address instead, within ``SIGNED_IN_MINUTES`` of signing in there."""

    SIGNED_IN_MINUTES = 10

    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    email = forms.EmailField(label=_("Your e-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        del self.fields["password" if self.by_school_sign_in else "email"]

    @property
    def by_school_sign_in(self):
        return not self.user.has_usable_password()

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."), code="wrong_password")
        return password

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email.casefold() != self.user.email.casefold():
            raise forms.ValidationError(_("This is not your e-mail address."), code="wrong_email")
        signed_in = self.user.last_login
        if signed_in is None or timezone.now() - signed_in > timedelta(minutes=self.SIGNED_IN_MINUTES):
            raise forms.ValidationError(
                _(
                    "For your safety, sign out and sign in again with your school's button, then erase "
                    "your account within %(minutes)s minutes."
                )
                % {"minutes": self.SIGNED_IN_MINUTES},
                code="signed_in_long_ago",
            )
        return email
