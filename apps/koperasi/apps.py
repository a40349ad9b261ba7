from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KoperasiConfig(AppConfig):
    name = "apps.koperasi"
    verbose_name = _("Pengawasan koperasi")

    def ready(self) -> None:
        from apps.core.dashboard import CARD_PROVIDERS
        from apps.core.navigation import NAV_ITEMS, NavItem
        from apps.koperasi.dashboard import koperasi_cards

        NAV_ITEMS.append(
            NavItem(_("Koperasi"), "koperasi:list", ("operator", "kepala_dinas", "pimpinan", "admin"), group="data")
        )
        NAV_ITEMS.append(
            NavItem(
                _("Pengawasan pembubaran"),
                "koperasi:pembubaran_list",
                ("operator", "kepala_dinas", "admin"),
                group="data",
            )
        )
        NAV_ITEMS.append(NavItem(_("Laporan koperasi"), "koperasi:my_reports", ("pengurus_koperasi",)))
        CARD_PROVIDERS.append(koperasi_cards)
