"""UMKM roll-ups for province reports (see `models.UmkmRollup`).

Correctness first: before a roll-up row is read, the current UMKM data stamp is computed (a handful of
index-only lookups) and every row with another stamp is recomputed from the domain selectors. So the
figures are the domain's own after every import and every audited edit; only the first province report
after a change pays for recomputing the regencies.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max

from apps.reports.models import UmkmRollup

BREAKDOWN_KEYS = ("umkm_per_wilayah", "umkm_per_sektor", "umkm_per_jenis_kelamin")


def umkm_data_stamp() -> str:
    """A value that changes whenever UMKM data changes: new rows (highest ids), imports (each committed
    batch moves the run's checkpoint) and edits through the umkm services (each writes an audit entry)."""
    from apps.audit.models import AuditEntry
    from apps.imports.models import ImportRun
    from apps.umkm.models import Business, BusinessYear, Owner

    parts = [
        Business.objects.aggregate(m=Max("id"))["m"],
        BusinessYear.objects.aggregate(m=Max("id"))["m"],
        Owner.objects.aggregate(m=Max("id"))["m"],
        AuditEntry.objects.filter(record_type__startswith="umkm.").aggregate(m=Max("id"))["m"],
    ]
    last_import = (
        ImportRun.objects.filter(kind="umkm").order_by("-pk").values_list("pk", "checkpoint_row", "status").first()
    )
    return "|".join(str(p) for p in [*parts, *(last_import or ())])


def _compute(regency_code: str, year: int, as_of: date) -> tuple[dict[str, Any], dict[str, Any]]:
    from apps.reports.breakdowns import umkm_breakdowns
    from apps.umkm.selectors import umkm_kpi

    figures = umkm_kpi(regency_codes=[regency_code], year=year, as_of=as_of)
    breakdowns = umkm_breakdowns(region_code=regency_code, regency_codes=[regency_code], year=year)
    return figures, breakdowns


def umkm_rollup_refresh(*, regency_codes: Iterable[str], year: int, as_of: date, stamp: str | None = None) -> int:
    """Recompute the roll-up rows of these regencies for `year`; returns how many were written.

    A derived cache, not a record anyone edits: no audit entry (the data it is computed from is audited).
    """
    stamp = stamp if stamp is not None else umkm_data_stamp()
    n = 0
    for code in sorted(regency_codes):
        figures, breakdowns = _compute(code, year, as_of)
        with transaction.atomic():
            UmkmRollup.objects.update_or_create(
                regency_id=code,
                year=year,
                defaults={"figures": figures, "breakdowns": breakdowns, "stamp": stamp},
            )
        n += 1
    return n


def umkm_rollups(*, regency_codes: Iterable[str], year: int, as_of: date) -> list[UmkmRollup]:
    """Fresh roll-up rows of the regencies for `year`, recomputing the missing and stale ones first."""
    codes = set(regency_codes)
    stamp = umkm_data_stamp()
    fresh = {r.regency_id: r for r in UmkmRollup.objects.filter(regency_id__in=codes, year=year, stamp=stamp)}
    stale = codes - set(fresh)
    if stale:
        umkm_rollup_refresh(regency_codes=stale, year=year, as_of=as_of, stamp=stamp)
        fresh.update({r.regency_id: r for r in UmkmRollup.objects.filter(regency_id__in=stale, year=year, stamp=stamp)})
    return [fresh[c] for c in sorted(fresh)]


def _add(total: dict[str, Any], part: dict[str, Any]) -> None:
    for key, value in part.items():
        if isinstance(value, dict):
            _add(total.setdefault(key, {}), value)
        elif isinstance(value, int):
            total[key] = total.get(key, 0) + value


def umkm_province_figures(*, regency_codes: Iterable[str], year: int, as_of: date) -> dict[str, Any]:
    """`umkm_kpi` over many regencies as the sum of its per-regency results."""
    total: dict[str, Any] = {}
    for row in umkm_rollups(regency_codes=regency_codes, year=year, as_of=as_of):
        _add(total, row.figures)
    return total


def umkm_province_breakdowns(*, regency_codes: Iterable[str], year: int, as_of: date) -> dict[str, Any]:
    """The UMKM breakdowns of a province: per regency (each regency's total), and per sector and gender
    summed over the regencies."""
    from apps.reports.breakdowns import _region_names, _sorted_rows

    rows = umkm_rollups(regency_codes=regency_codes, year=year, as_of=as_of)
    per_regency = {
        r.regency_id: {"jumlah": n} for r in rows if (n := sum(x["jumlah"] for x in r.breakdowns["umkm_per_wilayah"]))
    }
    out: dict[str, Any] = {"umkm_per_wilayah": _sorted_rows(per_regency, _region_names(set(per_regency)))}
    for key in ("umkm_per_sektor", "umkm_per_jenis_kelamin"):
        counts: dict[str, dict[str, int]] = {}
        labels: dict[str, str] = {}
        order: list[str] = []
        for r in rows:
            for item in r.breakdowns[key]:
                if item["key"] not in counts:
                    order.append(item["key"])
                counts.setdefault(item["key"], {"jumlah": 0})["jumlah"] += item["jumlah"]
                labels[item["key"]] = item["label"]
        out[key] = [{"key": k, "label": labels[k], **counts[k]} for k in order]
        if key == "umkm_per_sektor":
            out[key] = sorted(out[key], key=lambda x: str(x["label"]).lower())
        else:
            out[key] = sorted(out[key], key=lambda x: x["key"])
    return out
