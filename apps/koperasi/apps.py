from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.core.roles import OFFICERS, STAFF, Role


class KoperasiConfig(AppConfig):
    name = "apps.koperasi"
    verbose_name = _("Pengawasan koperasi")

    def ready(self) -> None:
        from apps.core.dashboard import CARD_PROVIDERS
        from apps.core.navigation import NAV_ITEMS, NavItem
        from apps.koperasi.dashboard import koperasi_cards

        NAV_ITEMS.append(NavItem(_("Koperasi"), "koperasi:list", OFFICERS, group="data"))
        NAV_ITEMS.append(
            NavItem(
                _("Pengawasan pembubaran"),
                "koperasi:pembubaran_list",
                STAFF,
                group="data",
            )
        )
        NAV_ITEMS.append(NavItem(_("Laporan koperasi"), "koperasi:my_reports", (Role.COOP_OFFICER,)))
        CARD_PROVIDERS.append(koperasi_cards)
