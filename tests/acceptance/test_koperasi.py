"""Issue #4's check, as an outside tester runs it: the independent `koperasi` and `laporan_koperasi`
files give exactly the reference koperasi_* figures (SPEC §5; docs/architecture.md definitions)."""

import dataclasses

import pytest

from .conftest import (
    KOPERASI_KEYS,
    assert_error_file,
    assert_figures,
    assert_summary,
    comparable,
    kpi,
    new_files,
    require,
    run_import,
)
from .generate import REGENCY, D, Y

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _koperasi_landed():
    require("koperasi", "laporan_koperasi")


def test_koperasi_files_give_the_reference_figures(edge):
    files = edge.files_of("koperasi", "laporan_koperasi")
    for f in files:
        assert_summary(run_import(f), f)
    assert_figures(edge, files, KOPERASI_KEYS)


def test_koperasi_rejected_rows_with_row_and_column(edge):
    for f in edge.files_of("koperasi", "laporan_koperasi"):
        before = {p.name for p in edge.folder.iterdir()}
        run_import(f)
        written = new_files(edge.folder, before)
        if not f.rejected:
            assert written == []
            continue
        assert len(written) == 1, written
        assert_error_file(f, written[0])


def test_koperasi_reimport_changes_nothing(edge):
    """Each file imported twice in a row: the second time nothing is created or updated."""
    files = edge.files_of("koperasi", "laporan_koperasi")
    for f in files:
        run_import(f)
        figures = kpi(REGENCY, Y, D)
        assert_summary(run_import(f), f, reimport=True)
        assert kpi(REGENCY, Y, D) == figures
    assert_figures(edge, files, KOPERASI_KEYS)


def test_laporan_crash_mid_file_then_rerun_gives_the_same_figures(edge, monkeypatch):
    from apps.imports.framework import importer_for

    files = edge.files_of("koperasi", "laporan_koperasi")
    at = next(i for i, f in enumerate(files) if f.kind == "laporan_koperasi")
    earlier, laporan, later = files[:at], files[at], files[at + 1 :]
    for f in earlier:
        run_import(f)
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
    # whole batches only: the figures are those of the first two batches of valid rows
    partial = dataclasses.replace(laporan, records=laporan.records[: 2 * 13])
    assert comparable(kpi(REGENCY, Y, D), KOPERASI_KEYS) == comparable(
        edge.figures_after([*earlier, partial]), KOPERASI_KEYS
    )
    monkeypatch.setattr(cls, "write_batch", real)
    assert calls["n"] == 3, "the import never reached its third batch"
    assert_summary(run_import(laporan), laporan)
    for f in later:
        run_import(f)
    assert_figures(edge, files, KOPERASI_KEYS)
