"""The statement as PDF (reportlab, the agency's letterhead from settings.REPORT_*) and XLSX (the
formula-safe writer): the same lines and totals the page shows, so the seller can reconcile to the rupiah."""

import io
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from apps.core.formatting import month_name, rupiah, tanggal, wib
from apps.core.pdf import pdf_fonts
from apps.core.spreadsheets import xlsx_append
from apps.settlement.models import Statement
from apps.settlement.selectors import Summary


def period_label(statement: Statement) -> str:
    return f"{month_name(statement.period.month)} {statement.period.year}"


def file_name(statement: Statement, ext: str) -> str:
    return f"penyelesaian-{statement.seller.slug}-{statement.period:%Y-%m}.{ext}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _status(statement: Statement) -> str:
    if statement.is_closed:
        return _("Ditutup %(d)s") % {"d": wib(statement.closed_at)}
    return _("Sementara (periode belum ditutup; angka dapat berubah)")


def _letterhead(statement: Statement, font: str, bold: str, width: float) -> Any:
    size = 20 * mm
    if settings.REPORT_LOGO:
        logo: Any = Image(settings.REPORT_LOGO, width=size, height=size, kind="proportional")
    else:
        logo = Drawing(size, size)
        logo.add(Rect(1, 1, size - 2, size - 2, strokeColor=colors.HexColor("#9aa5b1"), fillColor=None))
        logo.add(String(size / 2, size / 2 - 3, "LOGO", fontName=font, fontSize=8, textAnchor="middle"))
    centre = ParagraphStyle("lh", fontName=bold, fontSize=12, leading=15, alignment=1)
    lines = [
        Paragraph(_escape(_("DINAS KOPERASI DAN USAHA KECIL MENENGAH")), centre),
        Paragraph(_escape(statement.regency.name.upper()), ParagraphStyle("lh2", parent=centre, fontName=font)),
    ]
    if settings.REPORT_ADDRESS:
        lines.append(
            Paragraph(_escape(settings.REPORT_ADDRESS), ParagraphStyle("lh3", fontName=font, fontSize=9, alignment=1))
        )
    head = Table([[logo, lines, ""]], colWidths=[size + 4 * mm, width - 2 * (size + 4 * mm), size + 4 * mm])
    head.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, 0), 2, colors.black),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 6),
            ]
        )
    )
    return head


def statement_pdf(statement: Statement, summary: Summary) -> bytes:
    font, bold = pdf_fonts()
    buffer = io.BytesIO()
    page = landscape(A4)
    doc = SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=_("Laporan penyelesaian %(s)s %(p)s") % {"s": statement.seller.shop_name, "p": period_label(statement)},
    )
    width = page[0] - 28 * mm
    title = ParagraphStyle("t", fontName=bold, fontSize=14, leading=18, alignment=1, spaceBefore=6)
    body = ParagraphStyle("b", fontName=font, fontSize=9, leading=12)
    cell = ParagraphStyle("c", fontName=font, fontSize=8, leading=10)
    story: list[Any] = [
        _letterhead(statement, font, bold, width),
        Paragraph(_escape(_("LAPORAN PENYELESAIAN KE PENJUAL")), title),
        Spacer(1, 3 * mm),
        Paragraph(
            _escape(
                _("Penjual: %(s)s · Periode: %(p)s · Status: %(st)s")
                % {"s": statement.seller.shop_name, "p": period_label(statement), "st": _status(statement)}
            ),
            body,
        ),
        Spacer(1, 3 * mm),
    ]
    totals = [
        [_("Saldo awal"), rupiah(summary.opening)],
        [_("Penjualan bruto"), rupiah(summary.gross)],
        [_("Komisi dinas"), rupiah(-summary.commission)],
        [_("Penjualan bersih"), rupiah(summary.net)],
        [_("Biaya dan penyesuaian"), rupiah(summary.adjustments)],
        [_("Dibayarkan"), rupiah(-summary.payouts)],
        [_("Saldo akhir (terutang ke penjual)"), rupiah(summary.closing)],
    ]
    t = Table(totals, colWidths=[70 * mm, 40 * mm], hAlign="LEFT")
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 9),
                ("FONT", (0, -1), (-1, -1), bold, 9),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("LINEABOVE", (0, -1), (-1, -1), 1, colors.black),
            ]
        )
    )
    story += [t, Spacer(1, 4 * mm)]

    header = [
        _("Tanggal"),
        _("Jenis"),
        _("Kanal"),
        _("Sumber"),
        _("Produk"),
        _("Jml"),
        _("Bruto"),
        _("Komisi"),
        _("Bersih"),
    ]
    rows: list[list[Any]] = [header]
    for x in summary.items:
        rows.append(
            [
                Paragraph(_escape(tanggal(x.counted_at)), cell),
                Paragraph(_escape(x.kind_label), cell),
                Paragraph(_escape(x.channel_name), cell),
                Paragraph(_escape(x.source), cell),
                Paragraph(_escape(x.product_name), cell),
                str(x.quantity),
                rupiah(x.gross),
                rupiah(x.commission),
                rupiah(x.net),
            ]
        )
    rows.append(
        ["", "", "", _("Jumlah"), "", "", rupiah(summary.gross), rupiah(summary.commission), rupiah(summary.net)]
    )
    widths = [26, 24, 26, 52, 50, 10, 28, 24, 28]  # 268 mm: the landscape A4 page less its margins
    lines = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1)
    lines.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 8),
                ("FONT", (0, 0), (-1, 0), bold, 8),
                ("FONT", (0, -1), (-1, -1), bold, 8),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e5e9ee")),
                ("ALIGN", (5, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa5b1")),
            ]
        )
    )
    story.append(Paragraph(_escape(_("Rincian penjualan")), ParagraphStyle("h", parent=body, fontName=bold)))
    story += [Spacer(1, 2 * mm), lines, Spacer(1, 4 * mm)]
    for heading, entries in (
        (_("Biaya dan penyesuaian"), [(a.date, a.reason, a.amount) for a in statement.adjustment_rows.all()]),
        (_("Pembayaran ke penjual"), [(p.date, p.reference, p.amount) for p in statement.payout_rows.all()]),
    ):
        story.append(Paragraph(_escape(heading), ParagraphStyle("h", parent=body, fontName=bold)))
        if not entries:
            story.append(Paragraph(_escape(_("Tidak ada.")), body))
        else:
            table = Table(
                [[tanggal(d), Paragraph(_escape(text), cell), rupiah(amount)] for d, text, amount in entries],
                colWidths=[28 * mm, 120 * mm, 34 * mm],
                hAlign="LEFT",
            )
            table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 8), ("ALIGN", (2, 0), (2, -1), "RIGHT")]))
            story.append(table)
        story.append(Spacer(1, 3 * mm))
    doc.build(story)
    return buffer.getvalue()


