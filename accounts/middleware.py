import time

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class UserLanguageMiddleware:
    """Shows pages to a signed-in user in the language of their account."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


LAST_ACTIVITY_KEY = "staff_last_activity"
# The last activity is written to the session at most this often (seconds): not on every request,
# which cost each staff page a session write (three queries). A session may end that much early.
ACTIVITY_RESOLUTION = 60
# Where STAFF_REQUIRE_MFA applies: the admin and the staff dashboard.
MFA_REQUIRED_PREFIXES = ("/admin/", "/staff/")


class StaffSessionMiddleware:
    """Staff accounts, which see everyone's data, are held to more:

    - a staff session ends after STAFF_SESSION_IDLE_MINUTES without a request (0: never); the
      person is signed out, told why and sent to the sign-in page, which brings them back;
    - with STAFF_REQUIRE_MFA, a staff member without an authenticator app (TOTP) is sent to set
      one up before reaching the admin or the staff dashboard.

    Everyone else's session is left as it is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            response = self._idle_timeout(request) or self._require_mfa(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _idle_timeout(self, request):
        idle_minutes = settings.STAFF_SESSION_IDLE_MINUTES
        now = time.time()
        last = request.session.get(LAST_ACTIVITY_KEY)
        if idle_minutes and last is not None and now - last > idle_minutes * 60:
            logout(request)
            messages.info(
                request,
                ngettext(
                    "You were signed out after %(minutes)d minute without activity. Please sign in again.",
                    "You were signed out after %(minutes)d minutes without activity. Please sign in again.",
                    idle_minutes,
                )
                % {"minutes": idle_minutes},
            )
            return redirect_to_login(request.get_full_path())
        if last is None or now - last >= ACTIVITY_RESOLUTION:
            request.session[LAST_ACTIVITY_KEY] = now
        return None

    def _require_mfa(self, request, user):
        if not settings.STAFF_REQUIRE_MFA or not request.path.startswith(MFA_REQUIRED_PREFIXES):
            return None
        if is_mfa_enabled(user, [Authenticator.Type.TOTP]):
            return None
        messages.warning(
            request,
            _("Staff pages need two-factor sign-in: set up an authenticator app first."),
        )
        return redirect("mfa_activate_totp")
