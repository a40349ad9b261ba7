"""Issue #4's check, as an outside tester runs it: the independent `koperasi` and `laporan_koperasi`
files give exactly the reference koperasi_* figures (SPEC §5; docs/architecture.md definitions)."""

import pytest

from .conftest import KOPERASI_KEYS, assert_figures, error_rows, kpi, pick, require, run_import
from .generate import REGENCY, D, Y

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _koperasi_landed():
    require("koperasi", "laporan_koperasi")


def test_koperasi_files_give_the_reference_figures(edge):
    files = edge.files_of("koperasi", "laporan_koperasi")
    for f in files:
        summary = run_import(f)
        assert (summary["rows"], summary["rejected"]) == (f.rows, len(f.rejected)), f.path.name
        assert summary["created"] + summary["updated"] + summary["unchanged"] == f.rows - len(f.rejected)
    assert_figures(edge, files, KOPERASI_KEYS)


def test_koperasi_rejected_rows_with_row_and_column(edge):
    for f in edge.files_of("koperasi", "laporan_koperasi"):
        before = {p.name for p in edge.folder.iterdir()}
        run_import(f)
        written = [p for p in edge.folder.iterdir() if p.name not in before]
        if not f.rejected:
            assert written == []
            continue
        assert len(written) == 1, written
        got = {int(pick(r, "baris", "row")): r for r in error_rows(written[0])}
        assert sorted(got) == sorted(n for n, _ in f.rejected), f.path.name
        for number, column in f.rejected:
            assert column in pick(got[number], "kolom", "column").lower(), (f.path.name, number, column, got[number])


def test_koperasi_reimport_changes_nothing(edge):
    files = edge.files_of("koperasi", "laporan_koperasi")
    for f in files:
        run_import(f)
    figures = kpi(REGENCY, Y, D)
    for f in files:
        again = run_import(f)
        assert again == {"rows": f.rows, "created": 0, "updated": 0, "unchanged": f.rows - len(f.rejected),
                         "rejected": len(f.rejected)}, f.path.name  # fmt: skip
    assert kpi(REGENCY, Y, D) == figures


def test_laporan_crash_mid_file_then_rerun_gives_the_same_figures(edge, monkeypatch):
    from apps.imports.framework import importer_for

    koperasi, laporan, laporan_xlsx = edge.files_of("koperasi", "laporan_koperasi")
    run_import(koperasi)
    cls = importer_for("laporan_koperasi")
    monkeypatch.setattr(cls, "batch_size", 13)
    real = cls.write_batch
    calls = {"n": 0}

    def crashing(self, rows):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("koneksi putus")
        return real(self, rows)

    monkeypatch.setattr(cls, "write_batch", crashing)
    with pytest.raises(RuntimeError, match="koneksi putus"):
        run_import(laporan)
    monkeypatch.setattr(cls, "write_batch", real)
    resumed = run_import(laporan)
    assert (resumed["rows"], resumed["rejected"]) == (laporan.rows, len(laporan.rejected))
    run_import(laporan_xlsx)
    assert_figures(edge, [koperasi, laporan, laporan_xlsx], KOPERASI_KEYS)
