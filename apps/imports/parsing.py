"""Parsers for values as operators and marketplaces write them. Each raises ValueError with an
Indonesian reason, which the import framework reports with the row and column."""

import re
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.formatting import WIB

_RUPIAH_RE = re.compile(r"^-?\d+$")


def parse_rupiah(text: str) -> int:
    """Whole rupiah from `Rp12.500`, `12.500`, `12500`, `12500.0`, `12,500` or `Rp 12.500,00`."""
    s = text.strip().replace(" ", "").replace("\u00a0", "")
    negative = s.startswith("-")
    s = s.lstrip("-")
    if s.lower().startswith("rp"):
        s = s[2:]
    negative = negative or s.startswith("-")
    s = s.lstrip("-")
    if not s:
        raise ValueError(_("nilai rupiah kosong"))
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", s):  # 12.500 / 1.234.567,00 (Indonesian)
        whole, _sep, frac = s.partition(",")
        if frac and int(frac) != 0:
            raise ValueError(_("nilai rupiah harus bilangan bulat: %(v)s") % {"v": text})
        s = whole.replace(".", "")
    elif re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", s):  # 12,500 / 1,234,567.00 (English)
        whole, _sep, frac = s.partition(".")
        if frac and int(frac) != 0:
            raise ValueError(_("nilai rupiah harus bilangan bulat: %(v)s") % {"v": text})
        s = whole.replace(",", "")
    elif re.fullmatch(r"\d+[.,]0+", s):  # 12500.0 / 12500,00: a decimal zero (1.000 was read above as 1000)
        s = re.split(r"[.,]", s)[0]
    elif re.fullmatch(r"\d+[.,]\d+", s):
        raise ValueError(_("nilai rupiah harus bilangan bulat: %(v)s") % {"v": text})
    if not _RUPIAH_RE.match(s):
        raise ValueError(_("bukan nilai rupiah: %(v)s") % {"v": text})
    value = int(s)
    return -value if negative else value


def parse_int(text: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    s = text.strip()
    if re.fullmatch(r"-?\d+\.0+", s):
        s = s.split(".")[0]
    if not re.fullmatch(r"-?\d+", s):
        raise ValueError(_("harus bilangan bulat: %(v)s") % {"v": text})
    value = int(s)
    if minimum is not None and value < minimum:
        raise ValueError(_("tidak boleh kurang dari %(min)s: %(v)s") % {"min": minimum, "v": text})
    if maximum is not None and value > maximum:
        raise ValueError(_("tidak boleh lebih dari %(max)s: %(v)s") % {"max": maximum, "v": text})
    return value


_DATETIME_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y/%m/%d %H:%M",
]
_DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y"]


def parse_datetime_wib(text: str) -> datetime:
    """An aware datetime in WIB from `2019-11-02 14:05`, `02-11-2019 14:05` or a bare date (midnight).

    Day-first is assumed for dd-mm-yyyy and dd/mm/yyyy, as Indonesian exports write them.
    """
    s = text.strip()
    for fmt in _DATETIME_FORMATS:
        try:
            return timezone.make_aware(datetime.strptime(s, fmt), WIB)
        except ValueError:
            continue
    d = parse_date(s)
    return timezone.make_aware(datetime(d.year, d.month, d.day), WIB)


def parse_date(text: str) -> date:
    s = text.strip()
    if len(s) > 10 and (" " in s or "T" in s):
        s = s.replace("T", " ").split(" ")[0]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("tanggal tidak dikenali: %(v)s (contoh: 2019-11-02 atau 02/11/2019)") % {"v": text})


def normalize_header(name: str) -> str:
    return " ".join(str(name).replace("\ufeff", "").strip().lower().split())
