from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.core.roles import OFFICERS, STAFF, Role


class OmzetConfig(AppConfig):
    name = "apps.omzet"
    verbose_name = _("Omzet Tuka-Tuku")

    def ready(self) -> None:
        from apps.core.navigation import NAV_ITEMS, NavItem

        NAV_ITEMS.append(NavItem(_("Omzet"), "omzet:ledger", OFFICERS, group="toko"))
        NAV_ITEMS.append(NavItem(_("Penjualan luring"), "omzet:offline_list", STAFF, group="toko"))
        NAV_ITEMS.append(NavItem(_("Omzet toko saya"), "omzet:my_dashboard", (Role.SELLER,), group="toko", order=30))
