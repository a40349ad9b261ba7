"""NIK (Nomor Induk Kependudukan): validation, encryption at rest, keyed hash and masking.

NIK is personal data under UU 27/2022 (PDP). It is stored encrypted (Fernet, key NIK_ENCRYPTION_KEY),
found by an HMAC-SHA256 keyed with NIK_HASH_KEY, shown masked (`3303**********12`), and every
unmasked view is written to the audit log (see `apps.audit.services.nik_reveal`). It never goes into URLs or logs.

Structure: PP KK CC (province, regency, district of registration) + DDMMYY (birth date; women add 40
to the day) + 4-digit serial.
"""

import hashlib
import hmac
from datetime import date
from functools import cache

from cryptography.fernet import Fernet
from django.conf import settings
from django.core import signing
from django.db import models
from django.utils.translation import gettext as _

from apps.regions.models import Region


@cache
def _fernet() -> Fernet:
    return Fernet(settings.NIK_ENCRYPTION_KEY.encode())


def nik_hash(nik: str) -> str:
    return hmac.new(settings.NIK_HASH_KEY.encode(), nik.encode(), hashlib.sha256).hexdigest()


def nik_encrypt(nik: str) -> str:
    return _fernet().encrypt(nik.encode()).decode()


def nik_decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def nik_mask(nik: str) -> str:
    return nik[:4] + "*" * 10 + nik[-2:]


def nik_birth_date(nik: str, today: date | None = None) -> date | None:
    """Birth date encoded in the NIK (women: day + 40), or None when it is not a real date."""
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40
    today = today or date.today()
    year = 2000 + yy if 2000 + yy <= today.year else 1900 + yy
    try:
        return date(year, month, day)
    except ValueError:
        return None


def nik_gender(nik: str) -> str:
    return "P" if int(nik[6:8]) > 40 else "L"


def nik_errors(nik: str, district_codes: set[str] | None = None) -> list[str]:
    """Reasons (in Indonesian) why `nik` is not a well-formed NIK; empty when it is.

    `district_codes` is the set of known kecamatan codes (PP.KK.CC); pass it when validating many rows.
    """
    if len(nik) != 16 or not nik.isdigit():
        return [_("NIK harus 16 digit angka")]
    errors = []
    district = f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"
    if district_codes is None:
        known = Region.objects.filter(code=district).exists()
    else:
        known = district in district_codes
    if not known:
        errors.append(_("6 digit pertama NIK (%(kode)s) bukan kode kecamatan yang dikenal") % {"kode": district})
    if nik_birth_date(nik) is None:
        errors.append(_("tanggal lahir dalam NIK tidak valid (perempuan: tanggal + 40)"))
    if nik[12:] == "0000":
        errors.append(_("nomor urut NIK tidak boleh 0000"))
    return errors


class NIKHolder(models.Model):
    """Abstract model for a person with a NIK: ciphertext, keyed hash (unique lookups), masked copy."""

    nik_ciphertext = models.TextField(editable=False)
    nik_hash = models.CharField(max_length=64, editable=False, db_index=True)
    nik_masked = models.CharField("NIK", max_length=16, editable=False)

    class Meta:
        abstract = True

    def set_nik(self, nik: str) -> None:
        self.nik_ciphertext = nik_encrypt(nik)
        self.nik_hash = nik_hash(nik)
        self.nik_masked = nik_mask(nik)


NIK_SEARCH_SALT = "tukatuku.nik-search"


def nik_search_token(nik: str) -> str:
    """A short-lived, signed stand-in for a NIK searched for, to put in a URL instead of the NIK (issue #15
    M3): it carries only the keyed hash and the masked NIK, and is refused after NIK_SEARCH_TOKEN_SECONDS."""
    return signing.dumps({"h": nik_hash(nik), "m": nik_mask(nik)}, salt=NIK_SEARCH_SALT, compress=True)


def nik_search_lookup(token: str) -> tuple[str, str] | None:
    """(keyed hash, masked NIK) of a `nik_search_token`, or None when it is forged, garbled or expired."""
    try:
        data = signing.loads(token, salt=NIK_SEARCH_SALT, max_age=settings.NIK_SEARCH_TOKEN_SECONDS)
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    if not isinstance(data, dict) or not isinstance(data.get("h"), str) or not isinstance(data.get("m"), str):
        return None
    return data["h"], data["m"]


def looks_like_nik(text: str) -> str | None:
    """The 16 digits of `text` when it is a NIK typed with or without spaces, else None."""
    digits = "".join(text.split())
    return digits if len(digits) == 16 and digits.isdigit() else None
