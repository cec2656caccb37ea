from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from accounts.forms import StaffNoticesForm, UserForm, profile_form_class


def _profile_forms(user, data=None):
    """The forms of the profile page: the account; the role's profile, if the role has one; and,
    for staff, how the department's notices reach them."""
    forms = {"user_form": UserForm(data, instance=user, prefix="user")}
    form_class = profile_form_class(user)
    if form_class is not None:
        forms["profile_form"] = form_class(data, instance=user.get_or_create_profile(), prefix="profile")
    if user.is_staff:
        forms["notices_form"] = StaffNoticesForm(data, instance=user, prefix="staff")
    return forms


def _save_own_fields(form):
    """Writes only the fields the form edits: request.user was read as the request began, so a
    password changed or an account deactivated meanwhile must not be written back from it."""
    instance = form.save(commit=False)
    fields = instance._meta.concrete_fields
    instance.save(update_fields=[f.name for f in fields if f.name in form.fields or getattr(f, "auto_now", False)])
    form.save_m2m()


@login_required
def profile(request):
    """The signed-in user edits their own account and profile; nobody else's is reachable."""
    if request.method == "POST":
        forms = _profile_forms(request.user, request.POST)
        # Every form is checked, so that each shows its own errors.
        valid = [form.is_valid() for form in forms.values()]
        if all(valid):
            with transaction.atomic():
                for form in forms.values():
                    _save_own_fields(form)
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
        messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    else:
        forms = _profile_forms(request.user)
    return render(request, "accounts/profile.html", forms)


@require_POST
def set_language(request):
    """The language switch of the navbar and the footer, open to everyone: Django's set_language
    (the cookie, and back to the page it came from), and for a signed-in person the account's
    language too, which pages and mails follow from then on."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES) and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    return django_set_language(request)
