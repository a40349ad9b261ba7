"""Navigation per role. Each app adds its entries here so the base template needs no role logic."""

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
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


def nav_for(user) -> list[dict[str, str]]:
    items = []
    for item in NAV_ITEMS:
        if item.roles and not (user.is_authenticated and (user.is_superuser or user.role in item.roles)):
            continue
        try:
            items.append({"label": str(item.label), "url": reverse(item.url_name)})
        except NoReverseMatch:
            continue
    return items
