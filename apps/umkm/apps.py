from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.core.roles import OFFICERS


class UmkmConfig(AppConfig):
    name = "apps.umkm"
    verbose_name = _("Registri UMKM")

    def ready(self) -> None:
        # Imported here: these modules import models, which needs the app registry loaded.
        from apps.core.dashboard import CARD_PROVIDERS
        from apps.core.navigation import NAV_ITEMS, NavItem
        from apps.jobs.registry import register_idle_task
        from apps.umkm.dashboard import umkm_cards
        from apps.umkm.rollups import umkm_rollups_catch_up

        NAV_ITEMS.append(NavItem(_("Registri UMKM"), "umkm:list", OFFICERS, group="data"))
        CARD_PROVIDERS.append(umkm_cards)
        register_idle_task(umkm_rollups_catch_up)
