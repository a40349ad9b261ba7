"""Rupiah, number and WIB date formatting used by templates, exports and PDFs alike.

Indonesian pages write `Rp1.234.567`, `4.510` and `9 Maret 2020`; English pages (the active language
is English) write `Rp1,234,567`, `4,510` and `9 March 2020`. Machine files (CSV/JSON/XLSX cells) keep
numbers as numbers and dates in ISO; they never go through these helpers.
"""

import zoneinfo
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import get_language

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def today_wib() -> date:
    """Today's date in WIB (the department's working day)."""
    return timezone.now().astimezone(WIB).date()


BULAN = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _english() -> bool:
    return (get_language() or "id").startswith("en")


def month_name(month: int) -> str:
    """`Maret` (or `March` on English pages) for 3."""
    return (MONTHS_EN if _english() else BULAN)[month - 1]


def _grouped(value: int) -> str:
    text = f"{value:,}"
    return text if _english() else text.replace(",", ".")


def rupiah(amount: int | None) -> str:
    """Whole rupiah as `Rp1.234.567` (negative: `-Rp1.234`). None prints as a dash."""
    if amount is None:
        return "–"
    amount = int(amount)
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{_grouped(abs(amount))}"


def number_id(value: int | None) -> str:
    """Thousands separated by dots, as written in Indonesian: 96.592."""
    if value is None:
        return "–"
    return _grouped(int(value))


def decimal_id(value: "Decimal | str | None", places: int = 2) -> str:
    """A decimal as written in Indonesian, at least `places` decimals and every further significant one
    (a stored 79.995000000000000 prints `79,995`; 80 prints `80,00`): `1.234,5`-style separators."""
    if value is None or value == "":
        return "–"
    number = Decimal(str(value))
    text = format(number, "f")
    whole, _dot, fraction = text.partition(".")
    fraction = fraction.rstrip("0").ljust(places, "0")
    sign = "-" if whole.startswith("-") else ""
    whole = f"{int(whole.lstrip('-') or 0):,}".replace(",", ".")
    return f"{sign}{whole},{fraction}" if fraction else f"{sign}{whole}"


def to_wib(value: datetime) -> datetime:
    if timezone.is_naive(value):
        value = timezone.make_aware(value, WIB)
    return value.astimezone(WIB)


def wib(value: datetime | None, with_time: bool = True) -> str:
    """`9 Maret 2020 14:05 WIB`."""
    if value is None:
        return "–"
    local = to_wib(value)
    text = f"{local.day} {month_name(local.month)} {local.year}"
    return f"{text} {local:%H:%M} WIB" if with_time else text


def tanggal(value: date | None) -> str:
    """`9 Maret 2020`."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        return wib(value, with_time=False)
    return f"{value.day} {month_name(value.month)} {value.year}"
