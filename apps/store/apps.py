from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.core.roles import STAFF, Role


class StoreConfig(AppConfig):
    name = "apps.store"
    verbose_name = _("Toko Tuka-Tuku")

    def ready(self) -> None:
        from apps.core.navigation import NAV_ITEMS, NavItem

        NAV_ITEMS[1:1] = [
            NavItem(_("Katalog"), "store:catalogue", ()),
            NavItem(_("Toko saya"), "store:manage_home", (Role.SELLER,), group="toko", order=10),
            NavItem(_("Kurasi produk"), "store:curation_queue", STAFF, group="toko"),
        ]
