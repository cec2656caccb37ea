"""The site's URLs plus two floors, served only by benchmark servers (``bench.settings``):

- ``/bench/bare/?size=N``: N bytes of HTML from a view that reads nothing, the least a page of
  that size can cost in the same server;
- ``/bench/base/``: the base template, empty, for the signed-in user (menus, context processors).
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from mentoring.urls import urlpatterns as site


def bare(request):
    size = int(request.GET.get("size", "1000"))
    return HttpResponse(b"<!DOCTYPE html><p>" + b"x" * max(0, size - 18), content_type="text/html")


def base(request):
    return render(request, "base.html")


urlpatterns = [path("bench/bare/", bare), path("bench/base/", base), *site]
