"""The one PDF renderer (WeasyPrint), used by road-books and evaluations alike.

Rendering is the most expensive thing the site does, so a document that no longer changes (a sent
road-book version, a completed evaluation) is rendered once and kept in the shared cache under a
key that changes with whatever it shows.

Each web process renders at most PDF_RENDERS_PER_PROCESS documents at once (one by default): the
Procfile's threaded workers keep free threads for every other page while a PDF is being drawn, and
a burst of PDF requests waits its turn (PDF_RENDER_WAIT_SECONDS at most, then a "try again" page)
instead of taking every thread and every core. It also keeps WeasyPrint's font machinery to one
thread at a time. bench/pdf_concurrency.py measures what this buys.
"""

import logging
import threading
from contextlib import contextmanager
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from core import i18n

# WeasyPrint (with Pango, fontTools and Pillow behind it) is imported on the first rendering, not
# with the URLs: it is a sixth of a process's idle memory, and a Celery worker, which loads the
# URLs to link its mails, never draws a PDF.


# WeasyPrint builds a font configuration (fontconfig's, and its cache of the fonts it has read)
# for every document unless it is given one: a quarter of a road-book's rendering time. Each
# thread keeps its own, made once (fontconfig state is not shared across threads), and with it the
# parsed stylesheet, which an inline <style> would have WeasyPrint parse again for every document.
_thread = threading.local()

STYLESHEET = "pdf/document.css"


def font_config():
    config = getattr(_thread, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _thread.font_config = FontConfiguration()
    return config


def stylesheet():
    sheet = getattr(_thread, "stylesheet", None)
    if sheet is None:
        from weasyprint import CSS

        source = get_template(STYLESHEET).template.source
        sheet = _thread.stylesheet = CSS(string=source, font_config=font_config(), url_fetcher=_url_fetcher())
    return sheet


def _url_fetcher():
    """A PDF is built from our own template and stylesheet: it never fetches anything from the
    network or the disk."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"})


class PdfBusy(Exception):
    """Every rendering slot of this process stayed taken for PDF_RENDER_WAIT_SECONDS."""


_slots = None
_slots_lock = threading.Lock()


@contextmanager
def render_slot():
    global _slots
    with _slots_lock:
        if _slots is None:
            _slots = threading.BoundedSemaphore(settings.PDF_RENDERS_PER_PROCESS)
    if not _slots.acquire(timeout=settings.PDF_RENDER_WAIT_SECONDS):
        raise PdfBusy
    try:
        yield
    finally:
        _slots.release()


def render_pdf(template_name, context):
    # Rendered without the request: the programme's name and the language come from here.
    context = {
        "programme_name": i18n.programme_name(),
        "school_name": i18n.school_name(),
        "LANGUAGE_CODE": translation.get_language() or settings.LANGUAGE_CODE,
        **context,
    }
    html = render_to_string(template_name, context)
    from weasyprint import HTML

    with render_slot():
        return HTML(string=html, url_fetcher=_url_fetcher()).write_pdf(
            stylesheets=[stylesheet()], font_config=font_config()
        )


logger = logging.getLogger(__name__)


def _key(cache_key, language):
    return f"pdf:{cache_key}:{language}"


def forget_cached(cache_keys):
    """Drops the renderings kept under ``cache_keys``, in every language, once the transaction
    commits: a record erased or emptied must not be served from the cache as it was."""
    keys = [_key(cache_key, language) for cache_key in cache_keys for language, _name in settings.LANGUAGES]
    if keys:
        # The shared cache fails open: were Redis down at that moment, the renderings would
        # expire after PDF_CACHE_SECONDS instead (core.cache logs the outage).
        transaction.on_commit(partial(cache.delete_many, keys), robust=True)


def _cached_pdf(template_name, context, cache_key):
    key = _key(cache_key, translation.get_language() or settings.LANGUAGE_CODE)
    try:
        content = cache.get(key)
    except Exception:  # a cache that can't be reached only costs a rendering
        logger.warning("PDF cache unreachable: rendering %s", cache_key, exc_info=True)
        return render_pdf(template_name, context)
    if content is None:
        content = render_pdf(template_name, context)
        try:
            cache.set(key, content, timeout=settings.PDF_CACHE_SECONDS)
        except Exception:
            logger.warning("PDF cache unreachable: %s not kept", cache_key, exc_info=True)
    return content


def pdf_response(template_name, context, filename, *, cache_key=None):
    """The PDF as an attachment-less response; with ``cache_key`` (which must change whenever the
    document would, and hold no spaces), rendered once and then read from the cache."""
    content = _cached_pdf(template_name, context, cache_key) if cache_key else render_pdf(template_name, context)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    add_never_cache_headers(response)
    return response
