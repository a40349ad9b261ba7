"""Reads of the omzet ledger: the KPI figures of SPEC §8 and the breakdowns of the report."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet, Sum

from apps.core.formatting import WIB
from apps.omzet.models import OmzetLine


def wib_start(day: date) -> datetime:
    """Midnight WIB at the start of `day`, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=WIB)


def ledger_until(*, regency_codes: list[str] | set[str], as_of: date) -> QuerySet[OmzetLine]:
    """Ledger lines of the regencies dated up to the end of day `as_of` in WIB."""
    return OmzetLine.objects.filter(regency_id__in=list(regency_codes), counted_at__lt=wib_start(as_of + timedelta(1)))


def omzet_kpi(*, regency_codes: list[str] | set[str], year: int, as_of: date) -> dict[str, Any]:
    """`tukatuku_omzet_kumulatif`: the sum of ledger amounts dated ≤ D (end of day, WIB);
    `tukatuku_omzet_tahun`: the part dated within year Y (WIB) and ≤ D."""
    lines = ledger_until(regency_codes=regency_codes, as_of=as_of)
    total = lines.aggregate(s=Sum("amount"))["s"] or 0
    in_year = (
        lines.filter(
            counted_at__gte=wib_start(date(year, 1, 1)), counted_at__lt=wib_start(date(year + 1, 1, 1))
        ).aggregate(s=Sum("amount"))["s"]
        or 0
    )
    return {"tukatuku_omzet_kumulatif": int(total), "tukatuku_omzet_tahun": int(in_year)}
