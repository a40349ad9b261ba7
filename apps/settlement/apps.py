from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.core.roles import OFFICERS, Role


class SettlementConfig(AppConfig):
    name = "apps.settlement"
    verbose_name = _("Penyelesaian ke penjual")

    def ready(self) -> None:
        from apps.core.navigation import NAV_ITEMS, NavItem

        NAV_ITEMS.append(NavItem(_("Penyelesaian penjual"), "settlement:period", OFFICERS, group="toko", order=60))
        NAV_ITEMS.append(NavItem(_("Saldo toko"), "settlement:my_statements", (Role.SELLER,)))
