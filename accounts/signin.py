"""The sign-in form: allauth's, with a lockout message that says how long to wait."""

import math
import time

from allauth.account.adapter import get_adapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.core.internal import ratelimit
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

LOCKED_OUT = "too_many_login_attempts"


class LoginForm(AllauthLoginForm):
    def clean(self):
        try:
            return super().clean()
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
