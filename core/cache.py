"""A Redis cache that fails open: when Redis does not answer, the site goes on without a cache.

Nothing the product keeps in the cache is the only copy of anything: allauth's rate-limit
counters, the mail throttles, an import waiting for its confirmation. So when Redis is down (or
does not answer within the short timeouts of ``REDIS_CACHE_OPTIONS``), every read is a miss,
every write is dropped and ``add`` succeeds (allauth takes a lock with it: failing it would lock
everyone out of signing in). A warning is logged when Redis goes away; for ``RETRY_AFTER``
seconds afterwards the cache does not even try, so a Redis that hangs costs one timeout, not one
per call. ``/healthz`` still reports the outage (503).
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ReadOnlyError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Redis is unreachable, still loading, or a replica after a failover: the outage kinds. Any
# other error (a wrong command, a value that does not pickle) is a bug and is raised.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, ReadOnlyError, OSError)

# Seconds during which a Redis that just failed is not asked again.
RETRY_AFTER = 5.0

_lock = threading.Lock()
_down_until: dict[tuple, float] = {}


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache, behaving as an empty cache that keeps nothing while Redis is down."""

    def _attempt(self, operation, call, fallback):
        servers = tuple(self._servers)
        if _down_until.get(servers, 0.0) > time.monotonic():
            return fallback()
        try:
            result = call()
        except UNREACHABLE as error:
            with _lock:
                first = servers not in _down_until
                _down_until[servers] = time.monotonic() + RETRY_AFTER
            (logger.warning if first else logger.info)(
                "the cache is unreachable (%s: %s); going on without it", operation, error
            )
            return fallback()
        if servers in _down_until:
            with _lock:
                if _down_until.pop(servers, None) is not None:
                    logger.warning("the cache answers again")
        return result

    # Reads miss.
    def get(self, key, default=None, version=None):
        call = super().get
        return self._attempt("get", lambda: call(key, default, version), lambda: default)

    def get_many(self, keys, version=None):
        call = super().get_many
        return self._attempt("get_many", lambda: call(keys, version), dict)

    def has_key(self, key, version=None):
        call = super().has_key
        return self._attempt("has_key", lambda: call(key, version), lambda: False)

    def incr(self, key, delta=1, version=None):
        call = super().incr

        def missing():
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).")

        return self._attempt("incr", lambda: call(key, delta, version), missing)

    # Writes are dropped; ``add`` succeeds, so that a lock taken with it never locks people out.
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        call = super().add
        return self._attempt("add", lambda: call(key, value, timeout, version), lambda: True)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        call = super().set
        return self._attempt("set", lambda: call(key, value, timeout, version), lambda: None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        call = super().set_many
        return self._attempt("set_many", lambda: call(data, timeout, version), lambda: list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        call = super().touch
        return self._attempt("touch", lambda: call(key, timeout, version), lambda: False)

    def delete(self, key, version=None):
        call = super().delete
        return self._attempt("delete", lambda: call(key, version), lambda: False)

    def delete_many(self, keys, version=None):
        call = super().delete_many
        return self._attempt("delete_many", lambda: call(keys, version), lambda: None)

    def clear(self):
        call = super().clear
        return self._attempt("clear", call, lambda: False)
