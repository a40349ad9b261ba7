"""The files a person downloads around an import: the template of an importer and the rejected rows.

The template is built from the importer's own definitions (its `columns`, which are required, and its
`column_docs`), never from a hand-kept copy, so a column added to an importer is in its template at once:
a sheet with the headers and one example row, and a sheet of notes (what each column means, whether it
is required, which formats are accepted). Column names that many importers share are described once in
`COMMON_DOCS`; a column described nowhere gets a note from its name (a date, a rupiah amount, a year),
which `tests` hold to being non-empty for every column of every importer.

The rejected rows are written by the runner as a CSV beside the input (SPEC §8: the command line's file,
comma-separated); the web offers them as XLSX (row, column, reason, then the row as it was) and as a CSV
separated by `;`, which Excel with Indonesian regional settings opens in columns.
"""

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from apps.core.spreadsheets import csv_writer, xlsx_append

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ColumnDoc:
    """What a column means, which values it accepts, and a value for the template's example row."""

    meaning: str | Promise
    example: str
    formats: str | Promise = ""


RUPIAH = gettext_lazy("rupiah bulat tanpa sen: 90.000, 90000 atau Rp90.000")
DATE = gettext_lazy("tanggal: 2020-03-09, 09-03-2020, 09/03/2020 atau 09.03.2020")
DATETIME = gettext_lazy("tanggal dan jam WIB: 2020-03-09 14:30 atau 09/03/2020 14:30")
YEAR = gettext_lazy("tahun empat angka, mis. 2020")
WHOLE = gettext_lazy("bilangan bulat, mis. 12")
TEXT = gettext_lazy("teks bebas")
VILLAGE = gettext_lazy(
    "kode Kemendagri desa/kelurahan 10 angka, dengan atau tanpa titik: 33.03.01.2001 atau 3303012001"
)

COMMON_DOCS: dict[str, ColumnDoc] = {
    "nik": ColumnDoc(gettext_lazy("NIK pemilik sesuai KTP"), "3303015505800001", gettext_lazy("16 angka")),
    "nib": ColumnDoc(
        gettext_lazy("Nomor Induk Berusaha dari OSS; kosongkan bila belum ada"),
        "9120001234567",
        gettext_lazy("13 angka"),
    ),
    "nama_pemilik": ColumnDoc(gettext_lazy("nama pemilik usaha sesuai KTP"), "Sri Rahayu", TEXT),
    "nama_usaha": ColumnDoc(gettext_lazy("nama usaha"), "Rajut Bu Sri", TEXT),
    "jenis_kelamin": ColumnDoc(
        gettext_lazy("jenis kelamin pemilik"), "P", gettext_lazy("L (laki-laki) atau P (perempuan)")
    ),
    "kode_wilayah": ColumnDoc(gettext_lazy("desa/kelurahan tempat usaha"), "33.03.01.2001", VILLAGE),
    "alamat": ColumnDoc(gettext_lazy("alamat jalan, RT/RW"), "Jl. Raya Kemangkon No. 5 RT 02/RW 01", TEXT),
    "no_hp": ColumnDoc(gettext_lazy("nomor HP pemilik"), "081234567890", gettext_lazy("angka, boleh diawali +62")),
    "nomor_badan_hukum": ColumnDoc(
        gettext_lazy("nomor badan hukum koperasi (dari AHU)"), "AHU-0001234.AH.01.26.TAHUN 2019", TEXT
    ),
    "nomor_rekening": ColumnDoc(gettext_lazy("nomor rekening pinjaman di bank"), "0123456789", TEXT),
}


