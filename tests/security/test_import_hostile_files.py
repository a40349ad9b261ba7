"""Hostile and broken import files (issue #15, M2, M8, L7 and the encoding finding): each ends with one
Indonesian reason (never a traceback, never a run left "running"), valid rows are kept where the file is
readable, and nothing inflates in memory before it is checked."""

import io
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from apps.core.actors import COMMAND_LINE
from apps.imports.framework import run_import
from apps.imports.models import ImportRun, ImportStatus
from apps.imports.readers import FileUnreadable
from apps.koperasi.models import Koperasi

pytestmark = pytest.mark.django_db

HEADER = "nomor_badan_hukum,nama,jenis,tanggal_badan_hukum,kode_wilayah,alamat\n"
GOOD = "SEC/OK/001,KSP Baik,KSP,2010-01-05,33.03.01.2001,x\n"
XML_REFUSED = (
    "Berkas XLSX ditolak: isinya bukan lembar kerja yang sah (XML rusak atau memuat definisi entitas/DTD, "
    "yang tidak diizinkan). Buka di aplikasi lembar kerja lalu simpan ulang sebagai .xlsx."
)


def workbook_bytes(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def with_member(xlsx: bytes, name: str, content: bytes) -> bytes:
    """The workbook with one zip member replaced (or added; a shared-strings part is also declared, so
    openpyxl reads it as Excel's own files have it)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml" and name == "xl/sharedStrings.xml":
                data = data.replace(b"</Types>", SST_TYPE + b"</Types>")
            if item.filename != name:
                target.writestr(item, data)
        target.writestr(name, content)
    return out.getvalue()


SST_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


KOPERASI_ROWS = [
    ["nomor_badan_hukum", "nama", "jenis", "tanggal_badan_hukum", "kode_wilayah", "alamat"],
    ["SEC/X/001", "KSP X", "KSP", "2010-01-05", "33.03.01.2001", "x"],
]


def import_file(path):
    return run_import(kind="koperasi", path=path, actor=COMMAND_LINE)


# --- M2: decompression bomb ------------------------------------------------------------------------------


def test_xlsx_bomb_is_refused_before_parsing(tmp_path):
    """20 MB of shared strings in a ~20 KB part (the probe's file: 406 MB in 854 KB, 530 MB of worker RSS)."""
    bomb = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
    bomb += b"<si><t>" + b"A" * (20 << 20) + b"</t></si></sst>"
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(with_member(workbook_bytes(KOPERASI_ROWS), "xl/sharedStrings.xml", bomb))
    assert path.stat().st_size < 100_000
    with pytest.raises(FileUnreadable) as refused:
        import_file(path)
    assert str(refused.value).startswith("Berkas XLSX ditolak: isinya saat dibuka terlalu besar (rasio pemadatan ")
    assert not ImportRun.objects.exists()


def test_xlsx_shared_strings_over_the_bound_are_refused(tmp_path, settings):
    settings.IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES = 1000
    strings = b"".join(b"<si><t>Koperasi %d</t></si>" % i for i in range(100))
    sst = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + strings + b"</sst>"
    path = tmp_path / "besar.xlsx"
    path.write_bytes(with_member(workbook_bytes(KOPERASI_ROWS), "xl/sharedStrings.xml", sst))
    with pytest.raises(FileUnreadable, match=r"^Berkas XLSX ditolak: isinya saat dibuka terlalu besar \(teks bersama"):
        import_file(path)


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_more_rows_than_the_bound_are_refused(tmp_path, settings, suffix):
    settings.IMPORT_MAX_ROWS = 3
    rows = [KOPERASI_ROWS[0]]
    rows += [[f"SEC/R/{i}", f"KSP {i}", "KSP", "2010-01-05", "33.03.01.2001", "x"] for i in range(5)]
    path = tmp_path / f"baris.{suffix}"
    if suffix == "csv":
        path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    else:
        path.write_bytes(workbook_bytes(rows))
    with pytest.raises(FileUnreadable) as refused:
        import_file(path)
    assert str(refused.value) == "Berkas terlalu besar: lebih dari 3 baris. Bagi menjadi beberapa berkas."
    assert not ImportRun.objects.filter(status=ImportStatus.RUNNING).exists()


def test_xlsx_is_read_in_read_only_mode_with_defusedxml():
    import openpyxl

    assert openpyxl.DEFUSEDXML is True  # openpyxl parses every part through defusedxml


# --- L7: XXE and billion laughs: one reason, no traceback ---------------------------------------------------

SHEET_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
XXE_SHEET = (
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    f'<worksheet {SHEET_NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
    "</sheetData></worksheet>"
).encode()
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + f']><worksheet {SHEET_NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    "</sheetData></worksheet>"
).encode()


@pytest.mark.parametrize(
    "member, content",
    [("xl/worksheets/sheet1.xml", XXE_SHEET), ("xl/worksheets/sheet1.xml", LAUGHS)],
    ids=["xxe", "billion-laughs"],
)
def test_xml_entities_end_with_one_reason(tmp_path, member, content):
    path = tmp_path / "jahat.xlsx"
    path.write_bytes(with_member(workbook_bytes(KOPERASI_ROWS), member, content))
    with pytest.raises(FileUnreadable) as refused:
        import_file(path)
    assert str(refused.value) == XML_REFUSED
    with pytest.raises(CommandError) as cli:
        call_command("import_data", "koperasi", str(path), "--quiet-progress")
    assert str(cli.value) == XML_REFUSED


def test_xml_entities_end_the_web_job_with_the_reason(tmp_path):
    from apps.imports.jobs import import_job
    from apps.imports.services import imports_root
    from apps.jobs.progress import Progress

    folder = imports_root() / "uji"
    folder.mkdir(parents=True)
    path = folder / "berkas.xlsx"
    path.write_bytes(with_member(workbook_bytes(KOPERASI_ROWS), "xl/worksheets/sheet1.xml", XXE_SHEET))
    result = import_job({"kind": "koperasi", "path": str(path), "options": {}}, Progress())
    assert result == {"summary": XML_REFUSED, "failed": True, "links": []}


# --- M8: NUL bytes, broken rows, encodings -----------------------------------------------------------------


def test_nul_in_a_cell_rejects_that_row_only(tmp_path):
    """On PostgreSQL the probe's file aborted the whole import (DataError) and left the run 'running'."""
    path = tmp_path / "nul.csv"
    path.write_bytes((HEADER + GOOD + "SEC/NUL/001,KSP Nul\x00Byte,KSP,2010-01-05,33.03.01.2001,x\n").encode())
    result = import_file(path)
    assert result.summary == "rows: 2, created: 1, updated: 0, unchanged: 0, rejected: 1"
    assert list(Koperasi.objects.values_list("nomor_badan_hukum", "nama")) == [("SEC/OK/001", "KSP Baik")]
    assert result.run.status == ImportStatus.DONE
    errors = result.errors_path.read_text(encoding="utf-8-sig").splitlines()
    assert errors[1] == "3,nama,karakter tidak sah (NUL),SEC/NUL/001,KSP NulByte,KSP,2010-01-05,33.03.01.2001,x"


def test_a_row_unreadable_part_way_fails_the_run_with_the_reason(tmp_path):
    """A 200 KB field in a data row (over the csv module's field limit): the run ends 'gagal', not 'running'."""
    path = tmp_path / "panjang.csv"
    path.write_text(HEADER + GOOD + "SEC/L/001," + "A" * 200_000 + ",KSP,2010-01-05,33.03.01.2001,x\n")
    with pytest.raises(FileUnreadable, match=r"^Berkas CSV rusak di baris 3: field larger than field limit"):
        import_file(path)
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED and run.finished_at is not None
    assert run.warnings[-1].startswith("Berkas CSV rusak di baris 3")


def test_windows_1252_file_is_read_with_a_visible_warning(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes((HEADER + "SEC/W/001,Koperasi Café,KSP,2010-01-05,33.03.01.2001,x\n").encode("cp1252"))
    result = import_file(path)
    assert Koperasi.objects.get().nama == "Koperasi Café"
    assert result.run.warnings == [
        "Berkas bukan UTF-8 (mulai baris 2); dibaca sebagai Windows-1252. Periksa huruf beraksen dan tanda khusus "
        'pada data yang tersimpan, atau simpan ulang sebagai "CSV UTF-8" lalu impor lagi.'
    ]


def test_utf8_with_broken_bytes_is_refused_not_misread(tmp_path):
    """The probe's file: valid UTF-8 letters, then bytes that are not UTF-8 (stored as 'KSP ÿþÃ( Enc')."""
    path = tmp_path / "rusak.csv"
    path.write_bytes(
        (HEADER + "SEC/U/001,Koperasi Sejahtera Ñusantara,KSP,2010-01-05,33.03.01.2001,x\n").encode()
        + b"SEC/U/002,KSP \xff\xfe\xc3\x28 Enc,KSP,2010-01-05,33.03.01.2001,x\n"
    )
    with pytest.raises(FileUnreadable) as refused:
        import_file(path)
    assert str(refused.value) == (
        "Berkas CSV tidak dapat dibaca: baris 3 bukan teks UTF-8 yang sah (berkas rusak atau pengodean campuran). "
        'Simpan ulang sebagai "CSV UTF-8" lalu impor lagi.'
    )
    assert not Koperasi.objects.exists()


def test_utf8_with_bom_is_read_as_utf8(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(("\ufeff" + HEADER + "SEC/B/001,Koperasi Ñusantara,KSP,2010-01-05,33.03.01.2001,x\n").encode())
    result = import_file(path)
    assert (Koperasi.objects.get().nama, result.run.warnings) == ("Koperasi Ñusantara", [])
