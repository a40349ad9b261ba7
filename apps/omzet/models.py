"""The omzet ledger (SPEC §6): every sold item on every channel is a line; a return reverses it.

Omzet is the value of goods sold in completed orders, after seller discounts, without shipping, minus
returned items. Lines are never deleted: a correction is an update (audited) or a reversing line.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelKind(models.TextChoices):
    WEB = "web", _("Toko daring Tuka-Tuku")
    OFFLINE = "offline", _("Luring (showroom, outlet)")
    OPD = "opd", _("Pembelian OPD")
    MARKETPLACE = "marketplace", _("Marketplace")


class Channel(models.Model):
    """A sales channel of one regency. Channels are rows, not code: a new marketplace is a new row."""

    REGENCY_FIELD = "regency"

    regency = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("kode"), max_length=30)
    name = models.CharField(_("nama"), max_length=80)
    kind = models.CharField(_("jenis"), max_length=12, choices=ChannelKind.choices)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["regency_id", "kind", "name"]
        verbose_name = _("kanal penjualan")
        verbose_name_plural = _("kanal penjualan")
        constraints = [models.UniqueConstraint(fields=["regency", "code"], name="omzet_channel_regency_code_unique")]

    def __str__(self) -> str:
        return self.name


class OmzetLine(models.Model):
    """One ledger line: a sale (positive) or a reversal of one (negative amount and quantity).

    `source_key` names where the line came from (`order:12:item:3`, `shopee:2001ABC:SKU-1`), so
    recording the same sale twice changes nothing.
    """

    REGENCY_FIELD = "regency"

    regency = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("kecamatan")
    )
    seller = models.ForeignKey(
        "store.Seller", on_delete=models.PROTECT, related_name="omzet_lines", null=True, blank=True
    )
    product = models.ForeignKey("store.Product", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    variant = models.ForeignKey("store.Variant", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    product_name = models.CharField(_("nama produk"), max_length=255)
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="lines", verbose_name=_("kanal"))
    source_key = models.CharField(_("kunci sumber"), max_length=255, unique=True)
    counted_at = models.DateTimeField(_("tanggal dihitung"))
    quantity = models.IntegerField(_("jumlah"))
    amount = models.BigIntegerField(_("nilai (Rp)"))
    commission = models.BigIntegerField(
        _("komisi (Rp)"),
        null=True,
        blank=True,
        help_text=_("komisi dinas yang disepakati untuk baris ini (titipan); kosong = aturan komisi yang berlaku"),
    )
    reverses = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="reversals", null=True, blank=True, verbose_name=_("membalik")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-counted_at", "-pk"]
        verbose_name = _("baris omzet")
        verbose_name_plural = _("baris omzet")
        indexes = [
            models.Index(fields=["regency", "counted_at"], name="omzet_regency_date_idx"),
            models.Index(fields=["regency", "channel", "counted_at"], name="omzet_regency_channel_idx"),
            models.Index(fields=["regency", "district", "counted_at"], name="omzet_regency_district_idx"),
            models.Index(fields=["seller", "counted_at"], name="omzet_seller_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reverses__isnull=True) | models.Q(amount__lte=0),
                name="omzet_reversal_not_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_key} {self.amount}"


class MarketplaceState(models.TextChoices):
    """Where a marketplace line stands. It only moves forward (in process → completed → cancelled/returned),
    so importing an older export after a newer one changes nothing."""

    IN_PROCESS = "proses", _("Dalam proses")
    COMPLETED = "selesai", _("Selesai (dihitung)")
    CANCELLED = "batal", _("Batal / dikembalikan")


MARKETPLACE_STATE_RANK = {MarketplaceState.IN_PROCESS: 0, MarketplaceState.COMPLETED: 1, MarketplaceState.CANCELLED: 2}


class MarketplaceLine(models.Model):
    """One order line as the marketplace exports it, keyed on (channel, order number, SKU or product name).

    Overlapping exports update the same row; the ledger lines `source_key` and `source_key:retur` are
    derived from it by the importer through the ledger services.
    """

    REGENCY_FIELD = "regency"

    regency = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="marketplace_lines")
    order_number = models.CharField(_("nomor pesanan"), max_length=80)
    line_key = models.CharField(_("SKU atau nama produk"), max_length=300)
    source_key = models.CharField(max_length=255, unique=True)
    match_key = models.CharField(max_length=300, help_text=_("kunci pemetaan: sku:… atau nama:…"))
    sku = models.CharField(_("SKU"), max_length=100, blank=True)
    product_name = models.CharField(_("nama produk"), max_length=255)
    status = models.CharField(_("status di marketplace"), max_length=100)
    state = models.CharField(_("keadaan"), max_length=10, choices=MarketplaceState.choices)
    quantity = models.PositiveIntegerField(_("jumlah"))
    returned_quantity = models.PositiveIntegerField(_("jumlah dikembalikan"), default=0)
    unit_price = models.BigIntegerField(_("harga satuan (Rp)"))
    counted_at = models.DateTimeField(_("tanggal dihitung"), null=True, blank=True)
    variant = models.ForeignKey("store.Variant", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-counted_at", "order_number"]
        verbose_name = _("baris pesanan marketplace")
        verbose_name_plural = _("baris pesanan marketplace")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "order_number", "line_key"], name="omzet_marketplace_line_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(returned_quantity__lte=models.F("quantity")), name="omzet_marketplace_returned_lte"
            ),
        ]
        indexes = [
            models.Index(fields=["regency", "variant", "channel"], name="omzet_mkt_unmapped_idx"),
            models.Index(fields=["channel", "match_key"], name="omzet_mkt_match_idx"),
        ]

    def __str__(self) -> str:
        return self.source_key


class ProductMapping(models.Model):
    """An operator's decision that a marketplace SKU or product name is a catalogue variant.

    Applies to the channel's existing lines when made, and to every later import."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="mappings")
    match_key = models.CharField(max_length=300)
    variant = models.ForeignKey("store.Variant", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pemetaan produk marketplace")
        verbose_name_plural = _("pemetaan produk marketplace")
        constraints = [models.UniqueConstraint(fields=["channel", "match_key"], name="omzet_mapping_unique")]

    def __str__(self) -> str:
        return f"{self.match_key} → {self.variant_id}"


class OfflineSale(models.Model):
    """A sale recorded by an operator: at the showroom or an outlet, or a purchase by a government
    office (OPD) with an invoice. Each line goes into the ledger on the sale date."""

    REGENCY_FIELD = "regency"

    regency = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="offline_sales")
    sale_date = models.DateField(_("tanggal penjualan"))
    office_name = models.CharField(_("nama OPD"), max_length=200, blank=True)
    invoice_number = models.CharField(_("nomor faktur"), max_length=60, blank=True)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    cancelled_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sale_date", "-pk"]
        verbose_name = _("penjualan luring")
        verbose_name_plural = _("penjualan luring")
        constraints = [
            models.UniqueConstraint(
                fields=["regency", "invoice_number"],
                condition=~models.Q(invoice_number=""),
                name="omzet_offline_invoice_unique",
            )
        ]
        indexes = [models.Index(fields=["regency", "sale_date"], name="omzet_offline_regency_date_idx")]

    def __str__(self) -> str:
        return self.invoice_number or f"{self.channel} {self.sale_date}"


class OfflineSaleLine(models.Model):
    sale = models.ForeignKey(OfflineSale, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("store.Variant", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("jumlah"))
    unit_price = models.BigIntegerField(_("harga satuan (Rp)"))

    class Meta:
        verbose_name = _("baris penjualan luring")
        verbose_name_plural = _("baris penjualan luring")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="omzet_offline_line_qty_positive"),
            models.CheckConstraint(condition=models.Q(unit_price__gte=0), name="omzet_offline_line_price_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.variant_id} × {self.quantity}"

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price

    @property
    def source_key(self) -> str:
        return f"luring:{self.sale_id}:{self.pk}"
