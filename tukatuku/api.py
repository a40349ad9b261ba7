"""The JSON API (`/api/v1/`, OpenAPI at `/api/v1/docs`). Each app adds its router in `api_routers()`."""

import importlib

from ninja import NinjaAPI

api = NinjaAPI(
    title="Tuka-Tuku API",
    version="1",
    description="API baca Tuka-Tuku: katalog produk dan agregat registri. Uang dalam rupiah (bilangan bulat).",
    urls_namespace="api",
)

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
