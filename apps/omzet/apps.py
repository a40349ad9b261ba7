from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OmzetConfig(AppConfig):
    name = "apps.omzet"
    verbose_name = _("Omzet Tuka-Tuku")
