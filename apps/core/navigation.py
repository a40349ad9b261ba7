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


# The links every page's layout has (templates/base.html, _language.html), by short name.
LAYOUT_URLS = {
    "home": "core:home",
    "login": "accounts:login",
    "register": "accounts:register",
    "logout": "accounts:logout",
    "password_change": "accounts:password_change",
    "set_language": "set_language",
}


@dataclass(frozen=True)
class _Reversed:
    items: list[tuple[NavItem, str]]
    layout: dict[str, str]


# Menu and layout URLs reversed once per URLconf and script prefix (both fixed for a serving process):
# they are on every page, and reversing them on each request cost a sixth of a cached catalogue page.
# (Keyed also by the number of menu items: apps append theirs in ready().)
_reversed: dict[tuple[Any, str, int], _Reversed] = {}


def _reverse_or_none(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def _urls() -> _Reversed:
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), len(NAV_ITEMS))
    found = _reversed.get(key)
    if found is None:
        items = [(item, url) for item in NAV_ITEMS if (url := _reverse_or_none(item.url_name)) is not None]
        layout = {short: url for short, name in LAYOUT_URLS.items() if (url := _reverse_or_none(name)) is not None}
        found = _reversed[key] = _Reversed(items, layout)
    return found


def nav_for(user) -> list[dict[str, str]]:
    return _nav_for(user, _urls())


def _nav_for(user, urls: _Reversed) -> list[dict[str, str]]:
    items = []
    for item, url in urls.items:
        if item.roles and not (user.is_authenticated and (user.is_superuser or user.role in item.roles)):
            continue
        items.append({"label": str(item.label), "url": url})
    return items


def layout_context(user) -> dict[str, Any]:
    """`nav_items` (the user's menu) and `layout_urls` (home, login, register, logout, password_change,
    set_language) for the base template."""
    urls = _urls()
    return {"nav_items": _nav_for(user, urls), "layout_urls": urls.layout}
