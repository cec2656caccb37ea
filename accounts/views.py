from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import set_language as django_set_language

from accounts import data_protection, my_data
from accounts.forms import EraseAccountForm, StaffNoticesForm, UserForm, profile_form_class
from accounts.language import CHOSEN_LANGUAGE_KEY
from accounts.models import Consent, DataExport
from core import ratelimit
from core.audit import record_access
from core.errors import RuleError
from core.models import AccessRecord


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
    consents = request.user.consents.all()
    return render(request, "accounts/profile.html", {**forms, "consents": consents})


def _document_context(request, document):
    user = request.user
    return {
        "document": document,
        "title": Consent.Document(document).label,
        "version": Consent.current_versions()[document],
        "data_protection_email": settings.DATA_PROTECTION_EMAIL or settings.CAREER_DEPARTMENT_EMAIL,
        "to_accept": user.is_authenticated and document in Consent.missing_for(user),
    }


@require_safe
def privacy(request):
    """The privacy notice: public, linked from sign-up and every page's footer."""
    return render(request, "accounts/privacy.html", _document_context(request, Consent.Document.PRIVACY))


@require_safe
def charter(request):
    """The programme's charter, which people accept at sign-up."""
    return render(request, "accounts/charter.html", _document_context(request, Consent.Document.CHARTER))


@login_required
@require_POST
def accept(request):
    """A signed-in person accepts the current version of the charter or the privacy notice."""
    document = request.POST.get("document", "")
    if document not in Consent.Document.values:
        messages.error(request, _("Choose the charter or the privacy notice to accept."))
        return redirect("mentoring:me")
    Consent.objects.get_or_create(user=request.user, document=document, version=Consent.current_versions()[document])
    messages.success(request, _("Thank you: your acceptance is recorded."))
    return redirect("mentoring:me")


@login_required
def erase_account(request):
    """The person erases their own account, after reading what it does and typing their password
    (or, signed in through the school, their address: EraseAccountForm)."""
    blockers = data_protection.blockers(request.user)
    form = EraseAccountForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and not blockers:
        # The password is asked for so that an open session can't erase someone: guessing it
        # here is rationed like signing in.
        try:
            ratelimit.check(
                "erase_password", request.user.pk, _("Too many wrong passwords in a short time; wait a while.")
            )
        except ratelimit.RateLimited as error:
            messages.error(request, str(error))
            return render(request, "accounts/erase.html", {"form": form, "blockers": blockers})
        if not form.is_valid():
            ratelimit.record("erase_password", request.user.pk)
            return render(request, "accounts/erase.html", {"form": form, "blockers": blockers})
        try:
            data_protection.user_erase(user=request.user)
        except RuleError as error:
            messages.error(request, str(error))
        else:
            logout(request)
            messages.success(request, _("Your account and your personal data have been erased. Goodbye."))
            return redirect("mentoring:landing")
    return render(request, "accounts/erase.html", {"form": form, "blockers": blockers})


@never_cache
@login_required
def export(request):
    """ "My data": a small account's archive downloads at once; a larger one is built in the
    background and its link mailed to the person."""
    if request.method == "POST":
        try:
            archive = my_data.export_start(user=request.user)
        except ratelimit.RateLimited as error:
            messages.error(request, str(error))
            return redirect("accounts:export")
        if archive is not None:
            response = HttpResponse(archive, content_type="application/zip")
            response["Content-Disposition"] = f'attachment; filename="{my_data.filename(request.user)}"'
            return response
        messages.success(request, _("Your archive is being prepared: we will mail you a link as soon as it is ready."))
        return redirect("accounts:export")
    exports = DataExport.objects.for_user(request.user).listed()[:5]
    return render(request, "accounts/export.html", {"exports": exports})


@never_cache
@login_required
@require_safe
def export_download(request, pk):
    """An archive built in the background: its owner's only (anyone else gets a 404), while its
    link is valid."""
    export = get_object_or_404(DataExport.objects.for_user(request.user), pk=pk)
    if not export.is_available():
        messages.error(request, _("This link has expired: ask for a new archive."))
        return redirect("accounts:export")
    record_access(request.user, request.user, AccessRecord.What.EXPORT)
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=my_data.filename(request.user),
        content_type="application/zip",
    )


@require_POST
def set_language(request):
    """The language switch of the navbar and the footer, open to everyone: Django's set_language
    (the cookie, and back to the page it came from), and for a signed-in person the account's
    language too, which pages and mails follow from then on."""
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        if not request.user.is_authenticated:
            # Chosen before signing in: the account takes it at sign-in (accounts.language).
            request.session[CHOSEN_LANGUAGE_KEY] = language
        elif request.user.language != language:
            request.user.language = language
            request.user.save(update_fields=["language"])
    return django_set_language(request)
