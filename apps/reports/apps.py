from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.core.roles import OFFICERS


class ReportsConfig(AppConfig):
    name = "apps.reports"
    verbose_name = _("Laporan pimpinan")

    def ready(self) -> None:
        # Imported here: these modules import models, which needs the app registry loaded.
        from apps.core.dashboard import CARD_PROVIDERS
        from apps.core.navigation import NAV_ITEMS, NavItem
        from apps.reports.dashboard import report_cards

        NAV_ITEMS.append(
            NavItem(
                _("Laporan pimpinan"),
                "reports:page",
                OFFICERS,
                group="laporan",
            )
        )
        CARD_PROVIDERS.append(report_cards)
