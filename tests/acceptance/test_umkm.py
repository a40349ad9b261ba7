"""Issue #3's check, as an outside tester runs it: the independent `umkm` files imported with
`manage.py import_data umkm FILE` give exactly the reference umkm_total, umkm_per_kelas and naik_kelas."""

import dataclasses

import pytest

from . import reference as R
from .conftest import (
    UMKM_KEYS,
    assert_error_file,
    assert_figures,
    assert_summary,
    kpi,
    new_files,
    require,
    run_import,
)
from .generate import OTHER, REGENCY, D, Y

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _umkm_landed():
    require("umkm")


def test_umkm_files_give_the_reference_figures(edge):
    main, xlsx, revisi = edge.files_of("umkm")
    assert_summary(run_import(main), main)
    assert_summary(run_import(xlsx), xlsx)
    assert_summary(run_import(revisi), revisi)
    assert_figures(edge, [main, xlsx, revisi], UMKM_KEYS)


def test_umkm_rejected_rows_go_to_an_error_csv_beside_the_input(edge):
    main = edge.files_of("umkm")[0]
    before = {p.name for p in edge.folder.iterdir()}
    run_import(main)
    written = new_files(edge.folder, before)
    assert len(written) == 1 and written[0].suffix == ".csv", written
    assert_error_file(main, written[0])


def test_umkm_errors_option_names_the_error_file(edge, tmp_path):
    main = edge.files_of("umkm")[0]
    target = tmp_path / "ditolak" / "galat.csv"
    target.parent.mkdir()
    before = {p.name for p in edge.folder.iterdir()}
    run_import(main, "--errors", str(target))
    assert_error_file(main, target)
    assert new_files(edge.folder, before) == []


def test_umkm_reimport_changes_nothing(edge):
    main = edge.files_of("umkm")[0]
    first = run_import(main)
    figures = kpi(REGENCY, Y, D)
    again = run_import(main)
    assert_summary(again, main, reimport=True)
    assert again["rejected"] == first["rejected"]
    assert kpi(REGENCY, Y, D) == figures


def not_superseded(records):
    """Per record: False when a later record is the same business and year (same NIB, or same NIK and
    normalised name where one of the two has no NIB)."""
    later_ids, later_plain, later_links = set(), set(), set()
    keep = []
    for r in reversed(records):
        link = (r["nik"], R.norm_name(r["nama_usaha"]), r["tahun_data"])
        ident = ("nib", r["nib"], r["tahun_data"]) if r["nib"] else ("nn", *link)
        if r["nib"]:
            keep.append(ident not in later_ids and link not in later_plain)
            later_links.add(link)
        else:
            keep.append(ident not in later_ids and link not in later_links)
            later_plain.add(link)
        later_ids.add(ident)
    return keep[::-1]


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
    # whole batches only: the figures are those of the first three batches of rows written (a row that a
    # later row of the file stands for is never written, SPEC §4: the last row wins over the whole file)
    kept = not_superseded(main.records)
    written = [r for r, keep in zip(main.records, kept, strict=True) if keep][: 3 * 97]
    partial = dataclasses.replace(main, records=written)
    for region in (REGENCY, OTHER):
        got, want = kpi(region, Y, D), edge.figures_after([partial], region, Y, D)
        assert {k: got[k] for k in ("umkm_total", "umkm_per_kelas")} == {
            k: want[k] for k in ("umkm_total", "umkm_per_kelas")
        }
    monkeypatch.setattr(cls, "write_batch", real)
    assert calls["n"] == 4, "the import never reached its fourth batch"
    assert_summary(run_import(main), main)
    assert_figures(edge, [main], UMKM_KEYS)


def test_umkm_regency_option_keeps_only_that_regency(edge):
    """`import_data umkm FILE --regency 33.03` (SPEC §8): Banyumas rows may be refused, never counted."""
    main = edge.files_of("umkm")[0]
    summary = run_import(main, "--regency", REGENCY)
    allowed = {len(main.rejected) + d + o for d in (0, len(main.duplicates)) for o in (0, edge.other_regency_umkm_rows)}
    assert summary["rejected"] in allowed
    assert_figures_for = edge.figures_after([main], REGENCY, Y, D)
    got = kpi(REGENCY, Y, D)
    for key in UMKM_KEYS:
        want = assert_figures_for[key]
        if key == "naik_kelas":
            got[key] = {k: v for k, v in got[key].items() if v or k in want}
        assert got[key] == want, key
    assert kpi(OTHER, Y, D)["umkm_total"] in (0, edge.figures_after([main], OTHER, Y, D)["umkm_total"])
