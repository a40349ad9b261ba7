"""Documents of the programmes: the training certificate (PDF, reportlab) with its verification code and
a QR code (segno) that opens the public verification page, and the participant's check-in QR code."""

import io
import os
from pathlib import Path
from typing import Any

import segno
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from apps.core.formatting import number_id, rupiah, tanggal


def _fonts() -> tuple[str, str]:
    """DejaVu Sans when installed (Debian's fonts-dejavu-core, or REPORT_FONT_DIR), else Helvetica."""
    if "DejaVuSans" in pdfmetrics.getRegisteredFontNames():
        return "DejaVuSans", "DejaVuSans-Bold"
    for folder in [os.environ.get("REPORT_FONT_DIR", ""), "/usr/share/fonts/truetype/dejavu", "/usr/share/fonts"]:
        if not folder:
            continue
        regular = next(Path(folder).rglob("DejaVuSans.ttf"), None) if Path(folder).is_dir() else None
        bold = next(Path(folder).rglob("DejaVuSans-Bold.ttf"), None) if Path(folder).is_dir() else None
        if regular and bold:
            pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
            return "DejaVuSans", "DejaVuSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def qr_svg(text: str, *, scale: int = 6) -> str:
    """An inline SVG QR code (error correction M; a phone screen is read at the door)."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True)
    return buffer.getvalue().decode()


def qr_png(text: str, *, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def certificate_pdf(participant: Any, *, verify_url: str, regency_name: str) -> bytes:
    programme = participant.programme
    regular, bold = _fonts()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    c = canvas.Canvas(buffer, pagesize=(width, height))
    c.setTitle(_("Sertifikat %(t)s") % {"t": programme.title})
    c.setAuthor(_("Dinas Koperasi dan UKM %(r)s") % {"r": regency_name})
    c.setStrokeColorRGB(0.55, 0.33, 0.12)
    c.setLineWidth(4)
    c.rect(24, 24, width - 48, height - 48)
    c.setLineWidth(1)
    c.rect(32, 32, width - 64, height - 64)

    c.setFont(bold, 13)
    c.drawCentredString(width / 2, height - 80, _("DINAS KOPERASI DAN USAHA KECIL DAN MENENGAH").upper())
    c.setFont(regular, 12)
    c.drawCentredString(width / 2, height - 98, regency_name.upper())
    c.setFont(bold, 34)
    c.drawCentredString(width / 2, height - 160, _("SERTIFIKAT"))
    c.setFont(regular, 13)
    c.drawCentredString(width / 2, height - 195, _("diberikan kepada"))
    c.setFont(bold, 24)
    c.drawCentredString(width / 2, height - 232, participant.business.owner.name)
    c.setFont(regular, 14)
    c.drawCentredString(width / 2, height - 256, participant.business.name)
    c.setFont(regular, 13)
    c.drawCentredString(width / 2, height - 292, _("telah menyelesaikan pelatihan"))
    c.setFont(bold, 18)
    c.drawCentredString(width / 2, height - 320, programme.title)
    c.setFont(regular, 12)
    if programme.start_date == programme.end_date:
        when = tanggal(programme.start_date)
    else:
        when = f"{tanggal(programme.start_date)} – {tanggal(programme.end_date)}"
    place = f"{programme.place}, " if programme.place else ""
    c.drawCentredString(width / 2, height - 342, f"{place}{when}")

    # verification: code, QR, address
    qr = ImageReader(io.BytesIO(qr_png(verify_url, scale=6)))
    c.drawImage(qr, 60, 60, width=110, height=110)
    c.setFont(regular, 10)
    c.drawString(180, 130, _("Kode verifikasi:"))
    c.setFont(bold, 14)
    c.drawString(180, 112, participant.certificate_code or "")
    c.setFont(regular, 9)
    c.drawString(180, 96, _("Periksa keaslian di:"))
    c.drawString(180, 84, verify_url)

    # signature block
    issued = participant.certificate_issued_on or programme.end_date
    c.setFont(regular, 11)
    centre = width - 190  # the block's centre, clear of the frame for long regency names
    c.drawCentredString(centre, 170, _("%(r)s, %(d)s") % {"r": regency_name, "d": tanggal(issued)})
    c.drawCentredString(centre, 155, _("Kepala Dinas Koperasi dan UKM"))
    c.line(centre - 110, 90, centre + 110, 90)
    c.setFont(regular, 9)
    c.drawCentredString(centre, 78, _("ditandatangani secara elektronik"))
    c.showPage()
    c.save()
    return buffer.getvalue()


def bast_pdf(delivery: Any, *, regency_name: str) -> bytes:
    """Berita acara serah terima (BAST) of a packaging-aid delivery: who hands over what to whom, when,
    with quantity, vendor, unit cost and total, and two signature blocks."""

    regular, bold = _fonts()
    participant = delivery.application.participant
    business = participant.business
    programme = participant.programme
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=_("BAST %(n)s") % {"n": delivery.bast_number},
    )
    title = ParagraphStyle("t", fontName=bold, fontSize=13, leading=17, alignment=1)
    body = ParagraphStyle("b", fontName=regular, fontSize=10.5, leading=15)
    story: list[Any] = [
        Paragraph(_("DINAS KOPERASI DAN USAHA KECIL DAN MENENGAH").upper(), title),
        Paragraph(regency_name.upper(), ParagraphStyle("r", parent=title, fontName=regular, fontSize=11)),
        Spacer(1, 8 * mm),
        Paragraph(_("BERITA ACARA SERAH TERIMA BANTUAN KEMASAN"), title),
        Paragraph(_("Nomor: %(n)s") % {"n": delivery.bast_number}, ParagraphStyle("n", parent=body, alignment=1)),
        Spacer(1, 6 * mm),
        Paragraph(
            _(
                "Pada tanggal %(d)s, Dinas Koperasi dan UKM %(r)s (PIHAK PERTAMA) menyerahkan bantuan kemasan "
                "dalam kegiatan %(k)s kepada penerima berikut (PIHAK KEDUA), dan PIHAK KEDUA menerimanya "
                "dalam keadaan baik dan lengkap."
            )
            % {"d": tanggal(delivery.handover_date), "r": regency_name, "k": programme.title},
            body,
        ),
        Spacer(1, 4 * mm),
    ]
    rows = [
        [_("Nama pemilik"), business.owner.name],
        [_("Nama usaha"), business.name],
        [_("NIB"), business.nib or "–"],
        [_("Produk"), delivery.application.product_name],
        [_("Desain disetujui pemilik"), tanggal(delivery.design_approved_on)],
        [_("Penyedia"), delivery.vendor],
        [_("Jumlah kemasan"), number_id(delivery.quantity)],
        [_("Harga satuan"), rupiah(delivery.unit_cost)],
        [_("Nilai bantuan"), rupiah(delivery.total_cost)],
    ]
    table = Table(rows, colWidths=[55 * mm, 110 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), regular),
                ("FONTNAME", (0, 0), (0, -1), bold),
                ("FONTSIZE", (0, 0), (-1, -1), 10),
                ("GRID", (0, 0), (-1, -1), 0.4, "#888888"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    story += [table, Spacer(1, 14 * mm)]
    signatures = Table(
        [
            [_("PIHAK KEDUA"), _("PIHAK PERTAMA")],
            [_("Penerima"), _("Kepala Dinas Koperasi dan UKM")],
            ["", ""],
            [business.owner.name, "(.................................)"],
        ],
        colWidths=[82 * mm, 82 * mm],
        rowHeights=[None, None, 22 * mm, None],
    )
    signatures.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), regular),
                ("FONTNAME", (0, 0), (-1, 0), bold),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("FONTSIZE", (0, 0), (-1, -1), 10),
            ]
        )
    )
    story.append(signatures)
    doc.build(story)
    return buffer.getvalue()
