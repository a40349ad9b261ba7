from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PinjamanConfig(AppConfig):
    name = "apps.pinjaman"
    verbose_name = _("Kredit Mawar")
