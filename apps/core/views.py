from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render

from apps.core.dashboard import dashboard_cards
from apps.core.roles import Role
from tukatuku import db_router


@login_required
def dashboard(request):
    # A buyer has no work to see: after login (LOGIN_REDIRECT_URL) they go back to the shop.
    if getattr(request.user, "role", "") == Role.BUYER and not request.user.is_superuser:
        return redirect("core:home")
    # A seller's dashboard is the shop's home page (orders to ship, low stock, omzet: apps.orders).
    if getattr(request.user, "role", "") == Role.SELLER and not request.user.is_superuser:
        return redirect("orders:seller_home")
    return render(request, "core/dashboard.html", {"cards": dashboard_cards(request.user)})


def healthz(request):
    """For the load balancer (HAProxy `option httpchk`): 200 when this node reaches the primary database and
    the cache (Redis in a cluster), 503 otherwise, so the balancer stops sending it requests. The replica's
    state is reported but does not fail the node: reads fall back to the primary without it."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError as exc:
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        cache.set("healthz", 1, 10)
        checks["cache"] = "ok"
    except Exception as exc:  # any client error (connection refused, timeout) means the cache is unusable
        checks["cache"] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    body: dict[str, object] = {"status": "ok" if healthy else "error", "engine": connection.vendor, **checks}
    if "replica" in settings.DATABASES:
        body["replica"] = db_router.replica_state()
    return JsonResponse(body, status=200 if healthy else 503)
