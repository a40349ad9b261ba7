"""Kredit Mawar documents as PDF (reportlab): the recommendation letter to the bank, the borrower's
schedule, and the subsidy claim letter. NIKs appear masked only."""

import glob
import io
import os
from datetime import date
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from apps.core.formatting import BULAN, rupiah, tanggal
from apps.core.spreadsheets import xlsx_append
from apps.pinjaman.rules import transaction_sort_key
from apps.regions.models import Region


@lru_cache(maxsize=1)
def _fonts() -> tuple[str, str]:
    """DejaVu Sans when installed (Indonesian text and the dash render), else Helvetica."""

    found: dict[str, str] = {}
    for folder in (os.environ.get("REPORT_FONT_DIR", ""), "/usr/share/fonts", "/usr/local/share/fonts"):
        if not folder or not os.path.isdir(folder):
            continue
        for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
            hits = sorted(glob.glob(os.path.join(folder, "**", name), recursive=True))
            if hits and name not in found:
                found[name] = hits[0]
    if len(found) == 2:
        try:
            pdfmetrics.registerFont(TTFont("DejaVuSans", found["DejaVuSans.ttf"]))
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", found["DejaVuSans-Bold.ttf"]))
            return "DejaVuSans", "DejaVuSans-Bold"
        except Exception:  # a damaged font file must not stop the letter
            pass
    return "Helvetica", "Helvetica-Bold"


