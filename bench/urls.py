"""The product's URLs, plus the floors a page is compared with, under the same middleware:

- ``/bench/bare/?bytes=N``: a signed-in view that returns N bytes and does nothing else;
- ``/bench/base/``: the base template with a paragraph in it, for the signed-in user.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from mentoring.urls import urlpatterns as product

BASE = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<p>{{ request.user.get_full_name }}</p>{% endblock %}'
)


@login_required
def bare(request):
    return HttpResponse(b"x" * min(int(request.GET.get("bytes", "0")), 2_000_000))


@login_required
def base(request):
    return HttpResponse(BASE.render({}, request))


urlpatterns = [path("bench/bare/", bare), path("bench/base/", base), *product]
