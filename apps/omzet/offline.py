"""The offline channel (SPEC §6): showroom and outlet sales, and purchases by government offices
(OPD) with an invoice. Writes go through the ledger services; the invoice PDF is drawn here."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from django.db import transaction
from django.db.models import F, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from apps.audit.services import audit_log
from apps.core.actors import Actor, actor_user
from apps.core.formatting import WIB, rupiah, tanggal
from apps.omzet.models import ChannelKind, OfflineSale, OfflineSaleLine
from apps.omzet.services import OmzetError, channel_for, omzet_record_return, omzet_record_sale
from apps.regions.selectors import scope_queryset

OFFLINE_CHANNELS = ("showroom", "outlet", "opd")
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
SAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class SaleItem:
    variant: Any
    quantity: int
    unit_price: int | None = None  # the catalogue price when not given


def counted_at_of(sale_date: date) -> datetime:
    """Offline sales count at noon WIB of the sale date (no time of day is recorded)."""
    return datetime.combine(sale_date, time(12, 0), tzinfo=WIB)


def _next_invoice_number(regency_code: str, year: int) -> str:
    prefix = f"TT/{regency_code}/{year}/"
    taken = OfflineSale.objects.filter(regency_id=regency_code, invoice_number__startswith=prefix).values_list(
        "invoice_number", flat=True
    )
    numbers = [int(n[len(prefix) :]) for n in taken if n[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


@transaction.atomic
def offline_sale_record(
    *,
    regency_code: str,
    channel_code: str,
    sale_date: date,
    items: list[SaleItem],
    actor: Actor,
    office_name: str = "",
    invoice_number: str = "",
    note: str = "",
) -> OfflineSale:
    """Record an offline sale and add each line to the omzet ledger on the sale date.

    An OPD purchase needs the office's name and gets an invoice number (`TT/33.03/2020/0001`) when
    none is given. Every variant must belong to a seller of the regency.
    """
    if channel_code not in OFFLINE_CHANNELS:
        raise OmzetError(_("Kanal luring tidak dikenal: %(c)s") % {"c": channel_code})
    if not items:
        raise OmzetError(_("Isi minimal satu barang."))
    if sale_date > timezone.localdate(timezone.now(), WIB):
        raise OmzetError(_("Tanggal penjualan tidak boleh di masa depan."))
    channel = channel_for(regency_code=regency_code, code=channel_code, actor=actor)
    office_name, invoice_number = office_name.strip(), invoice_number.strip()
    if channel.kind == ChannelKind.OPD:
        if not office_name:
            raise OmzetError(_("Nama OPD wajib diisi untuk pembelian OPD."))
        invoice_number = invoice_number or _next_invoice_number(regency_code, sale_date.year)
    if invoice_number and OfflineSale.objects.filter(regency_id=regency_code, invoice_number=invoice_number).exists():
        raise OmzetError(_("Nomor faktur %(n)s sudah dipakai.") % {"n": invoice_number})
    for item in items:
        if item.variant.product.seller.regency_id != regency_code:
            raise OmzetError(_("Produk %(sku)s bukan milik penjual di wilayah ini.") % {"sku": item.variant.sku})
        if item.quantity < 1:
            raise OmzetError(_("Jumlah %(sku)s harus minimal 1.") % {"sku": item.variant.sku})
    sale = OfflineSale.objects.create(
        regency_id=regency_code,
        channel=channel,
        sale_date=sale_date,
        office_name=office_name,
        invoice_number=invoice_number,
        note=note.strip(),
        created_by=actor_user(actor),
    )
    total = 0
    for item in items:
        price = item.variant.price if item.unit_price is None else item.unit_price
        line = OfflineSaleLine.objects.create(sale=sale, variant=item.variant, quantity=item.quantity, unit_price=price)
        omzet_record_sale(
            source_key=line.source_key,
            channel_code=channel.code,
            regency_code=regency_code,
            variant=item.variant,
            product_name=str(item.variant),
            quantity=line.quantity,
            amount=line.amount,
            counted_at=counted_at_of(sale_date),
            actor=actor,
        )
        total += line.amount
    audit_log(
        actor=actor,
        action="omzet.offline_record",
        obj=sale,
        changes={"channel": channel.code, "total": total, "lines": len(items), "invoice": invoice_number},
    )
    return sale


@transaction.atomic
def offline_sale_cancel(*, sale: OfflineSale, actor: Actor, reason: str) -> OfflineSale:
    """Cancel a recorded offline sale: every line is reversed in the ledger on the sale date."""
    sale = OfflineSale.objects.select_for_update().get(pk=sale.pk)
    if sale.cancelled_at is not None:
        return sale
    if not reason.strip():
        raise OmzetError(_("Alasan pembatalan wajib diisi."))
    for line in sale.lines.all():
        omzet_record_return(
            source_key=line.source_key + ":batal",
            original_source_key=line.source_key,
            quantity=line.quantity,
            amount=line.amount,
            counted_at=counted_at_of(sale.sale_date),
            actor=actor,
        )
    sale.cancelled_at = timezone.now()
    sale.save(update_fields=["cancelled_at"])
    audit_log(actor=actor, action="omzet.offline_cancel", obj=sale, changes={"alasan": reason.strip()})
    return sale


# --- reads ------------------------------------------------------------------------------------------


def offline_sale_list(*, user: Any) -> QuerySet[OfflineSale]:
    return (
        scope_queryset(OfflineSale.objects.select_related("channel", "regency"), user)
        .annotate(total=Sum(F("lines__quantity") * F("lines__unit_price")))
        .prefetch_related("lines__variant__product__seller")
        .order_by("-sale_date", "-pk")
    )


def access_offline_sale(user: Any, pk: int) -> OfflineSale:
    sale = offline_sale_list(user=user).filter(pk=pk).first()
    if sale is None:
        raise Http404
    return sale


# --- invoice PDF ------------------------------------------------------------------------------------


def _pdf_text(value: str) -> str:
    """Plain text for a ReportLab Paragraph: markup characters escaped, control characters as spaces."""
    return xml_escape(CONTROL_CHARS.sub(" ", value), {'"': "&quot;"})


def invoice_filename(sale: OfflineSale) -> str:
    """`faktur-TT-33.03-2020-0001.pdf`: only letters, digits, dot, dash and underscore from the typed
    invoice number, so it can never break out of the Content-Disposition header."""
    stem = SAFE_FILENAME.sub("-", sale.invoice_number or f"penjualan-{sale.pk}").strip("-.") or f"penjualan-{sale.pk}"
    return f"faktur-{stem[:60]}.pdf"


def invoice_pdf(sale: OfflineSale) -> bytes:
    """The OPD invoice (faktur) as a one-page A4 PDF."""

    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=_("Faktur %(n)s") % {"n": sale.invoice_number},
        author="Tuka-Tuku",
    )
    styles = getSampleStyleSheet()
    # A Paragraph parses its text as markup (<a href>, <img src>, <font>): every typed value is escaped,
    # so an OPD name like `Dinas <b>Perindustrian` prints as typed instead of linking, hiding or crashing.
    office, number = _pdf_text(sale.office_name or "-"), _pdf_text(sale.invoice_number or "-")
    story: list[Any] = [
        Paragraph(_("Dinas Koperasi dan UKM · Tuka-Tuku"), styles["Title"]),
        Paragraph(_pdf_text(sale.regency.name), styles["Normal"]),
        Spacer(1, 6 * mm),
        Paragraph(_("FAKTUR PENJUALAN"), styles["Heading2"]),
        Paragraph(_("Nomor: %(n)s") % {"n": number}, styles["Normal"]),
        Paragraph(_("Tanggal: %(d)s") % {"d": tanggal(sale.sale_date)}, styles["Normal"]),
        Paragraph(_("Kepada: %(office)s") % {"office": office}, styles["Normal"]),
        Spacer(1, 6 * mm),
    ]
    rows: list[list[str]] = [[_("No"), _("Produk"), _("Penjual"), _("Jumlah"), _("Harga"), _("Subtotal")]]
    total = 0
    for i, line in enumerate(sale.lines.all(), start=1):
        rows.append(
            [
                str(i),
                f"{line.variant} ({line.variant.sku})",
                line.variant.product.seller.shop_name,
                str(line.quantity),
                rupiah(line.unit_price),
                rupiah(line.amount),
            ]
        )
        total += line.amount
    rows.append(["", _("Total"), "", "", "", rupiah(total)])
    table = Table(rows, colWidths=[10 * mm, 62 * mm, 38 * mm, 16 * mm, 24 * mm, 26 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("ALIGN", (3, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [table, Spacer(1, 10 * mm)]
    if sale.cancelled_at:
        story.append(Paragraph(_("DIBATALKAN"), styles["Heading2"]))
    story.append(Paragraph(_("Barang produk UMKM dibeli melalui Tuka-Tuku."), styles["Normal"]))
    doc.build(story)
    return buffer.getvalue()
