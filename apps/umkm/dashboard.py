"""The registry's dashboard card: how many active businesses the officer's regions hold."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.selectors import user_regency_codes
from apps.core.formatting import number_id
from apps.core.roles import OFFICERS
from apps.umkm.models import Business, BusinessStatus


def umkm_cards(user: Any) -> list[dict[str, Any]]:

    if not user.is_authenticated or not (user.is_superuser or user.role in OFFICERS):
        return []
    codes = user_regency_codes(user)
    qs = Business.objects.exclude(status=BusinessStatus.CLOSED)
    if codes is not None:
        qs = qs.filter(regency_id__in=codes)
    return [
        {
            "title": _("UMKM terdaftar"),
            "value": number_id(qs.count()),
            "url": reverse("umkm:list"),
            "note": _("usaha aktif di registri wilayah Anda"),
        }
    ]
