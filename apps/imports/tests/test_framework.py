"""The import framework, exercised with a small importer that writes HeaderAlias rows."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from apps.imports.framework import Counts, Importer, RowError, register_importer, run_import
from apps.imports.models import HeaderAlias, ImportRun
from apps.imports.readers import FileUnreadable

pytestmark = pytest.mark.django_db


@register_importer
class AliasImporter(Importer):
    kind = "uji_alias"
    label = "Uji"
    columns = {"alias": True, "kolom": True, "catatan": False}
    aliases = {"nama alias": "alias"}
    batch_size = 2
    crash_on_row: int | None = None

    def validate(self, row):
        errors = []
        if not row["alias"]:
            errors.append(RowError("alias", "wajib diisi"))
        if not row["kolom"].isidentifier():
            errors.append(RowError("kolom", f"bukan nama kolom: {row['kolom']}"))
        return ({"alias": row["alias"], "column": row["kolom"]}, errors)

    def write_batch(self, rows):
        counts = Counts()
        for row_number, clean in rows:
            if AliasImporter.crash_on_row == row_number:
                raise KeyboardInterrupt("listrik padam")
            existing = HeaderAlias.objects.filter(kind="t", alias=clean["alias"]).first()
            if existing is None:
                HeaderAlias.objects.create(kind="t", **clean)
                counts.created += 1
            elif existing.column != clean["column"]:
                existing.column = clean["column"]
                existing.save()
                counts.updated += 1
            else:
                counts.unchanged += 1
        return counts


def write_csv(path, rows, delimiter=","):
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


ROWS = [["ALIAS", "Kolom", "Lain"], ["a", "x"], ["b", "y"], ["", "z"], ["c", "1bad"], [], ["d", "w"]]


def test_summary_errors_and_idempotence(tmp_path):
    path = write_csv(tmp_path / "data.csv", ROWS)
    result = run_import(kind="uji_alias", path=path)
    assert result.summary == "rows: 5, created: 3, updated: 0, unchanged: 0, rejected: 2"
    assert result.warnings == ["Kolom tambahan diabaikan: Lain"]
    with result.errors_path.open(encoding="utf-8-sig") as fh:
        assert list(csv.reader(fh)) == [
            ["baris", "kolom", "alasan", "ALIAS", "Kolom", "Lain"],
            ["4", "alias", "wajib diisi", "", "z"],
            ["5", "kolom", "bukan nama kolom: 1bad", "c", "1bad"],
        ]
    again = run_import(kind="uji_alias", path=path)
    assert again.summary == "rows: 5, created: 0, updated: 0, unchanged: 3, rejected: 2"
    assert HeaderAlias.objects.filter(kind="t").count() == 3


def test_update_counts(tmp_path):
    run_import(kind="uji_alias", path=write_csv(tmp_path / "1.csv", [["alias", "kolom"], ["a", "x"]]))
    result = run_import(kind="uji_alias", path=write_csv(tmp_path / "2.csv", [["alias", "kolom"], ["a", "y"]]))
    assert result.summary == "rows: 1, created: 0, updated: 1, unchanged: 0, rejected: 0"
    assert result.errors_path is None


def test_semicolon_csv_cp1252_and_alias_header(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("Nama Alias;kolom\ncaf\xe9;x\n".encode("cp1252"))
    result = run_import(kind="uji_alias", path=path)
    assert result.summary == "rows: 1, created: 1, updated: 0, unchanged: 0, rejected: 0"
    assert HeaderAlias.objects.get(kind="t").alias == "café"


def test_operator_alias_from_database(tmp_path):
    HeaderAlias.objects.create(kind="uji_alias", alias="Sebutan", column="alias")
    path = write_csv(tmp_path / "d.csv", [["sebutan", "kolom"], ["a", "x"]])
    assert run_import(kind="uji_alias", path=path).run.created == 1


def test_xlsx_is_read_like_csv(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append([None])
    ws.append(["alias", "kolom"])
    ws.append(["a", "x"])
    ws.append([12500.0, "y"])
    path = tmp_path / "d.xlsx"
    wb.save(path)
    result = run_import(kind="uji_alias", path=path)
    assert result.summary == "rows: 2, created: 2, updated: 0, unchanged: 0, rejected: 0"
    assert set(HeaderAlias.objects.filter(kind="t").values_list("alias", flat=True)) == {"a", "12500"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Berkas kosong: tidak ada baris judul kolom."),
        (b"nama,kota\nx,y\n", "Kolom wajib tidak ditemukan: alias, kolom. Judul kolom di berkas: nama, kota"),
        (b"PK\x03\x04garbage", "Berkas XLSX rusak atau bukan XLSX"),
    ],
)
def test_unreadable_files(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(FileUnreadable, match=message):
        run_import(kind="uji_alias", path=path)
    assert not HeaderAlias.objects.exists()


def test_interrupted_import_keeps_whole_batches_and_resumes(tmp_path):
    rows = [["alias", "kolom"]] + [[f"a{i}", "x"] for i in range(7)]
    path = write_csv(tmp_path / "big.csv", rows)
    AliasImporter.crash_on_row = 6  # rows 2-3 and 4-5 are whole batches; the batch of rows 6-7 dies
    try:
        with pytest.raises(KeyboardInterrupt):
            run_import(kind="uji_alias", path=path)
    finally:
        AliasImporter.crash_on_row = None
    assert sorted(HeaderAlias.objects.values_list("alias", flat=True)) == ["a0", "a1", "a2", "a3"]
    run = ImportRun.objects.get()
    assert (run.status, run.checkpoint_row, run.created) == ("running", 5, 4)
    result = run_import(kind="uji_alias", path=path)
    assert result.resumed_from == 5
    assert result.summary == "rows: 7, created: 7, updated: 0, unchanged: 0, rejected: 0"
    assert HeaderAlias.objects.count() == 7
    assert ImportRun.objects.get().status == "done"


def test_command_contract(tmp_path):
    path = write_csv(tmp_path / "data.csv", ROWS)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_data", "uji_alias", str(path), "--errors", str(tmp_path / "galat.csv"), stdout=out, stderr=err)
    assert out.getvalue() == "rows: 5, created: 3, updated: 0, unchanged: 0, rejected: 2\n"
    assert (tmp_path / "galat.csv").exists()
    assert "baris ditolak ditulis ke" in err.getvalue()


def test_command_fails_only_for_unreadable_file(tmp_path):
    with pytest.raises(CommandError, match="Berkas tidak ditemukan"):
        call_command("import_data", "uji_alias", str(tmp_path / "tidak-ada.csv"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="Jenis impor tidak dikenal: tidak_ada"):
        call_command("import_data", "tidak_ada", str(tmp_path / "x.csv"), stdout=io.StringIO())
