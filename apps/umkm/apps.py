from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UmkmConfig(AppConfig):
    name = "apps.umkm"
    verbose_name = _("Registri UMKM")

    def ready(self) -> None:
        from apps.core.dashboard import CARD_PROVIDERS
        from apps.core.navigation import NAV_ITEMS, NavItem
        from apps.umkm.dashboard import umkm_cards

        NAV_ITEMS.append(NavItem(_("Registri UMKM"), "umkm:list", ("operator", "kepala_dinas", "pimpinan", "admin")))
        CARD_PROVIDERS.append(umkm_cards)
