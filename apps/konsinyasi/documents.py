"""Printed papers of the showroom: the receipt of consigned goods (tanda terima titipan), the sheet of
barcode labels per receipt, the return note to the seller, and the buyer's receipt on 58 mm paper.

Barcodes are Code 128 drawn by ReportLab's own `reportlab.graphics.barcode.code128` (vector, so they
stay sharp on any label printer): ReportLab already draws every PDF of the system, whereas
python-barcode would add a dependency and a raster/SVG step for the same symbol. Code 128 (not
EAN-13) because it encodes the seller's SKU as it is (letters, digits, dashes) and needs no
registered GS1 number; the quick-sale screen finds a variant by exactly that SKU."""

from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from django.utils.translation import gettext as _
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from apps.core.formatting import rupiah, tanggal, wib
from apps.core.pdf import pdf_fonts
from apps.konsinyasi.models import Receipt, Sale, SellerReturn
from apps.konsinyasi.selectors import receipt_lines, sale_lines


def _t(value: Any) -> str:
    return xml_escape(" ".join(str(value).split()))


def _document(title: str, heading: list[str], rows: list[list[str]], widths: list[float], footer: list[str]) -> bytes:
    regular, bold = pdf_fonts()
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
    )
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        style.fontName = regular  # type: ignore[attr-defined]
    story: list[Any] = [Paragraph(_("Dinas Koperasi dan UKM · Tuka-Tuku"), styles["Title"])]
    story += [Paragraph(_t(line), styles["Normal"]) for line in heading]
    story.append(Spacer(1, 6 * mm))
    table = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), regular),
                ("FONTNAME", (0, 0), (-1, 0), bold),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [table, Spacer(1, 8 * mm)]
    story += [Paragraph(_t(line), styles["Normal"]) for line in footer]
    story += [
        Spacer(1, 16 * mm),
        Table(
            [[_("Penerima/petugas"), _("Penjual")], ["", ""], ["(................)", "(................)"]],
            colWidths=[80 * mm, 80 * mm],
            rowHeights=[6 * mm, 16 * mm, 6 * mm],
        ),
    ]
    doc.build(story)
    return buffer.getvalue()


def _terms(line: Any) -> str:
    if line.consignment_price is not None:
        return _("titip %(p)s") % {"p": rupiah(line.consignment_price)}
    return _("komisi %(p)s%%") % {"p": f"{line.commission_percent:g}"}


def receipt_pdf(receipt: Receipt) -> bytes:
    rows = [["No", _("Produk"), _("SKU"), _("Jumlah"), _("Harga jual"), _("Ketentuan"), _("Kedaluwarsa")]]
    for i, line in enumerate(receipt_lines(receipt), start=1):
        rows.append(
            [
                str(i),
                Paragraph(_t(line.variant), getSampleStyleSheet()["BodyText"]),
                line.variant.sku,
                str(line.quantity),
                rupiah(line.selling_price),
                _terms(line),
                tanggal(line.expires_on) if line.expires_on else "-",
            ]
        )
    return _document(
        _("Tanda terima titipan %(n)s") % {"n": receipt.number},
        [
            _("TANDA TERIMA BARANG TITIPAN"),
            _("Nomor: %(n)s") % {"n": receipt.number},
            _("Tanggal: %(d)s") % {"d": tanggal(receipt.received_on)},
            _("Lokasi: %(l)s") % {"l": receipt.location.name},
            _("Penjual: %(s)s") % {"s": receipt.seller.shop_name},
        ],
        rows,
        [8, 46, 28, 14, 22, 28, 28],
        [receipt.note] if receipt.note else [],
    )


def seller_return_pdf(seller_return: SellerReturn) -> bytes:
    rows = [["No", _("Produk"), _("SKU"), _("Tanda terima"), _("Jumlah")]]
    for i, line in enumerate(seller_return.lines.select_related("lot__variant__product", "lot__receipt"), start=1):
        rows.append(
            [
                str(i),
                Paragraph(_t(line.lot.variant), getSampleStyleSheet()["BodyText"]),
                line.lot.variant.sku,
                line.lot.receipt.number,
                str(line.quantity),
            ]
        )
    return _document(
        _("Nota retur %(n)s") % {"n": seller_return.pk},
        [
            _("NOTA RETUR BARANG TITIPAN"),
            _("Nomor: RETUR-%(n)s") % {"n": seller_return.pk},
            _("Tanggal: %(d)s") % {"d": tanggal(seller_return.returned_on)},
            _("Lokasi: %(l)s") % {"l": seller_return.location.name},
            _("Penjual: %(s)s") % {"s": seller_return.seller.shop_name},
        ],
        rows,
        [8, 70, 32, 40, 20],
        [seller_return.note] if seller_return.note else [],
    )


