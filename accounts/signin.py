"""The sign-in form: allauth's, with a lockout message that says how long to wait, and the
school's single sign-on policy (students or staff whose password no longer opens their account)."""

import math
import time

from allauth.account.adapter import get_adapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.core.internal import ratelimit
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.sso import providers_required_for

LOCKED_OUT = "too_many_login_attempts"
SSO_REQUIRED = "school_sign_on_required"


class LoginForm(AllauthLoginForm):
    def clean(self):
        try:
            cleaned_data = super().clean()
        except ValidationError as error:
            if getattr(error, "code", None) != LOCKED_OUT:
                raise
            minutes = self._minutes_to_wait()
            message = ngettext(
                "Too many failed login attempts. Try again in %(minutes)d minute.",
                "Too many failed login attempts. Try again in %(minutes)d minutes.",
                minutes,
            ) % {"minutes": minutes}
            raise ValidationError(message, code=LOCKED_OUT) from error
        required = providers_required_for(self.user) if getattr(self, "user", None) is not None else []
        if required:
            # The password was right, but the school wants this person to use its provider.
            raise ValidationError(
                _("Your school signs you in with its own account: use the “Sign in with %(provider)s” button below.")
                % {"provider": required[0].name},
                code=SSO_REQUIRED,
            )
        return cleaned_data

    def _minutes_to_wait(self):
        """Until the oldest failure that keeps a limit full leaves its window (per account or per
        address, whichever frees last), read from allauth's counters; a whole window when they
        cannot be read."""
        key = get_adapter(self.request)._get_login_attempts_cache_key(self.request, **self.user_credentials())
        rates = [
            rate
            for rate in ratelimit.get_rates(app="allauth.account", action="login_failed")
            if rate.per in ("ip", "key")
        ]
        now, wait = time.time(), 0.0
        for rate in rates:
            cache_key = ratelimit.get_cache_key(
                self.request, app="allauth.account", action="login_failed", rate=rate, key=key
            )
            history = [ts for ts in cache.get(cache_key, []) if ts > now - rate.duration]
            if len(history) >= rate.amount:
                wait = max(wait, history[rate.amount - 1] + rate.duration - now)
        if not wait:
            wait = max((rate.duration for rate in rates), default=60)
        return max(1, math.ceil(wait / 60))