def _guess(name: str) -> ColumnDoc:
    """A note from the column's name, for columns no importer describes (a bank's or marketplace's header)."""
    key = name.casefold()
    label = name.replace("_", " ").strip()
    label = label[:1].upper() + label[1:]
    if key.startswith("waktu"):
        return ColumnDoc(label, "2020-03-09 14:30", DATETIME)
    if key.startswith("tanggal"):
        return ColumnDoc(label, "2020-03-09", DATE)
    if key.startswith("tahun"):
        return ColumnDoc(label, "2020", YEAR)
    if re.search(r"jumlah_anggota|jumlah barang|stok|tenaga_kerja|jangka_waktu|quantity|^jumlah$", key):
        return ColumnDoc(label, "12", WHOLE)
    if re.search(
        r"harga|total|jumlah|plafon|aset|aktiva|modal|kas|omzet|ongkos|pinjaman|beban|biaya|shu|pendapatan|dana"
        r"|simpanan|kewajiban|cadangan|atmr|partisipasi|promosi|volume|nilai",
        key,
    ):
        return ColumnDoc(label, "1.500.000", RUPIAH)
    if key.startswith("kode") or key.startswith("nomor") or key.startswith("no.") or "sku" in key or "id " in key:
        return ColumnDoc(label, "A-001", gettext_lazy("kode seperti tercatat di sumbernya"))
    return ColumnDoc(label, label, TEXT)


def column_doc(importer: Any, name: str) -> ColumnDoc:
    docs: dict[str, ColumnDoc] = getattr(importer, "column_docs", {}) or {}
    return docs.get(name) or COMMON_DOCS.get(name) or _guess(name)


def template_layouts(importer: Any) -> list[tuple[str, dict[str, bool]]]:
    """(sheet title, columns) per layout the importer reads: one for most, one per marketplace for sales."""
    layouts = getattr(importer, "template_layouts", None)
    if callable(layouts):
        return list(layouts())
    return [(str(_("Data")), dict(importer.columns))]


def template_xlsx(importer: Any) -> bytes:
    """The importer's template: per layout a sheet of headers and one example row, then the notes sheet."""
    wb = Workbook()
    wb.remove(wb.active)
    notes = []
    for title, columns in template_layouts(importer):
        ws = wb.create_sheet(title[:31])
        xlsx_append(ws, list(columns))
        xlsx_append(ws, [column_doc(importer, name).example for name in columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for index, name in enumerate(columns, start=1):
            ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = max(14, len(name) + 4)
        ws.freeze_panes = "A2"
        for name, required in columns.items():
            notes.append((title, name, required))
    ws = wb.create_sheet(str(_("Keterangan")))
    several = len(template_layouts(importer)) > 1
    header = [str(_("Lembar"))] if several else []
    xlsx_append(ws, [*header, str(_("Kolom")), str(_("Wajib")), str(_("Arti")), str(_("Format yang diterima"))])
    for title, name, required in notes:
        doc = column_doc(importer, name)
        xlsx_append(
            ws,
            [
                *([title] if several else []),
                name,
                str(_("wajib")) if required else str(_("boleh kosong")),
                str(doc.meaning),
                str(doc.formats or TEXT),
            ],
        )
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", [24, 12, 48, 60, 60] if not several else [16, 24, 12, 48, 60], strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    xlsx_append(ws, [])
    xlsx_append(
        ws,
        [
            str(
                _(
                    "Judul kolom tidak peka huruf besar/kecil; urutan kolom bebas; kolom lain diabaikan. "
                    "Hapus baris contoh sebelum mengunggah."
                )
            )
        ],
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rejected_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def rejected_rows_xlsx(path: Path) -> bytes:
    """The runner's rejected-rows CSV as a workbook: "Baris", "Kolom", "Alasan", then the row's cells."""
    rows = _rejected_rows(path)
    wb = Workbook()
    ws = wb.active
    ws.title = str(_("Baris ditolak"))
    if rows:
        header = [str(_("Baris")), str(_("Kolom")), str(_("Alasan")), *rows[0][3:]]
        xlsx_append(ws, header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows[1:]:
            number = int(row[0]) if row and row[0].isdigit() else (row[0] if row else "")
            xlsx_append(ws, [number, *row[1:]])
        ws.column_dimensions["C"].width = 60
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rejected_rows_csv(path: Path) -> bytes:
    """The same rows separated by `;` (UTF-8 with a BOM), as Excel with Indonesian settings expects."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv_writer(out, delimiter=";")
    rows = _rejected_rows(path)
    if rows:
        writer.writerow([str(_("baris")), str(_("kolom")), str(_("alasan")), *rows[0][3:]])
        writer.writerows(rows[1:])
    return out.getvalue().encode("utf-8")
