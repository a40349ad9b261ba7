from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.roles import OFFICERS


def report_cards(user: Any) -> list[dict[str, Any]]:
    """A card leading officers and leadership to the report; no figures here, so the dashboard stays
    quick whatever the size of the province."""
    if not (user.is_authenticated and user.has_role(*OFFICERS)):
        return []
    return [
        {
            "title": _("Laporan pimpinan"),
            "value": _("Buka laporan"),
            "url": reverse("reports:page"),
            "note": _("Omzet, UMKM, naik kelas dan koperasi, dengan grafik dan unduhan PDF/XLSX."),
        }
    ]
