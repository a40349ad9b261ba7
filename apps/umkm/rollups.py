"""UMKM roll-ups for the leadership report (`models.UmkmRollup`): per regency and data year, the figures
and breakdowns of `report.py`, so that a province report adds up 35 rows instead of scanning millions
of yearly records.

Correctness first: a roll-up row records the registry revision of its regency it was computed from
(`RegistryRevision`, bumped in the same transaction as every import batch and every edit). Before rows
are read, the current revisions are read (one indexed query) and every row computed from another
revision is recomputed. So the figures are the domain's own after every import and edit, and a change
in one regency costs only that regency's recomputation. The UMKM importer recomputes the rows it made
stale before it reports itself done (`UmkmImporter.after_commit`), so the report after an import does
not wait; the worker's idle task (`umkm_rollups_catch_up`) does the same after edits.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction

from apps.core.reporting import sorted_rows
from apps.jobs.progress import Progress
from apps.umkm.models import Gender, UmkmRollup
from apps.umkm.selectors import registry_revisions, umkm_breakdown, umkm_kpi

# The breakdowns a row holds: (stored key, `umkm_breakdown`'s `by`). The stored keys are those of the
# rows already computed, so that rows computed before this module moved here stay readable.
ROW_BREAKDOWNS = (
    ("umkm_per_wilayah", "kecamatan"),
    ("umkm_per_sektor", "sektor"),
    ("umkm_per_jenis_kelamin", "jenis_kelamin"),
)


def breakdown_rows(*, regency_codes: Iterable[str], year: int, by: str) -> list[dict[str, Any]]:
    """`selectors.umkm_breakdown` by `kecamatan`, `sektor` or `jenis_kelamin` as the report shows it:
    rows {key, label, jumlah}, a missing value under `NO_VALUE` "(tidak diisi)"; by label (genders in
    their choices' order)."""
    rows = umkm_breakdown(regency_codes=list(regency_codes), year=year, by=by)
    counts = {r["key"]: {"jumlah": r["count"]} for r in rows}
    if by == "jenis_kelamin":
        genders = [str(k) for k, _label in Gender.choices]
        items = sorted_rows(counts, {k: str(v) for k, v in Gender.choices})
        return sorted(items, key=lambda r: genders.index(r["key"]) if r["key"] in genders else 99)
    return sorted_rows(counts, {r["key"]: r["label"] for r in rows if r["key"]})


def _compute(regency_code: str, year: int, as_of: date) -> tuple[dict[str, Any], dict[str, Any]]:
    """What a row holds for one regency: `umkm_kpi`, and `breakdown_rows` by kecamatan, sector and the
    owner's gender."""
    figures = umkm_kpi(regency_codes=[regency_code], year=year, as_of=as_of)
    breakdowns = {key: breakdown_rows(regency_codes=[regency_code], year=year, by=by) for key, by in ROW_BREAKDOWNS}
    return figures, breakdowns


def umkm_rollup_refresh(*, regency_codes: Iterable[str], year: int, as_of: date) -> int:
    """Recompute the roll-up rows of these regencies for `year`; returns how many were written.

    The revision is read before the figures: a change committed meanwhile leaves the row marked with the
    older revision, so it is recomputed once more rather than kept wrong. A derived cache, not a record
    anyone edits: no audit entry (the data it is computed from is audited).
    """
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
    years someone already reported on); returns how many were recomputed. Nothing to do (one small
    query) when no report was made yet."""
    return umkm_rollups_refresh_each(stale_rollups(), progress=progress, message=message)


def umkm_rollups_catch_up() -> int:
    """The worker's idle task (registered in `UmkmConfig.ready`): recompute one stale roll-up row, so
    that after an operator's edit the next report finds its regency already recomputed."""
    return umkm_rollups_refresh_each(stale_rollups()[:1])


def _add(total: dict[str, Any], part: dict[str, Any]) -> None:
    for key, value in part.items():
        if isinstance(value, dict):
            _add(total.setdefault(key, {}), value)
        elif isinstance(value, int):
            total[key] = total.get(key, 0) + value


def umkm_rollup_figures(*, regency_codes: Iterable[str], year: int, as_of: date) -> dict[str, Any]:
    """`umkm_kpi` over many regencies as the sum of its per-regency results."""
    total: dict[str, Any] = {}
    for row in umkm_rollups(regency_codes=regency_codes, year=year, as_of=as_of):
        _add(total, row.figures)
    return total
