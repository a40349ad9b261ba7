"""Issue #6's check, as an outside tester runs it: overlapping Shopee exports, a Tokopedia XLSX report
and a historical Bukalapak CSV, imported with `import_data penjualan FILE --channel …`, give exactly
the reference tukatuku_omzet_kumulatif and tukatuku_omzet_tahun (SPEC §6)."""

import dataclasses

import pytest

from .conftest import (
    OMZET_KEYS,
    assert_error_file,
    assert_figures,
    assert_summary,
    kpi,
    new_files,
    require,
    run_import,
)
from .generate import REGENCY, D, Y

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _penjualan_landed():
    require("penjualan")


def test_marketplace_exports_give_the_reference_omzet(edge):
    files = edge.files_of("penjualan")
    for f in files:
        assert_summary(run_import(f), f)
    assert_figures(edge, files, OMZET_KEYS)


@pytest.mark.parametrize("name", ["shopee_ekspor_1.csv", "tokopedia_laporan.xlsx", "bukalapak_transaksi.csv"])
def test_each_export_alone(edge, name):
    f = next(f for f in edge.files_of("penjualan") if f.path.name == name)
    run_import(f)
    assert_figures(edge, [f], OMZET_KEYS)


def test_overlapping_shopee_exports_count_each_line_once(edge):
    shopee1, shopee2 = edge.files_of("penjualan")[:2]
    run_import(shopee1)
    run_import(shopee2)
    run_import(shopee2)  # the later export once more
    got = kpi(REGENCY, Y, D)
    want = edge.figures_after([shopee1, shopee2])
    assert {k: got[k] for k in OMZET_KEYS} == {k: want[k] for k in OMZET_KEYS}


def test_bad_amount_is_rejected_with_row_and_column(edge):
    buka = edge.files_of("penjualan")[-1]
    before = {p.name for p in edge.folder.iterdir()}
    run_import(buka)
    (written,) = new_files(edge.folder, before)
    assert_error_file(buka, written)


def test_penjualan_reimport_changes_nothing(edge):
    """Each export imported twice in a row: the second time nothing is created or updated."""
    files = edge.files_of("penjualan")
    for f in files:
        run_import(f)
        figures = kpi(REGENCY, Y, D)
        assert_summary(run_import(f), f, reimport=True)
        assert kpi(REGENCY, Y, D) == figures
    assert_figures(edge, files, OMZET_KEYS)


def test_penjualan_crash_mid_file_then_rerun(edge, monkeypatch):
    from apps.imports.framework import importer_for

    buka = edge.files_of("penjualan")[-1]
    cls = importer_for("penjualan")
    monkeypatch.setattr(cls, "batch_size", 5)
    real = cls.write_batch
    calls = {"n": 0}

    def crashing(self, rows):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("server mati")
        return real(self, rows)

    monkeypatch.setattr(cls, "write_batch", crashing)
    with pytest.raises(RuntimeError, match="server mati"):
        run_import(buka)
    # whole batches only: the omzet of the first two batches of valid lines
    partial = dataclasses.replace(buka, records=buka.records[: 2 * 5])
    got, want = kpi(REGENCY, Y, D), edge.figures_after([partial])
    assert {k: got[k] for k in OMZET_KEYS} == {k: want[k] for k in OMZET_KEYS}
    monkeypatch.setattr(cls, "write_batch", real)
    assert calls["n"] == 3, "the import never reached its third batch"
    assert_summary(run_import(buka), buka)
    assert_figures(edge, [buka], OMZET_KEYS)
