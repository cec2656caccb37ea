from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.forms import UserForm, profile_form_class


@login_required
def profile(request):
    """The signed-in user edits their own account and profile; nobody else's is reachable."""
    user = request.user
    profile = user.get_or_create_profile()
    form_class = profile_form_class(user)
    if request.method == "POST":
        user_form = UserForm(request.POST, instance=user, prefix="user")
        profile_form = form_class(request.POST, instance=profile, prefix="profile")
        if user_form.is_valid() and profile_form.is_valid():
            with transaction.atomic():
                user_form.save()
                profile_form.save()
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
        messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    else:
        user_form = UserForm(instance=user, prefix="user")
        profile_form = form_class(instance=profile, prefix="profile")
    return render(request, "accounts/profile.html", {"user_form": user_form, "profile_form": profile_form})
