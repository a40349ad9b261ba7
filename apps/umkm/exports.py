"""CSV/XLSX exports of the registry list, safe against spreadsheet formula injection (CWE-1236)."""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading quote; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def export_header() -> list[str]:
    return [
        _("NIB"),
        _("Nama usaha"),
        _("Pemilik"),
        _("NIK (tersamar)"),
        _("Jenis kelamin"),
        _("Sektor"),
        _("KBLI"),
        _("Kecamatan"),
        _("Desa/kelurahan"),
        _("Kode wilayah"),
        _("Alamat"),
        _("Tahun data"),
        _("Kelas"),
        _("Modal usaha (Rp)"),
        _("Omzet tahunan (Rp)"),
        _("Status"),
    ]


def export_rows(businesses: Iterable[Any]) -> Iterator[list[Any]]:
    for b in businesses:
        yield [
            safe_cell(v)
            for v in (
                b.nib,
                b.name,
                b.owner.name,
                b.owner.nik_masked,
                b.owner.gender,
                b.sector,
                b.kbli,
                b.district.name,
                b.village.name,
                b.village_id,
                b.address,
                b.data_year,
                b.kelas or "",
                b.modal,
                b.omzet,
                b.status,
            )
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(businesses: Iterable[Any]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow(export_header())
    for row in export_rows(businesses):
        yield writer.writerow(row)


def xlsx_bytes(businesses: Iterable[Any]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Registri UMKM"))
    ws.append(export_header())
    for row in export_rows(businesses):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
