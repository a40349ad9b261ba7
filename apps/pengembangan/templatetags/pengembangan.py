"""Template tags other pages use to show cooperative development: the certified managers of a
cooperative (on the cooperative's own page in apps.koperasi)."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import timezone
from django.utils.formats import number_format

from apps.pengembangan.selectors.ujikom import certified_managers

register = template.Library()

RENEWAL_NOTICE_DAYS = 90


@register.inclusion_tag("pengembangan/_bersertifikat.html")
def bersertifikat_table(koperasi: Any) -> dict[str, Any]:
    today = timezone.localdate()
    rows = certified_managers(koperasi)
    for r in rows:
        soon = r.berlaku_sampai is not None and r.berlaku_sampai <= today + timedelta(days=RENEWAL_NOTICE_DAYS)
        r.segera_habis = soon  # type: ignore[attr-defined]
    return {"certified": rows, "today": today}


@register.inclusion_tag("pengembangan/_koperasi_panel.html")
def koperasi_pengelola_panel(koperasi: Any) -> dict[str, Any]:
    """The section on apps.koperasi's cooperative page: certified managers, expiries, the link here."""
    return {**bersertifikat_table(koperasi), "koperasi": koperasi}


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key)


@register.filter
def desimal(value: Any, places: Any = None) -> str:
    """A decimal (number or its string) in the page's language (`69,996`), keeping its own decimals
    unless `places` is given; empty for None."""

    if value is None or value == "":
        return ""
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if places is None or places == "":
        exponent = d.as_tuple().exponent
        pos = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    else:
        pos = int(places)
        d = d.quantize(Decimal(1).scaleb(-pos), rounding=ROUND_HALF_UP)  # number_format would cut, not round
    return number_format(d, decimal_pos=pos, use_l10n=True, force_grouping=True)
