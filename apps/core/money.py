"""Reading a rupiah amount a person typed into a form (whole rupiah, the way Indonesians write it).

Files from machines (marketplace exports, bank files) go through `apps.imports.parsing.parse_rupiah`,
which is more lenient about decimal zeros and English separators. A form is stricter: a person who
types `90,5` or `90,000` on an Indonesian page means something we must not guess, so it is refused
with a message that shows how to write it, and nothing is saved.

Rules (Indonesian page):
- `90000`, `90.000`, `1.234.567` (dots group thousands, groups of exactly three digits);
- an optional `Rp` / `Rp.` before, with or without a space; `,-` or `,00` after (zero sen) is allowed;
- a comma with anything else after it (`90,5`, `90,000`) is refused: rupiah has no sen, and a comma
  is the decimal mark in Indonesian;
- a minus sign only where the field allows negative amounts (losses in a cooperative's statements).

On an English page commas also group thousands (`90,000`) and `.00` is zero cents; dots followed by
groups of three still read as thousands, since a rupiah amount never has three decimals.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

MAX_DIGITS = 15  # Rp999 triliun: beyond any figure the system keeps.

_PREFIX = re.compile(r"^rp\.?\s*", re.IGNORECASE)
_DOTS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_COMMAS = re.compile(r"^\d{1,3}(,\d{3})+$")

MESSAGES = {
    "invalid": _("Tulis jumlah rupiah dengan angka, misalnya 90.000 atau Rp90.000."),
    "sen": _("Rupiah ditulis tanpa sen (tanpa koma), misalnya 90.000."),
    "comma_group": _("Pakai titik sebagai pemisah ribuan, misalnya 90.000."),
    "negative": _("Jumlah rupiah tidak boleh negatif."),
    "too_large": _("Jumlah rupiah terlalu besar."),
}


def _language(language: str | None) -> str:
    return (language or get_language() or "id").split("-")[0]


def parse_rupiah_input(text: str, *, allow_negative: bool = False, language: str | None = None) -> int:
    """Whole rupiah from what a person typed; raises `ValidationError` (code = key of MESSAGES)."""
    english = _language(language) == "en"
    s = str(text).strip().replace("\u00a0", " ")
    negative = False
    if s.startswith("-"):
        negative, s = True, s[1:].strip()
    s = _PREFIX.sub("", s)
    if s.startswith("-"):
        negative, s = True, s[1:].strip()
    if s.endswith(",-") or s.endswith(".-"):
        s = s[:-2]
    s = s.strip()
    if english:
        if re.fullmatch(r"[\d,]+\.0{1,2}", s):
            s = s.rsplit(".", 1)[0]
    elif re.fullmatch(r"[\d.]+,0{1,2}", s):
        s = s.rsplit(",", 1)[0]
    if re.fullmatch(r"\d+", s):
        digits = s
    elif _DOTS.fullmatch(s):
        digits = s.replace(".", "")
    elif english and _COMMAS.fullmatch(s):
        digits = s.replace(",", "")
    elif not english and _COMMAS.fullmatch(s):
        raise ValidationError(MESSAGES["comma_group"], code="comma_group")
    elif re.fullmatch(r"\d+([.,]\d{3})*[,.]\d+", s):
        raise ValidationError(MESSAGES["sen"], code="sen")
    else:
        raise ValidationError(MESSAGES["invalid"], code="invalid")
    digits = digits.lstrip("0") or "0"
    if len(digits) > MAX_DIGITS:
        raise ValidationError(MESSAGES["too_large"], code="too_large")
    value = int(digits)
    if negative and value:
        if not allow_negative:
            raise ValidationError(MESSAGES["negative"], code="negative")
        value = -value
    return value


def rupiah_localised(amount: int, language: str | None = None) -> str:
    """`Rp90.000` on Indonesian pages, `Rp90,000` on English ones."""
    sign = "-" if amount < 0 else ""
    sep = "," if _language(language) == "en" else "."
    return f"{sign}Rp{abs(amount):,}".replace(",", sep)


def number_localised(amount: int, language: str | None = None) -> str:
    """`90.000` on Indonesian pages, `90,000` on English ones (what a rupiah input shows)."""
    sep = "," if _language(language) == "en" else "."
    return f"{amount:,}".replace(",", sep)