LABEL_W, LABEL_H = 63.5 * mm, 38.1 * mm  # 3 × 7 labels on A4 (the common 21-label sheet)
COLUMNS, ROWS = 3, 7


def labels_pdf(receipt: Receipt) -> bytes:
    """One label per unit received: product name, price and the SKU as a Code 128 barcode."""
    regular, bold = pdf_fonts()
    buffer = BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle(_("Label %(n)s") % {"n": receipt.number})
    width, height = A4
    left = (width - COLUMNS * LABEL_W) / 2
    top = height - (height - ROWS * LABEL_H) / 2
    slot = 0
    for line in receipt_lines(receipt):
        for _unit in range(line.quantity):
            if slot and slot % (COLUMNS * ROWS) == 0:
                page.showPage()
            col, row = slot % COLUMNS, (slot // COLUMNS) % ROWS
            x, y = left + col * LABEL_W, top - (row + 1) * LABEL_H
            name = str(line.variant)
            page.setFont(bold, 8)
            page.drawString(x + 4 * mm, y + LABEL_H - 7 * mm, name[:38])
            page.setFont(bold, 11)
            page.drawString(x + 4 * mm, y + LABEL_H - 13 * mm, rupiah(line.selling_price))
            barcode = Code128(line.variant.sku, barHeight=11 * mm, barWidth=0.28 * mm, quiet=False)
            barcode.drawOn(page, x + 4 * mm, y + 7 * mm)
            page.setFont(regular, 7)
            page.drawString(x + 4 * mm, y + 3.5 * mm, line.variant.sku)
            if line.expires_on:
                page.drawRightString(
                    x + LABEL_W - 4 * mm, y + 3.5 * mm, _("ED %(d)s") % {"d": line.expires_on.strftime("%d/%m/%Y")}
                )
            slot += 1
    page.showPage()
    page.save()
    return buffer.getvalue()


def sale_receipt_pdf(sale: Sale) -> bytes:
    """The buyer's receipt on 58 mm roll paper (48 mm printable), as long as its lines need."""
    regular, bold = pdf_fonts()
    lines = list(sale_lines(sale))
    width = 58 * mm
    height = (62 + 9 * len(lines)) * mm
    buffer = BytesIO()
    page = canvas.Canvas(buffer, pagesize=(width, height))
    page.setTitle(sale.number)
    y = height - 6 * mm
    x0, x1 = 4 * mm, width - 4 * mm

    def text(value: str, *, font: str = regular, size: float = 7, right: str = "") -> None:
        nonlocal y
        page.setFont(font, size)
        page.drawString(x0, y, value[:40])
        if right:
            page.drawRightString(x1, y, right)
        y -= size * 0.45 * mm + 1.6 * mm

    text("Tuka-Tuku", font=bold, size=10)
    text(sale.location.name[:40])
    text(wib(sale.sold_at))
    text(sale.number)
    text("-" * 40)
    for line in lines:
        text(line.product_name[:40])
        text(f"  {line.quantity} x {rupiah(line.unit_price)}", right=rupiah(line.amount))
    text("-" * 40)
    text(_("TOTAL"), font=bold, size=9, right=rupiah(sale.total))
    text(sale.get_method_display(), right=rupiah(sale.cash_given) if sale.cash_given is not None else "")
    if sale.method == "tunai":
        text(_("Kembali"), right=rupiah(sale.change))
    if sale.refunded:
        text(_("Dikembalikan"), right=rupiah(sale.refunded))
    if sale.cancelled_at:
        text(_("DIBATALKAN"), font=bold, size=9)
    text("")
    text(_("Terima kasih, produk UMKM lokal."))
    page.showPage()
    page.save()
    return buffer.getvalue()
