import logging

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from mentoring import dashboard, exports, permissions, personal_area
from mentoring.models import Campaign

logger = logging.getLogger(__name__)


def landing(request):
    if request.user.is_authenticated:
        return redirect("mentoring:me")
    return render(request, "mentoring/landing.html", {"campaign": Campaign.objects.current()})


@login_required
@require_safe
def me(request):
    campaign = Campaign.objects.current()
    return render(request, "mentoring/me.html", personal_area.context_for(request, campaign))


@login_required
@require_safe
def staff_dashboard(request):
    if not permissions.can_see_dashboard(request.user):
        raise Http404
    campaigns = list(Campaign.objects.all())  # once: the current one and the picker's choices
    campaign = dashboard.picked_campaign(request, campaigns)
    return render(
        request, "mentoring/staff_dashboard.html", dashboard.dashboard_for(request, campaign, campaigns=campaigns)
    )


@login_required
@require_safe
def staff_export(request):
    """One of the dashboard's tables (``?report=``, default its numbers) of the picked campaign,
    as a CSV or XLSX file (``?format=``, default CSV)."""
    if not permissions.can_see_dashboard(request.user):
        raise Http404
    campaign = dashboard.picked_campaign(request)
    report = dashboard.reports().get(request.GET.get("report", "figures"))
    fmt = request.GET.get("format", "csv")
    if campaign is None or report is None or fmt not in exports.FILE_FORMATS:
        raise Http404
    return exports.download(report, campaign, fmt)


def _database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.exception("health check: the database does not answer")
        return False


def _broker_answers():
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        return bool(client.ping())
    except redis.RedisError:
        logger.exception("health check: the broker does not answer")
        return False


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database_answers()}
    if settings.REDIS_URL:
        checks["broker"] = _broker_answers()
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **{k: "ok" if v else "down" for k, v in checks.items()}},
        status=200 if healthy else 503,
    )
