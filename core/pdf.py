"""The one PDF renderer (WeasyPrint), used by road-books and evaluations alike."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from weasyprint import HTML
from weasyprint.urls import URLFetcher

# A PDF is built from our own template, with its styles inline: it never fetches anything from
# the network or the disk.
_FETCHER = URLFetcher(allowed_protocols={"data"})


def render_pdf(template_name, context):
    # Rendered without the request: the programme's name and the language come from here.
    context = {
        "programme_name": settings.PROGRAMME_NAME,
        "school_name": settings.SCHOOL_NAME,
        "LANGUAGE_CODE": translation.get_language() or settings.LANGUAGE_CODE,
        **context,
    }
    return HTML(string=render_to_string(template_name, context), url_fetcher=_FETCHER).write_pdf()


def pdf_response(template_name, context, filename):
    response = HttpResponse(render_pdf(template_name, context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    add_never_cache_headers(response)
    return response
