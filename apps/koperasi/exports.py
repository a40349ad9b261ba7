"""CSV and XLSX exports of the registry, through the shared formula-safe writer (apps.core.spreadsheets)."""

import io
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from apps.core.spreadsheets import csv_writer, xlsx_append
from apps.koperasi.selectors import Status, status_label


def _cell(value: Any) -> Any:
    """Numbers and dates stay as they are; yes/no in words; anything else as text (made safe by the writer)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, int | float | Decimal | date):
        return value
    return str(value)


def registry_rows(qs: Any, *, as_of: date, year: int) -> tuple[list[str], list[list[Any]]]:
    header = [
        "nomor_badan_hukum",
        "nama",
        "jenis",
        "tanggal_badan_hukum",
        "kode_wilayah",
        "kecamatan",
        "alamat",
        "tanggal_pembubaran",
        f"status_{as_of.isoformat()}",
        "rat_terakhir",
        f"skor_{year}",
        f"predikat_{year}",
    ]
    rows = []
    for k in qs:
        rows.append(
            [
                k.nomor_badan_hukum,
                k.nama,
                k.jenis,
                k.tanggal_badan_hukum,
                k.village_id or k.district_id or k.regency_id,
                k.district.name if k.district_id else "",
                k.alamat,
                k.tanggal_pembubaran,
                str(Status.LABELS[status_label(k, as_of)]),
                k.rat_terakhir,
                Decimal(k.total_tampil_tahun) if k.total_tampil_tahun else None,  # as the page shows it
                k.predikat_label_tahun or "",
            ]
        )
    return header, rows


def registry_response(qs: Any, *, as_of: date, year: int, fmt: str) -> HttpResponse:
    header, rows = registry_rows(qs, as_of=as_of, year=year)
    name = f"koperasi-{as_of.isoformat()}"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv_writer(out)
        writer.writerow(header)
        for row in rows:
            writer.writerow([c.isoformat() if isinstance(c, date) else _cell(c) for c in row])
        response = HttpResponse(("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("koperasi")
    xlsx_append(ws, header)
    for row in rows:
        xlsx_append(ws, [_cell(c) for c in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
