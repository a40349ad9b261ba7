from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render

from apps.core.dashboard import dashboard_cards


def home(request):
    return render(request, "core/home.html")


@login_required
def dashboard(request):
    # A buyer has no work to see: after login (LOGIN_REDIRECT_URL) they go back to the shop.
    if getattr(request.user, "role", "") == "pembeli" and not request.user.is_superuser:
        return redirect("core:home")
    return render(request, "core/dashboard.html", {"cards": dashboard_cards(request.user)})


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})
