"""Per-user limits on the actions that send someone a mail, counted in the shared cache.

A limit is ``settings.ACTION_RATE_LIMITS[action]``, written as allauth writes its own: "20/h" is
20 in any hour (periods: ``s``, ``m``, ``h``, ``d``, optionally with a count, "10/15m"); empty,
no limit. A service asks ``check`` before it writes, and ``record``s only what was done, so a
refused attempt (a full mentor, an empty message) costs nothing.

A counter is a throttle, not a rule: when the cache cannot be reached the action goes on (and
the log says so), and two requests at the same instant may both count as one.
"""

import logging
import re
import time

from django.conf import settings
from django.core.cache import cache

from core.errors import RuleError

logger = logging.getLogger(__name__)

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


class RateLimited(RuleError):
    """Too many of an action in a short time; nothing was done."""


def parse_rate(rate: str) -> tuple[int, int] | None:
    """``(amount, seconds)`` of "20/h", or None for no limit (an empty rate)."""
    if not rate or not rate.strip():
        return None
    match = _RATE.match(rate)
    if match is None:
        raise ValueError(f"not a rate: {rate!r} (write it as 20/h, 5/10m…)")
    amount, count, unit = match.groups()
    return int(amount), int(count or 1) * UNITS[unit]


def _limit(action: str) -> tuple[int, int] | None:
    return parse_rate(settings.ACTION_RATE_LIMITS.get(action, ""))


def _key(action: str, who: object) -> str:
    return f"action-rate:{action}:{who}"


def _recent(action: str, who: object, period: int, now: float) -> list[float]:
    return [moment for moment in cache.get(_key(action, who), []) if moment > now - period]


def check(action: str, who: object, message: str, *, now: float | None = None) -> None:
    """Raises ``RateLimited`` with ``message`` when ``who`` (a user's id) has done ``action`` its
    limit's number of times within its period."""
    limit = _limit(action)
    if limit is None:
        return
    amount, period = limit
    try:
        done = _recent(action, who, period, now or time.time())
    except Exception:  # the cache is down: the action goes on rather than nobody acting at all
        logger.warning("rate limit of %s not checked: the cache is unreachable", action, exc_info=True)
        return
    if len(done) >= amount:
        raise RateLimited(message)


def record(action: str, who: object, *, now: float | None = None) -> None:
    """Counts one ``action`` done by ``who``."""
    limit = _limit(action)
    if limit is None:
        return
    _amount, period = limit
    now = now or time.time()
    try:
        cache.set(_key(action, who), [*_recent(action, who, period, now), now], timeout=period)
    except Exception:
        logger.warning("rate limit of %s not counted: the cache is unreachable", action, exc_info=True)
