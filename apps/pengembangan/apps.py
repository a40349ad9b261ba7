from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.core.roles import OFFICERS, Role


class PengembanganConfig(AppConfig):
    """Cooperative development (SPEC §11): competency tests for managers and the Koperasi Award."""

    name = "apps.pengembangan"
    verbose_name = _("Pengembangan koperasi")

    def ready(self) -> None:
        from apps.core.navigation import NAV_ITEMS, NavItem

        # One menu entry per role: the department's officers get the hub of both programmes.
        NAV_ITEMS.append(NavItem(_("Pengembangan koperasi"), "pengembangan:index", OFFICERS, group="program", order=30))
        NAV_ITEMS.append(NavItem(_("Uji kompetensi"), "pengembangan:sesi_list", (Role.ASSESSOR,)))
        NAV_ITEMS.append(NavItem(_("Koperasi Award"), "pengembangan:award_list", (Role.JUDGE,)))
        NAV_ITEMS.append(NavItem(_("Pengelola & uji kompetensi"), "pengembangan:officer_home", (Role.COOP_OFFICER,)))
