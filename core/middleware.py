"""Response headers every page gets, whichever app draws it."""

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from core.pdf import PdfBusy


class PrivatePagesMiddleware:
    """Nothing shown to a signed-in person is kept by a browser or a proxy cache.

    Every page drawn for a signed-in person may show personal data (their area, a mentorship, a
    road-book, an evaluation, a PDF, a CV, the staff dashboard and its exports, the admin):
    ``Cache-Control: private, no-cache, no-store, must-revalidate, max-age=0``, so that the back
    button of a shared computer or a proxy never shows it to the next person. Set here once rather
    than view by view, so a new page cannot forget it; the access matrix checks every confidential
    URL. Anonymous pages (the landing page, sign-in) keep their own headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class RejectNulBytesMiddleware:
    """A NUL byte in the path or a query parameter is answered 400, before any view runs.

    No address of ours carries one; PostgreSQL refuses it in any text it is given (a DataError,
    so a 500), which the admin's list filters (``?status=%00``) and any view reading a parameter
    would otherwise pass on. Forms refuse NUL bytes in posted fields themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest("A NUL byte in the address.", content_type="text/plain")
        return self.get_response(request)


class PdfBusyMiddleware:
    """A PDF that waited too long for a rendering slot is a "try again in a minute" page (503 with
    Retry-After), not an error: nothing was lost, the document will be there on the next click."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PdfBusy):
            response = render(request, "pdf_busy.html", status=503)
            response["Retry-After"] = "60"
            return response
        return None
