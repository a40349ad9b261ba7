"""Imports running in parallel with each other and with province reports, on PostgreSQL with real
parallel connections: every import batch bumps the revisions of the regencies it changed (row locks
taken in code order), so no import deadlocks and the report afterwards equals the live selectors."""

from apps.core.testing import POSTGRES_PARALLEL, run_parallel
from apps.imports.framework import run_import
from apps.regions.models import Level, Region
from apps.reports.tests.factories import kpi_figures
from apps.umkm.importers import UmkmImporter
from apps.umkm.models import Business, UmkmRollup
from apps.umkm.rollups import stale_rollups, umkm_rollups_refresh_stale
from apps.umkm.selectors import registry_revisions, umkm_kpi
from apps.umkm.tests.factories import umkm_csv, umkm_row

pytestmark = POSTGRES_PARALLEL
REGENCIES = ["33.02", "33.03", "33.04"]
IMPORTS, ROWS = 4, 30


def test_parallel_imports_and_reports(transactional_regions, tmp_path, monkeypatch):
    from datetime import date

    monkeypatch.setattr(UmkmImporter, "batch_size", 4)  # many small batches, interleaved
    villages = {
        code: Region.objects.filter(level=Level.VILLAGE, code__startswith=code + ".").order_by("code")[0].code
        for code in REGENCIES
    }
    as_of = date(2020, 3, 9)
    kpi_figures(region_code="33", year=2019, as_of=as_of)  # roll-ups exist before the imports
    files = []
    for t in range(IMPORTS):
        order = REGENCIES[t % 3 :] + REGENCIES[: t % 3]  # each import meets the regencies in another order
        rows = [
            umkm_row(
                nik=f"3303015204{85 + t:02d}{i + 1:04d}",
                nama_usaha=f"Usaha {t}-{i}",
                kode_wilayah=villages[order[i % 3]],
                omzet_tahunan=str((100 + i) * 1_000_000),
            )
            for i in range(ROWS)
        ]
        files.append(umkm_csv(tmp_path / f"umkm-{t}.csv", rows))

    def work(i):
        if i < IMPORTS:
            return run_import(kind="umkm", path=files[i]).run.created
        for _ in range(5):
            kpi_figures(region_code="33", year=2019, as_of=as_of)
        return "report"

    results = run_parallel(IMPORTS + 2, work)
    assert results == [ROWS] * IMPORTS + ["report", "report"]
    assert Business.objects.count() == IMPORTS * ROWS
    revisions = registry_revisions(regency_codes=REGENCIES)
    assert all(revisions[c] >= IMPORTS for c in REGENCIES), revisions
    # the background refresh, then the report: the live selectors' figures
    umkm_rollups_refresh_stale()
    assert stale_rollups() == []
    f = kpi_figures(region_code="33", year=2019, as_of=as_of)
    live = umkm_kpi(regency_codes=sorted(r.code for r in Region.objects.filter(parent_id="33")), year=2019, as_of=as_of)
    assert {k: f[k] for k in live} == live
    assert f["umkm_total"] == IMPORTS * ROWS
    assert UmkmRollup.objects.filter(year=2019).count() == 35
