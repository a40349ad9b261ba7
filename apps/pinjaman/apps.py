from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PinjamanConfig(AppConfig):
    name = "apps.pinjaman"
    verbose_name = _("Kredit Mawar")

    def ready(self) -> None:
        from apps.core.navigation import NAV_ITEMS, NavItem

        NAV_ITEMS.append(
            NavItem(
                _("Kredit Mawar"),
                "pinjaman:desk",
                ("operator", "kepala_dinas", "pimpinan", "admin", "bank"),
                group="program",
                order=20,
            )
        )
        NAV_ITEMS.append(NavItem(_("Kredit Mawar saya"), "pinjaman:mine", ("mitra_umkm", "pembeli")))
