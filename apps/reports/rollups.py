"""UMKM roll-ups for province reports (see `models.UmkmRollup`).

Correctness first: a roll-up row records the registry revision of its regency it was computed from
(`umkm.RegistryRevision`, bumped in the same transaction as every import batch and every edit). Before
rows are read, the current revisions are read (one indexed query) and every row computed from another
revision is recomputed from the domain selectors. So the figures are the domain's own after every import
and edit, and a change in one regency costs only that regency's recomputation. Every UMKM import
recomputes the rows it made stale before it reports itself done (`umkm_rollups_after_import`), so the
report after an import does not wait.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from apps.jobs.progress import Progress
from apps.reports.models import UmkmRollup

BREAKDOWN_KEYS = ("umkm_per_wilayah", "umkm_per_sektor", "umkm_per_jenis_kelamin")


def _compute(regency_code: str, year: int, as_of: date) -> tuple[dict[str, Any], dict[str, Any]]:
    from apps.reports.breakdowns import umkm_breakdowns
    from apps.umkm.selectors import umkm_kpi

    figures = umkm_kpi(regency_codes=[regency_code], year=year, as_of=as_of)
    breakdowns = umkm_breakdowns(region_code=regency_code, regency_codes=[regency_code], year=year)
    return figures, breakdowns


def umkm_rollup_refresh(*, regency_codes: Iterable[str], year: int, as_of: date) -> int:
    """Recompute the roll-up rows of these regencies for `year`; returns how many were written.

    The revision is read before the figures: a change committed meanwhile leaves the row marked with the
    older revision, so it is recomputed once more rather than kept wrong. A derived cache, not a record
    anyone edits: no audit entry (the data it is computed from is audited).
    """
    from apps.umkm.selectors import registry_revisions

    codes = sorted(set(regency_codes))
    revisions = registry_revisions(regency_codes=codes)
    for code in codes:
        figures, breakdowns = _compute(code, year, as_of)
        with transaction.atomic():
            UmkmRollup.objects.update_or_create(
                regency_id=code,
                year=year,
                defaults={"figures": figures, "breakdowns": breakdowns, "revision": revisions[code]},
            )
    return len(codes)


def _fresh_rows(codes: set[str], year: int, *, figures: bool = True) -> dict[str, UmkmRollup]:
    """The roll-up rows of these regencies for `year` computed from their current registry revision."""
    from apps.umkm.selectors import registry_revisions

    revisions = registry_revisions(regency_codes=codes)
    rows = UmkmRollup.objects.filter(regency_id__in=codes, year=year)
    if not figures:
        rows = rows.only("regency_id", "revision")
    return {r.regency_id: r for r in rows if r.revision == revisions[r.regency_id]}


def rollups_to_compute(*, regency_codes: Iterable[str], year: int) -> list[str]:
    """The regencies whose roll-up row for `year` is missing or stale: what a report would compute first."""
    codes = set(regency_codes)
    return sorted(codes - set(_fresh_rows(codes, year, figures=False)))


def umkm_rollups(*, regency_codes: Iterable[str], year: int, as_of: date) -> list[UmkmRollup]:
    """Fresh roll-up rows of the regencies for `year`, recomputing the missing and stale ones first."""
    codes = set(regency_codes)
    fresh = _fresh_rows(codes, year)
    stale = codes - set(fresh)
    if stale:
        umkm_rollup_refresh(regency_codes=stale, year=year, as_of=as_of)
        fresh.update({r.regency_id: r for r in UmkmRollup.objects.filter(regency_id__in=stale, year=year)})
    return [fresh[c] for c in sorted(fresh)]


def stale_rollups() -> list[tuple[str, int]]:
    """(regency, year) of the existing roll-up rows whose regency's registry changed since."""
    from apps.umkm.selectors import registry_revisions

    rows = list(UmkmRollup.objects.values_list("regency_id", "year", "revision").order_by("year", "regency_id"))
    revisions = registry_revisions(regency_codes={code for code, _year, _rev in rows})
    return [(code, year) for code, year, revision in rows if revision != revisions[code]]


def umkm_rollups_refresh_each(
    pairs: list[tuple[str, int]], *, progress: Progress | None = None, message: str = ""
) -> int:
    """Recompute the roll-up row of each (regency, year), one at a time with the progress shown."""
    progress = progress or Progress()
    progress.start(len(pairs), message)
    for i, (code, year) in enumerate(pairs, 1):
        umkm_rollup_refresh(regency_codes=[code], year=year, as_of=date(year, 12, 31))
        progress.update(i, code)
    return len(pairs)


def umkm_rollups_refresh_stale(*, progress: Progress | None = None, message: str = "") -> int:
    """Recompute every existing roll-up row whose regency's registry changed since it was computed (the
    years someone already reported on); returns how many were recomputed."""
    return umkm_rollups_refresh_each(stale_rollups(), progress=progress, message=message)


def umkm_rollups_catch_up() -> int:
    """The worker's idle task (registered in `ReportsConfig.ready`): recompute one stale roll-up row, so
    that after an operator's edit the next report finds its regency already recomputed."""
    return umkm_rollups_refresh_each(stale_rollups()[:1])


def umkm_rollups_after_import(run: Any, progress: Progress) -> None:
    """Follow-up of every UMKM import (registered in `ReportsConfig.ready`): recompute the roll-up rows
    the import made stale before the import reports itself done, so that the next report reads fresh
    rows at once. Nothing to do (one small query) when no report was made yet."""
    stale = stale_rollups()
    if stale:
        umkm_rollups_refresh_each(stale, progress=progress, message=_("menghitung ulang ringkasan laporan"))


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
