from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.core.roles import STAFF


class KonsinyasiConfig(AppConfig):
    name = "apps.konsinyasi"
    verbose_name = _("Showroom dan konsinyasi")

    def ready(self) -> None:
        from apps.core.navigation import NAV_ITEMS, NavItem

        NAV_ITEMS.append(NavItem(_("Showroom & titipan"), "konsinyasi:locations", STAFF, group="toko", order=30))
