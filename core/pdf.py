"""The one PDF renderer (WeasyPrint), used by road-books and evaluations alike.

Rendering is the most expensive thing the site does, so a document that no longer changes (a sent
road-book version, a completed evaluation) is rendered once and kept in the shared cache under a
key that changes with whatever it shows.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from core import i18n

# A PDF is built from our own template, with its styles inline: it never fetches anything from
# the network or the disk.
_FETCHER = URLFetcher(allowed_protocols={"data"})


def render_pdf(template_name, context):
    # Rendered without the request: the programme's name and the language come from here.
    context = {
        "programme_name": i18n.programme_name(),
        "school_name": i18n.school_name(),
        "LANGUAGE_CODE": translation.get_language() or settings.LANGUAGE_CODE,
        **context,
    }
    return HTML(string=render_to_string(template_name, context), url_fetcher=_FETCHER).write_pdf()


logger = logging.getLogger(__name__)


def _cached_pdf(template_name, context, cache_key):
    key = f"pdf:{cache_key}:{translation.get_language() or settings.LANGUAGE_CODE}"
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
