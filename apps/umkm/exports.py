"""CSV/XLSX exports of the registry list, safe against spreadsheet formula injection (CWE-1236)."""

import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from apps.core.spreadsheets import csv_lines, xlsx_append


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
        ]


def csv_stream(businesses: Iterable[Any]) -> Iterator[str]:
    yield from csv_lines(_with_header(businesses))


def _with_header(businesses: Iterable[Any]) -> Iterator[list[Any]]:
    yield export_header()
    yield from export_rows(businesses)


def xlsx_bytes(businesses: Iterable[Any]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Registri UMKM"))
    for row in _with_header(businesses):
        xlsx_append(ws, row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
