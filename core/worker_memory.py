"""A worker hands back the memory a large task used.

A sweep that mails a whole campaign builds and frees tens of thousands of objects; CPython and
glibc keep the freed memory for reuse, so the worker process would stay at its peak until it is
restarted. After a task that grew the process by more than ``RELEASE_ABOVE_MB``, the worker
collects the garbage and asks glibc to return its free pages (``malloc_trim``). Small tasks (a
delivery batch) cost two reads of ``/proc``.
"""

import ctypes
import ctypes.util
import gc
import logging
import os
import threading

from celery.signals import task_postrun, task_prerun

logger = logging.getLogger(__name__)

RELEASE_ABOVE_MB = 8
_PAGE_MB = os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)
_state = threading.local()


def _libc():
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


_LIBC = _libc()


def rss_mb():
    """The process's resident memory in MB, or 0 where /proc is not there."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * _PAGE_MB
    except OSError:
        return 0.0


def release_memory():
    """Collects the garbage and returns glibc's free memory to the system."""
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


@task_prerun.connect
def _remember_memory(**kwargs):
    _state.before = rss_mb()


@task_postrun.connect
def _release_if_grown(task=None, **kwargs):
    before = getattr(_state, "before", None)
    if before is None:
        return
    _state.before = None
    grown = rss_mb() - before
    if grown > RELEASE_ABOVE_MB:
        release_memory()
        logger.info("%s grew the worker by %.0f MB; %.0f MB given back", task.name, grown, grown - (rss_mb() - before))