def _escape(text: Any) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _document(title: str, heading: list[str], body: list[Any]) -> bytes:

    regular, bold = _fonts()
    normal = ParagraphStyle("n", fontName=regular, fontSize=9.5, leading=13)
    strong = ParagraphStyle("b", fontName=bold, fontSize=12, leading=16)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm,
        title=title,
    )  # fmt: skip
    story: list[Any] = [Paragraph(_escape(heading[0]), strong)]
    story += [Paragraph(_escape(line), normal) for line in heading[1:]]
    story.append(Spacer(1, 6 * mm))
    for item in body:
        if isinstance(item, str):
            story.append(Paragraph(_escape(item), normal))
            story.append(Spacer(1, 2 * mm))
        elif isinstance(item, tuple) and item[0] == "table":
            _kind, header, rows, widths, right = item
            data = [[Paragraph(_escape(h), ParagraphStyle("h", parent=normal, fontName=bold)) for h in header]]
            data += [[Paragraph(_escape(c), normal) for c in row] for row in rows]
            table = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
            style = [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
            style += [("ALIGN", (c, 1), (c, -1), "RIGHT") for c in right]
            table.setStyle(TableStyle(style))
            story.append(table)
            story.append(Spacer(1, 4 * mm))
    doc.build(story)
    return buffer.getvalue()


def _regency_name(code: str) -> str:
    region = Region.objects.filter(code=code).first()
    return region.name.title() if region else code


def recommendation_letter_pdf(batch: Any) -> bytes:
    applications = list(batch.applications.select_related("owner", "business__district").order_by("number"))
    regency = _regency_name(batch.regency_id)
    rows = [
        [
            str(i),
            a.number,
            f"{a.owner.name} ({a.owner.nik_masked})",
            a.business.name,
            a.business.district.name.title() if a.business.district_id else "–",
            rupiah(a.amount_requested),
        ]
        for i, a in enumerate(applications, 1)
    ]
    total = sum(a.amount_requested for a in applications)
    body: list[Any] = [
        _("Kepada Yth. Pimpinan %(b)s") % {"b": batch.bank.name},
        _(
            "Dengan hormat, bersama ini Dinas Koperasi dan UKM merekomendasikan %(n)s pemohon Kredit Mawar berikut "
            "untuk diperiksa (termasuk SLIK) dan diputuskan oleh bank, dengan jumlah permohonan seluruhnya %(t)s."
        )
        % {"n": len(applications), "t": rupiah(total)},
        ("table", [_("No."), _("Permohonan"), _("Pemohon"), _("Usaha"), _("Kecamatan"), _("Jumlah")], rows,
         [9, 30, 45, 36, 26, 28], [5]),
        _("Hasil pemeriksaan otomatis tiap permohonan dapat dilihat bank di Tuka-Tuku."),
        _("Kepala Dinas Koperasi dan UKM %(r)s") % {"r": regency},
    ]  # fmt: skip
    return _document(
        batch.number,
        [
            _("Dinas Koperasi dan UKM %(r)s") % {"r": regency},
            _("Nomor: %(n)s") % {"n": batch.number},
            _("Tanggal: %(d)s") % {"d": tanggal(batch.letter_date)},
            _("Perihal: Rekomendasi calon debitur Kredit Mawar"),
        ],
        body,
    )


def schedule_pdf(loan: Any, rows: list[Any], on: date) -> bytes:
    table = [
        [
            str(r.number),
            tanggal(r.due_on),
            rupiah(r.principal),
            rupiah(r.paid),
            tanggal(r.paid_in_full_on) if r.paid_in_full_on else "–",
        ]
        for r in rows
    ]
    who = _("Rekening %(a)s · %(n)s (%(k)s)") % {"a": loan.account_number, "n": loan.debtor_name, "k": loan.nik_masked}
    terms = _("Skema %(s)s · plafon %(p)s · %(t)s bulan · dicairkan %(d)s") % {
        "s": loan.scheme.code,
        "p": rupiah(loan.plafon),
        "t": loan.tenor_months,
        "d": tanggal(loan.disbursed_on),
    }
    return _document(
        loan.account_number,
        [_("Jadwal angsuran Kredit Mawar"), who, terms, _("Tanpa bunga: bunga bank ditanggung pemerintah kabupaten.")],
        [
            ("table", [_("Ke"), _("Jatuh tempo"), _("Pokok"), _("Sudah dibayar"), _("Lunas pada")], table,
             [12, 40, 36, 36, 40], [2, 3]),
            _("Posisi pada %(d)s.") % {"d": tanggal(on)},
        ],
    )  # fmt: skip


def ordered_lines(claim: Any) -> list[Any]:
    """The month's lines first, then adjustments; accounts in natural order (B2 before B10)."""
    return sorted(
        claim.lines.select_related("loan"),
        key=lambda line: (line.kind != "bulan", transaction_sort_key(line.loan.account_number), line.period_year,
                          line.period_month),
    )  # fmt: skip


def claim_letter_pdf(claim: Any) -> bytes:
    lines = ordered_lines(claim)
    regency = _regency_name(claim.regency_id)
    period = f"{BULAN[claim.month - 1]} {claim.year}"
    rows = [
        [
            str(i),
            line.loan.account_number,
            line.loan.debtor_name,
            f"{BULAN[line.period_month - 1][:3]} {line.period_year}",
            str(line.get_kind_display()),
            rupiah(line.amount),
        ]
        for i, line in enumerate(lines, 1)
    ]
    adjustments = sum(line.amount for line in lines if line.kind == "penyesuaian")
    body: list[Any] = [
        _("Kepada Yth. Kepala Dinas Koperasi dan UKM %(r)s") % {"r": regency},
        _(
            "Tagihan subsidi bunga Kredit Mawar %(b)s untuk %(p)s: %(n)s baris, jumlah %(t)s "
            "(termasuk penyesuaian bulan sebelumnya %(a)s). Subsidi dihitung harian: suku bunga bank × baki debet "
            "akhir hari ÷ 360, dijumlah per pinjaman per bulan dan dibulatkan sekali."
        )
        % {"b": claim.bank.name, "p": period, "n": len(lines), "t": rupiah(claim.total), "a": rupiah(adjustments)},
        ("table", [_("No."), _("Rekening"), _("Debitur"), _("Periode"), _("Jenis"), _("Subsidi")], rows,
         [10, 30, 48, 22, 36, 28], [5]),
    ]  # fmt: skip
    if claim.approved_at:
        body.append(_("Disetujui %(d)s.") % {"d": tanggal(claim.approved_at.date())})
    if claim.paid_on:
        body.append(_("Dibayar %(d)s, referensi %(r)s.") % {"d": tanggal(claim.paid_on), "r": claim.payment_reference})
    return _document(
        f"tagihan-{claim.pk}",
        [
            _("Tagihan subsidi bunga Kredit Mawar"),
            _("%(b)s · %(p)s") % {"b": claim.bank.name, "p": period},
            _("Status: %(s)s") % {"s": claim.get_status_display()},
        ],
        body,
    )


def claim_lines_xlsx(claim: Any) -> bytes:

    book = Workbook()
    sheet = book.active
    sheet.title = _("Baris tagihan")[:31]
    rows: list[list[Any]] = [
        [_("Bank"), claim.bank.name, _("Bulan"), f"{BULAN[claim.month - 1]} {claim.year}"],
        [],
        [_("Rekening"), _("Debitur"), _("Jenis"), _("Tahun"), _("Bulan"), _("Subsidi (Rp)"), _("Menurut bank (Rp)"),
         _("Selisih (Rp)")],
    ]  # fmt: skip
    for line in ordered_lines(claim):
        rows.append(
            [line.loan.account_number, line.loan.debtor_name, str(line.get_kind_display()),
             line.period_year, line.period_month, line.amount, line.bank_amount, line.difference]
        )  # fmt: skip
    rows += [[], [_("Jumlah"), "", "", "", "", claim.total, claim.bank_total, None]]
    for row in rows:  # through the shared writer: a debtor's name may start a formula
        xlsx_append(sheet, row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
