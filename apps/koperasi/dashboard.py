"""Dashboard cards of cooperative supervision."""

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.selectors import user_regency_codes
from apps.core.roles import OFFICERS, STAFF, Role
from apps.koperasi import selectors


def koperasi_cards(user: Any) -> list[dict[str, Any]]:

    if not user.is_authenticated:
        return []
    if user.role == Role.COOP_OFFICER:
        return [
            {"title": _("Laporan tahunan koperasi"), "value": _("Isi / lihat"), "url": reverse("koperasi:my_reports")}
        ]
    if not user.has_role(*OFFICERS):
        return []
    codes = user_regency_codes(user)
    today = date.today()
    counts = selectors.dashboard_counts(regency_codes=codes, as_of=today)
    cards = [
        {
            "title": _("Koperasi aktif / terdaftar"),
            "value": f"{counts['aktif']} / {counts['total']}",
            "url": reverse("koperasi:list"),
        },
    ]
    if not user.has_role(*STAFF):  # leadership reads: the review queue and dissolution steps are staff work
        return cards
    return [
        *cards,
        {
            "title": _("Laporan koperasi menunggu tinjauan"),
            "value": counts["menunggu"],
            "url": reverse("koperasi:review_list"),
        },
        {
            "title": _("Tenggat pembubaran terlewat"),
            "value": counts["terlambat"],
            "url": reverse("koperasi:pembubaran_list"),
        },
    ]
