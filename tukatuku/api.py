"""The JSON API (`/api/v1/`, OpenAPI at `/api/v1/docs`). Each app adds its router in `api_routers()`."""

import importlib

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import Throttled
from ninja.throttling import BaseThrottle

from apps.core.ratelimits import rate_limit_hit


class ClientRateThrottle(BaseThrottle):
    """RATE_LIMIT_API per signed-in user, else per client address: the site's rate-limit rule
    (apps.core.ratelimits, django-ratelimit's atomic counters), answered by ninja as a 429."""

    def allow_request(self, request: HttpRequest) -> bool:
        return not rate_limit_hit(request, group="api", setting="RATE_LIMIT_API")

    def wait(self) -> float | None:
        return 60.0


api = NinjaAPI(
    title="Tuka-Tuku API",
    version="1",
    description="API baca Tuka-Tuku: katalog produk dan agregat registri. Uang dalam rupiah (bilangan bulat).",
    urls_namespace="api",
    throttle=[ClientRateThrottle()],
)


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    response = api.create_response(
        request, {"detail": _("Terlalu banyak permintaan. Tunggu sekitar satu menit, lalu coba lagi.")}, status=429
    )
    response["Retry-After"] = "60"
    return response


# (prefix, "module:router") — each app appends its entry; see docs/architecture.md
ROUTERS: list[tuple[str, str]] = [
    ("/", "apps.store.api:router"),
    ("/umkm", "apps.umkm.api:router"),
]


def mount_routers() -> None:
    for prefix, target in ROUTERS:
        module_name, _sep, attr = target.partition(":")
        api.add_router(prefix, getattr(importlib.import_module(module_name), attr))


mount_routers()
