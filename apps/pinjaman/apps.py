from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.core.roles import REGION_SCOPED, Role


class PinjamanConfig(AppConfig):
    name = "apps.pinjaman"
    verbose_name = _("Kredit Mawar")

    def ready(self) -> None:
        from apps.core.navigation import NAV_ITEMS, NavItem

        NAV_ITEMS.append(
            NavItem(
                _("Kredit Mawar"),
                "pinjaman:desk",
                REGION_SCOPED,
                group="program",
                order=20,
            )
        )
        NAV_ITEMS.append(NavItem(_("Kredit Mawar saya"), "pinjaman:mine", (Role.SELLER, Role.BUYER), group="program"))
