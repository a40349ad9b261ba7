from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "apps.reports"
    verbose_name = _("Laporan pimpinan")

    def ready(self) -> None:
        from apps.core.dashboard import CARD_PROVIDERS
        from apps.core.navigation import NAV_ITEMS, NavItem
        from apps.imports.framework import register_follow_up
        from apps.jobs.registry import register_idle_task
        from apps.reports.dashboard import report_cards
        from apps.reports.rollups import umkm_rollups_after_import, umkm_rollups_catch_up

        NAV_ITEMS.append(
            NavItem(_("Laporan pimpinan"), "reports:page", ("operator", "kepala_dinas", "pimpinan", "admin"))
        )
        CARD_PROVIDERS.append(report_cards)
        register_follow_up("umkm", umkm_rollups_after_import)
        register_idle_task(umkm_rollups_catch_up)
