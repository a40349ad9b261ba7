"""Issue #3's check, as an outside tester runs it: the independent `umkm` files imported with
`manage.py import_data umkm FILE` give exactly the reference umkm_total, umkm_per_kelas and naik_kelas."""

import pytest

from .conftest import UMKM_KEYS, assert_figures, error_rows, kpi, pick, require, run_import
from .generate import OTHER, REGENCY, D, Y

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _umkm_landed():
    require("umkm")


def test_umkm_files_give_the_reference_figures(edge):
    main, xlsx, revisi = edge.files_of("umkm")
    first = run_import(main)
    assert (first["rows"], first["rejected"]) == (main.rows, len(main.rejected))
    assert first["created"] + first["updated"] + first["unchanged"] == main.rows - len(main.rejected)
    second = run_import(xlsx)
    assert (second["rows"], second["rejected"]) == (xlsx.rows, 0)
    assert run_import(revisi) == revisi.expected_counts
    assert_figures(edge, [main, xlsx, revisi], UMKM_KEYS)


def test_umkm_rejected_rows_go_to_an_error_csv_beside_the_input(edge):
    main = edge.files_of("umkm")[0]
    before = {p.name for p in edge.folder.iterdir()}
    run_import(main)
    written = [p for p in edge.folder.iterdir() if p.name not in before]
    assert len(written) == 1 and written[0].suffix == ".csv", written
    rows = error_rows(written[0])
    got = {int(pick(r, "baris", "row", "no_baris")): r for r in rows}
    assert sorted(got) == sorted(n for n, _c in main.rejected)
    for number, column in main.rejected:
        row = got[number]
        assert column in pick(row, "kolom", "column").lower(), (number, column, row)
        assert pick(row, "alasan", "reason").strip(), (number, row)


def test_umkm_errors_option_names_the_error_file(edge, tmp_path):
    main = edge.files_of("umkm")[0]
    target = tmp_path / "ditolak" / "galat.csv"
    target.parent.mkdir()
    run_import(main, "--errors", str(target))
    assert sorted(int(pick(r, "baris", "row")) for r in error_rows(target)) == sorted(n for n, _ in main.rejected)


def test_umkm_reimport_changes_nothing(edge):
    main = edge.files_of("umkm")[0]
    run_import(main)
    figures = kpi(REGENCY, Y, D)
    again = run_import(main)
    assert again == {"rows": main.rows, "created": 0, "updated": 0, "unchanged": main.rows - len(main.rejected),
                     "rejected": len(main.rejected)}  # fmt: skip
    assert kpi(REGENCY, Y, D) == figures


def test_umkm_crash_mid_file_then_rerun_gives_the_same_figures(edge, monkeypatch):
    from apps.imports.framework import importer_for

    main = edge.files_of("umkm")[0]
    cls = importer_for("umkm")
    monkeypatch.setattr(cls, "batch_size", 97)
    real = cls.write_batch
    calls = {"n": 0}

    def crashing(self, rows):
        calls["n"] += 1
        if calls["n"] == 4:
            raise RuntimeError("listrik padam")
        return real(self, rows)

    monkeypatch.setattr(cls, "write_batch", crashing)
    with pytest.raises(RuntimeError, match="listrik padam"):
        run_import(main)
    monkeypatch.setattr(cls, "write_batch", real)
    resumed = run_import(main)
    assert (resumed["rows"], resumed["rejected"]) == (main.rows, len(main.rejected))
    assert resumed["created"] + resumed["updated"] + resumed["unchanged"] == main.rows - len(main.rejected)
    assert_figures(edge, [main], UMKM_KEYS)


def test_umkm_regency_option_keeps_only_that_regency(edge):
    """`import_data umkm FILE --regency 33.03` (SPEC §8): Banyumas rows may be refused, never counted."""
    main = edge.files_of("umkm")[0]
    summary = run_import(main, "--regency", REGENCY)
    assert summary["rejected"] in (len(main.rejected), len(main.rejected) + edge.other_regency_umkm_rows)
    assert_figures_for = edge.figures_after([main], REGENCY, Y, D)
    got = kpi(REGENCY, Y, D)
    for key in UMKM_KEYS:
        want = assert_figures_for[key]
        if key == "naik_kelas":
            got[key] = {k: v for k, v in got[key].items() if v or k in want}
        assert got[key] == want, key
    assert kpi(OTHER, Y, D)["umkm_total"] in (0, edge.figures_after([main], OTHER, Y, D)["umkm_total"])
