"""Navigation per role. Each app adds its entries here so the base template needs no role logic."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from apps.core.roles import REGION_SCOPED, STAFF, Role

# Officers' menu groups (a dropdown each on wide screens, a heading in the phone menu), in menu order.
# An item names its group; a group with a single item for the user is shown as that item.
NAV_GROUPS: dict[str, Any] = {
    "data": _("Data"),
    "toko": _("Toko"),
    "program": _("Program"),
    "laporan": _("Laporan"),
}
# A number shown beside a menu link (the cart's item count): url_name -> fn(request) -> int. Registered
# by the owning app in ready(); computed only for links the user sees.
NAV_BADGES: dict[str, Any] = {}


@dataclass(frozen=True)
class NavItem:
    label: Any  # a lazy translation
    url_name: str
    roles: tuple[str, ...]  # empty: everyone, including anonymous visitors
    group: str = ""  # a key of NAV_GROUPS, or "" for a top-level link
    hidden_for: tuple[str, ...] = ()  # roles that never see it (e.g. the cart for officers)
    order: int = 50  # position inside its group (lower first; equal keeps the order of registration)


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Beranda"), "core:home", ()),
    NavItem(
        _("Dasbor"),
        "core:dashboard",
        (*REGION_SCOPED, Role.SELLER, Role.COOP_OFFICER),
    ),
    NavItem(_("Impor data"), "imports:index", STAFF, group="data", order=90),
    NavItem(_("Jejak audit"), "audit:list", STAFF, group="laporan", order=90),
    NavItem(_("Pengguna"), "accounts:user_list", (Role.ADMIN,)),
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


def nav_for(user) -> list[dict[str, Any]]:
    return _nav_for(user, _urls())


def _nav_for(user, urls: _Reversed) -> list[dict[str, Any]]:
    items = []
    role = getattr(user, "role", "") if user.is_authenticated else ""
    for item, url in urls.items:
        # By role only, superusers too: the demo's system administrator is one, and every other role's own
        # pages (a seller's shop, a buyer's orders, a judge's scoring) ran the menu to 1776 px at 1366 and
        # led to pages that are 404 for someone without a shop.
        if item.roles and not (user.is_authenticated and role in item.roles):
            continue
        if role and role in item.hidden_for:
            continue
        items.append(
            {"label": str(item.label), "url": url, "group": item.group, "order": item.order, "name": item.url_name}
        )
    return items


def nav_menu(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The menu as shown: top-level links in order, then the groups (each at the place of its first item).

    Entries are `{"label", "url"}` links or `{"label", "children": [...]}` groups; a group with one item
    becomes that link.
    """
    menu: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for item in items:
        key = item.get("group", "")
        if not key or key not in NAV_GROUPS:
            menu.append({k: item[k] for k in ("label", "url", "badge") if k in item})
            continue
        if key not in groups:
            groups[key] = {"label": str(NAV_GROUPS[key]), "children": [], "key": key}
            menu.append(groups[key])
        groups[key]["children"].append({"label": item["label"], "url": item["url"], "order": item.get("order", 50)})
    order = list(NAV_GROUPS)
    links = [e for e in menu if "children" not in e]
    grouped = sorted((e for e in menu if "children" in e), key=lambda e: order.index(e["key"]))
    for group in grouped:
        group["children"].sort(key=lambda i: i["order"])
    return links + [e if len(e["children"]) > 1 else e["children"][0] for e in grouped]


def layout_context(user, request: Any = None) -> dict[str, Any]:
    """`nav_items` (the user's menu, flat), `nav_menu` (grouped, as shown), `layout_urls` (home, login,
    register, logout, password_change, set_language) and `cart_link` (the cart with its count, for the
    header on phones) for the base template."""
    urls = _urls()
    items = _nav_for(user, urls)
    cart_link = None
    if request is not None:
        for item in items:
            badge = NAV_BADGES.get(item.get("name", ""))
            if badge is not None:
                item["badge"] = badge(request)
                if item["name"] == "orders:cart":
                    cart_link = item
    return {"nav_items": items, "nav_menu": nav_menu(items), "layout_urls": urls.layout, "cart_link": cart_link}
