from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PengembanganConfig(AppConfig):
    """Cooperative development (SPEC §11): competency tests for managers and the Koperasi Award."""

    name = "apps.pengembangan"
    verbose_name = _("Pengembangan koperasi")

    def ready(self) -> None:
        from apps.core.navigation import NAV_ITEMS, NavItem

        staff = ("operator", "kepala_dinas", "pimpinan", "admin")
        NAV_ITEMS.append(NavItem(_("Uji kompetensi"), "pengembangan:sesi_list", (*staff, "asesor")))
        NAV_ITEMS.append(NavItem(_("Pengelola & uji kompetensi"), "pengembangan:officer_home", ("pengurus_koperasi",)))
