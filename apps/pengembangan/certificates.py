"""Certificates as PDF (reportlab) with a QR code (segno) that opens the public verification page.

One layout serves the competency certificate and the Koperasi Award charter: a title, the holder, what
was achieved, dates, the number, and the QR code with the verification address printed beside it.
"""

import io
from dataclasses import dataclass

import segno
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from apps.core.formatting import tanggal
from apps.core.pdf import pdf_fonts


@dataclass
class CertificateText:
    judul: str
    nama: str
    baris: list[str]
    nomor: str
    tanggal_terbit: str
    verifikasi_url: str
    penandatangan: str


def qr_png(url: str) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=6, border=2)
    return out.getvalue()


def certificate_pdf(text: CertificateText) -> bytes:

    regular, bold = pdf_fonts()
    buf = io.BytesIO()
    width, height = landscape(A4)
    c = canvas.Canvas(buf, pagesize=(width, height))
    c.setTitle(f"{text.judul} {text.nomor}")
    c.setLineWidth(2)
    c.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    c.setLineWidth(0.5)
    c.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)
    c.setFont(bold, 12)
    c.drawCentredString(width / 2, height - 32 * mm, _("DINAS KOPERASI DAN UKM"))
    c.setFont(bold, 26)
    c.drawCentredString(width / 2, height - 50 * mm, text.judul.upper())
    c.setFont(regular, 12)
    c.drawCentredString(width / 2, height - 62 * mm, _("diberikan kepada"))
    c.setFont(bold, 22)
    c.drawCentredString(width / 2, height - 76 * mm, text.nama)
    c.setFont(regular, 12)
    y = height - 90 * mm
    for line in text.baris:
        c.drawCentredString(width / 2, y, line)
        y -= 7 * mm
    c.setFont(regular, 10)
    c.drawString(25 * mm, 40 * mm, _("Nomor: %(n)s") % {"n": text.nomor})
    c.drawString(25 * mm, 34 * mm, _("Diterbitkan: %(t)s") % {"t": text.tanggal_terbit})
    c.drawString(25 * mm, 28 * mm, _("Periksa keaslian: %(u)s") % {"u": text.verifikasi_url})
    c.drawCentredString(width / 2 + 60 * mm, 50 * mm, text.penandatangan)
    c.line(width / 2 + 30 * mm, 34 * mm, width / 2 + 90 * mm, 34 * mm)
    qr = ImageReader(io.BytesIO(qr_png(text.verifikasi_url)))
    size = 34 * mm
    c.drawImage(qr, width - 25 * mm - size, 22 * mm, size, size)
    c.showPage()
    c.save()
    return buf.getvalue()


def ujikom_certificate_pdf(certificate, verify_url: str) -> bytes:
    result = certificate.result
    manager = result.manager
    baris = [
        _("%(jabatan)s %(koperasi)s") % {"jabatan": manager.get_jabatan_display(), "koperasi": manager.koperasi.nama},
        _("dinyatakan KOMPETEN pada skema %(s)s") % {"s": result.skema},
        _("diuji pada %(t)s · berlaku sampai %(b)s")
        % {"t": tanggal(result.tanggal_uji), "b": tanggal(certificate.berlaku_sampai)},
    ]
    return certificate_pdf(
        CertificateText(
            judul=_("Sertifikat Kompetensi"),
            nama=manager.nama,
            baris=baris,
            nomor=certificate.nomor,
            tanggal_terbit=tanggal(certificate.tanggal_terbit),
            verifikasi_url=verify_url,
            penandatangan=_("Kepala Dinas Koperasi dan UKM"),
        )
    )


def award_certificate_pdf(nomination, verify_url: str) -> bytes:
    category = nomination.category
    baris = [
        _("Peringkat %(p)s, kategori %(k)s") % {"p": nomination.peringkat, "k": category.nama},
        _("Koperasi Award tahun %(t)s") % {"t": category.tahun},
    ]
    return certificate_pdf(
        CertificateText(
            judul=_("Piagam Koperasi Award"),
            nama=nomination.koperasi.nama,
            baris=baris,
            nomor=nomination.kode_verifikasi,
            tanggal_terbit=tanggal(timezone.localdate(category.disetujui_pada)) if category.disetujui_pada else "",
            verifikasi_url=verify_url,
            penandatangan=_("Kepala Dinas Koperasi dan UKM"),
        )
    )
