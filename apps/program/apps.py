from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.core.roles import OFFICERS, Role


class ProgramConfig(AppConfig):
    name = "apps.program"
    verbose_name = _("Program UMKM")

    def ready(self) -> None:
        from apps.core.navigation import NAV_ITEMS, NavItem

        NAV_ITEMS.append(
            NavItem(
                _("Program UMKM"),
                "program:calendar",
                OFFICERS,
                group="program",
                order=10,
            )
        )
        NAV_ITEMS.append(NavItem(_("Pelatihan"), "program:my_trainings", (Role.SELLER,), group="program"))
        NAV_ITEMS.append(NavItem(_("Bantuan kemasan"), "program:my_packaging", (Role.SELLER,), group="program"))
        NAV_ITEMS.append(NavItem(_("Pameran"), "program:my_festivals", (Role.SELLER,), group="program"))

        from apps.jobs.registry import register_idle_task
        from apps.program.services import offers_expire_idle

        register_idle_task(offers_expire_idle)