def statement_xlsx(statement: Statement, summary: Summary) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Penyelesaian")
    xlsx_append(ws, [_("Laporan penyelesaian ke penjual")])
    ws["A1"].font = Font(bold=True, size=13)
    xlsx_append(ws, [_("Dinas"), statement.regency.name])
    xlsx_append(ws, [_("Penjual"), statement.seller.shop_name])
    xlsx_append(ws, [_("Periode"), period_label(statement)])
    xlsx_append(ws, [_("Status"), _status(statement)])
    xlsx_append(ws, [])
    for label, value in (
        (_("Saldo awal (Rp)"), summary.opening),
        (_("Penjualan bruto (Rp)"), summary.gross),
        (_("Komisi dinas (Rp)"), summary.commission),
        (_("Penjualan bersih (Rp)"), summary.net),
        (_("Biaya dan penyesuaian (Rp)"), summary.adjustments),
        (_("Dibayarkan (Rp)"), summary.payouts),
        (_("Saldo akhir (Rp)"), summary.closing),
    ):
        xlsx_append(ws, [label, value])
    xlsx_append(ws, [])
    header = [
        _("Tanggal"),
        _("Jenis"),
        _("Kanal"),
        _("Sumber"),
        _("Produk"),
        _("Jumlah"),
        _("Bruto (Rp)"),
        _("Komisi (Rp)"),
        _("Bersih (Rp)"),
    ]
    xlsx_append(ws, header)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for x in summary.items:
        xlsx_append(
            ws,
            [
                tanggal(x.counted_at),
                x.kind_label,
                x.channel_name,
                x.source,
                x.product_name,
                x.quantity,
                x.gross,
                x.commission,
                x.net,
            ],
        )
    xlsx_append(ws, ["", "", "", _("Jumlah"), "", "", summary.gross, summary.commission, summary.net])
    xlsx_append(ws, [])
    xlsx_append(ws, [_("Biaya dan penyesuaian"), _("Tanggal"), _("Alasan"), _("Jumlah (Rp)")])
    for a in statement.adjustment_rows.all():
        xlsx_append(ws, ["", tanggal(a.date), a.reason, a.amount])
    xlsx_append(ws, [_("Pembayaran"), _("Tanggal"), _("Referensi"), _("Jumlah (Rp)")])
    for p in statement.payout_rows.all():
        xlsx_append(ws, ["", tanggal(p.date), p.reference, p.amount])
    for column, width in zip("ABCDEFGHI", (24, 20, 22, 40, 40, 10, 16, 16, 16), strict=True):
        ws.column_dimensions[column].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
