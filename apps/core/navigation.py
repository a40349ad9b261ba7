"""Navigation per role. Each app adds its entries here so the base template needs no role logic."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: Any  # a lazy translation
    url_name: str
    roles: tuple[str, ...]  # empty: everyone, including anonymous visitors


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Beranda"), "core:home", ()),
    NavItem(
        _("Dasbor"),
        "core:dashboard",
        ("operator", "kepala_dinas", "pimpinan", "admin", "bank", "mitra_umkm", "pengurus_koperasi"),
    ),
    NavItem(_("Impor data"), "imports:index", ("operator", "kepala_dinas", "admin")),
    NavItem(_("Jejak audit"), "audit:list", ("operator", "kepala_dinas", "admin")),
    NavItem(_("Pengguna"), "accounts:user_list", ("admin",)),
]


# Reversed menu URLs per URLconf and script prefix (both fixed for a serving process): the menu is on
# every page, and reversing its links on each request cost a tenth of a cached catalogue page.
# (Keyed also by the number of items: apps append theirs in ready().)
_urls: dict[tuple[Any, str, int], list[tuple[NavItem, str]]] = {}


def _reversed_items() -> list[tuple[NavItem, str]]:
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), len(NAV_ITEMS))
    found = _urls.get(key)
    if found is None:
        found = []
        for item in NAV_ITEMS:
            try:
                found.append((item, reverse(item.url_name)))
            except NoReverseMatch:
                continue
        _urls[key] = found
    return found


def nav_for(user) -> list[dict[str, str]]:
    items = []
    for item, url in _reversed_items():
        if item.roles and not (user.is_authenticated and (user.is_superuser or user.role in item.roles)):
            continue
        items.append({"label": str(item.label), "url": url})
    return items
