"""Consignment goods at the department's own places (SPEC §12): showrooms, warehouses and outlets, the
goods sellers leave there (tanda terima titipan), their stock as a ledger of movements, and the
quick-sale screen's sales and day closings.

The stock here is kept apart from the seller's online stock (`store.Variant.stock`) unless a location
or a receipt line shares it "by choice": those goods live in `Variant.stock`, and a quick sale takes them
from there, racing the web checkout under the same conditional update.

Names the settlement reads: `ReceiptLine` (the agreed terms: `consignment_price` per unit or
`commission_percent`), `Sale` / `SaleLine` (`SaleLine.source_key` is the omzet line's key, its
`commission` the department's share in rupiah), `SellerReturn` (unsold goods given back)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.uploads import ProtectedFileField


class LocationKind(models.TextChoices):
    SHOWROOM = "showroom", _("Showroom")
    WAREHOUSE = "gudang", _("Gudang")
    OUTLET = "outlet", _("Outlet (tempat wisata)")


class Location(models.Model):
    """A place where the department keeps consigned goods, in one regency."""

    REGENCY_FIELD = "regency"

    regency = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("nama lokasi"), max_length=120)
    kind = models.CharField(_("jenis"), max_length=10, choices=LocationKind.choices)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    shares_online_stock = models.BooleanField(
        _("berbagi stok dengan toko daring"),
        default=False,
        help_text=_("Penjualan di lokasi ini mengambil stok daring varian (stok bersama toko web)."),
    )
    qris_image = ProtectedFileField(_("gambar QRIS statis"), upload_to="qris", blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["regency_id", "name"]
        verbose_name = _("lokasi")
        verbose_name_plural = _("lokasi")
        constraints = [models.UniqueConstraint(fields=["regency", "name"], name="konsinyasi_location_name_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def sells(self) -> bool:
        return self.kind != LocationKind.WAREHOUSE

    @property
    def channel_code(self) -> str:
        return "outlet" if self.kind == LocationKind.OUTLET else "showroom"


class Receipt(models.Model):
    """A tanda terima titipan: goods a seller leaves at a location, with the agreed terms per line."""

    REGENCY_FIELD = "location__regency"

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="receipts")
    seller = models.ForeignKey("store.Seller", on_delete=models.PROTECT, related_name="consignment_receipts")
    number = models.CharField(_("nomor"), max_length=40, unique=True)
    received_on = models.DateField(_("tanggal terima"))
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("tanda terima titipan")
        verbose_name_plural = _("tanda terima titipan")

    def __str__(self) -> str:
        return self.number


class ReceiptLine(models.Model):
    """One variant received: the lot every later movement of these goods refers to. Exactly one of the
    agreed price to the seller (harga titip, per unit) or the commission percent sets the department's
    commission on a sale."""

    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("store.Variant", on_delete=models.PROTECT, related_name="consignment_lines")
    quantity = models.PositiveIntegerField(_("jumlah"))
    consignment_price = models.BigIntegerField(_("harga titip (Rp)"), null=True, blank=True)
    commission_percent = models.DecimalField(_("komisi (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    selling_price = models.BigIntegerField(_("harga jual (Rp)"))
    expires_on = models.DateField(_("kedaluwarsa"), null=True, blank=True)
    shares_online_stock = models.BooleanField(_("berbagi stok dengan toko daring"), default=False)

    class Meta:
        ordering = ["receipt_id", "pk"]
        verbose_name = _("baris tanda terima")
        verbose_name_plural = _("baris tanda terima")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(consignment_price__isnull=False, commission_percent__isnull=True)
                    | models.Q(consignment_price__isnull=True, commission_percent__isnull=False)
                ),
                name="konsinyasi_line_one_term",
            ),
            models.CheckConstraint(condition=models.Q(selling_price__gte=0), name="konsinyasi_line_price_nonneg"),
            models.CheckConstraint(
                condition=models.Q(consignment_price__isnull=True) | models.Q(consignment_price__gte=0),
                name="konsinyasi_line_titip_nonneg",
            ),
            models.CheckConstraint(
                condition=models.Q(commission_percent__isnull=True)
                | models.Q(commission_percent__gte=0, commission_percent__lte=100),
                name="konsinyasi_line_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt.number} · {self.variant}"

    def commission_for(self, *, amount: int, quantity: int) -> int:
        """The department's share of a sale of `quantity` units for `amount` rupiah: the sale less the
        agreed price to the seller (never below 0: selling under the agreed price is the department's
        loss, the seller still gets the agreed price), or the percent of the sale rounded down."""
        if self.consignment_price is not None:
            return max(0, amount - self.consignment_price * quantity)
        percent = self.commission_percent or Decimal(0)
        return min(amount, int(amount * percent // 100))


class StockBalance(models.Model):
    """The quantity of one lot (receipt line) on hand at one location; the row a movement locks."""

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="balances")
    lot = models.ForeignKey(ReceiptLine, on_delete=models.PROTECT, related_name="balances")
    variant = models.ForeignKey("store.Variant", on_delete=models.PROTECT, related_name="+")
    quantity = models.IntegerField(default=0)
    last_sale_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("saldo stok")
        verbose_name_plural = _("saldo stok")
        constraints = [
            models.UniqueConstraint(fields=["location", "lot"], name="konsinyasi_balance_unique"),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="konsinyasi_balance_nonnegative"),
        ]
        indexes = [models.Index(fields=["location", "variant"], name="konsinyasi_balance_variant_idx")]

    def __str__(self) -> str:
        return f"{self.location} · {self.lot_id}: {self.quantity}"


class MovementKind(models.TextChoices):
    RECEIPT = "terima", _("Terima titipan")
    TRANSFER_OUT = "pindah_keluar", _("Pindah keluar")
    TRANSFER_IN = "pindah_masuk", _("Pindah masuk")
    RETURN = "retur", _("Retur ke penjual")
    SALE = "jual", _("Penjualan")
    SALE_CANCEL = "batal_jual", _("Penjualan dibatalkan")
    COUNT = "opname", _("Selisih stok opname")


class StockMovement(models.Model):
    """One change of stock, signed (+ in, − out). `online` marks goods shared with the web store: they
    moved `Variant.stock`, not the location's balance. Never updated or deleted."""

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="movements")
    lot = models.ForeignKey(ReceiptLine, on_delete=models.PROTECT, null=True, related_name="movements")
    variant = models.ForeignKey("store.Variant", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("jenis"), max_length=15, choices=MovementKind.choices)
    quantity = models.IntegerField(_("jumlah"))
    balance_after = models.IntegerField(_("saldo setelahnya"))
    online = models.BooleanField(default=False)
    reference = models.CharField(_("rujukan"), max_length=60, blank=True)
    reason = models.CharField(_("alasan"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("mutasi stok")
        verbose_name_plural = _("mutasi stok")
        indexes = [models.Index(fields=["location", "kind", "created_at"], name="konsinyasi_move_kind_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity:+d}"


class Transfer(models.Model):
    REGENCY_FIELD = "source__regency"

    source = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="transfers_out")
    target = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="transfers_in")
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pemindahan stok")
        verbose_name_plural = _("pemindahan stok")

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"


class SellerReturn(models.Model):
    """Unsold goods given back to their seller (nota retur)."""

    REGENCY_FIELD = "location__regency"

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="seller_returns")
    seller = models.ForeignKey("store.Seller", on_delete=models.PROTECT, related_name="consignment_returns")
    returned_on = models.DateField(_("tanggal retur"))
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("retur ke penjual")
        verbose_name_plural = _("retur ke penjual")

    def __str__(self) -> str:
        return f"{self.seller} {self.returned_on}"


class SellerReturnLine(models.Model):
    seller_return = models.ForeignKey(SellerReturn, on_delete=models.CASCADE, related_name="lines")
    lot = models.ForeignKey(ReceiptLine, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("jumlah"))

    class Meta:
        verbose_name = _("baris retur")
        verbose_name_plural = _("baris retur")

    def __str__(self) -> str:
        return f"{self.lot_id} × {self.quantity}"


class StockCount(models.Model):
    """A stock opname: counted quantities per lot against the books, each difference with a reason."""

    REGENCY_FIELD = "location__regency"

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="stock_counts")
    counted_on = models.DateField(_("tanggal opname"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stok opname")
        verbose_name_plural = _("stok opname")

    def __str__(self) -> str:
        return f"{self.location} {self.counted_on}"


class StockCountLine(models.Model):
    stock_count = models.ForeignKey(StockCount, on_delete=models.CASCADE, related_name="lines")
    lot = models.ForeignKey(ReceiptLine, on_delete=models.PROTECT, related_name="+")
    expected = models.IntegerField(_("menurut catatan"))
    counted = models.PositiveIntegerField(_("hasil hitung"))
    reason = models.CharField(_("alasan selisih"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("baris opname")
        verbose_name_plural = _("baris opname")

    def __str__(self) -> str:
        return f"{self.lot_id}: {self.expected} → {self.counted}"

    @property
    def difference(self) -> int:
        return self.counted - self.expected


class PaymentMethod(models.TextChoices):
    CASH = "tunai", _("Tunai")
    QRIS = "qris", _("QRIS")


class Sale(models.Model):
    """A quick sale at a location (kasir): paid in cash or by QRIS confirmed by the cashier."""

    REGENCY_FIELD = "location__regency"

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="sales")
    number = models.CharField(_("nomor"), max_length=40, unique=True)
    sold_at = models.DateTimeField(_("waktu"))
    sale_date = models.DateField(_("tanggal"))
    method = models.CharField(_("pembayaran"), max_length=10, choices=PaymentMethod.choices)
    total = models.BigIntegerField(_("total (Rp)"))
    cash_given = models.BigIntegerField(_("uang diterima (Rp)"), null=True, blank=True)
    change = models.BigIntegerField(_("kembalian (Rp)"), default=0)
    refunded = models.BigIntegerField(_("dikembalikan (Rp)"), default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("alasan pembatalan"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-sold_at", "-pk"]
        verbose_name = _("penjualan kasir")
        verbose_name_plural = _("penjualan kasir")
        indexes = [models.Index(fields=["location", "sale_date"], name="konsinyasi_sale_day_idx")]

    def __str__(self) -> str:
        return self.number


class SaleLine(models.Model):
    """One variant sold, from one lot (a sale across lots has a line per lot, each with its own terms)."""

    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    variant = models.ForeignKey("store.Variant", on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey(ReceiptLine, on_delete=models.PROTECT, null=True, related_name="sale_lines")
    product_name = models.CharField(max_length=255)
    quantity = models.PositiveIntegerField(_("jumlah"))
    unit_price = models.BigIntegerField(_("harga (Rp)"))
    commission = models.BigIntegerField(_("komisi (Rp)"), null=True, blank=True)
    returned_quantity = models.PositiveIntegerField(_("jumlah diretur"), default=0)
    online = models.BooleanField(default=False)

    class Meta:
        ordering = ["sale_id", "position"]
        verbose_name = _("baris penjualan kasir")
        verbose_name_plural = _("baris penjualan kasir")
        constraints = [models.UniqueConstraint(fields=["sale", "position"], name="konsinyasi_saleline_unique")]

    def __str__(self) -> str:
        return f"{self.product_name} × {self.quantity}"

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price

    @property
    def source_key(self) -> str:
        return f"konsinyasi:sale:{self.sale_id}:line:{self.position}"


class DayClosing(models.Model):
    """The end of a location's day: cash expected from the day's cash sales against the cash counted.
    Once closed, the day takes no sale and no cancellation."""

    REGENCY_FIELD = "location__regency"

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="closings")
    day = models.DateField(_("tanggal"))
    sales_count = models.PositiveIntegerField(default=0)
    cash_total = models.BigIntegerField(_("penjualan tunai (Rp)"))
    qris_total = models.BigIntegerField(_("penjualan QRIS (Rp)"))
    opening_cash = models.BigIntegerField(_("modal kas awal (Rp)"), default=0)
    expected_cash = models.BigIntegerField(_("kas seharusnya (Rp)"))
    counted_cash = models.BigIntegerField(_("kas dihitung (Rp)"))
    reason = models.CharField(_("alasan selisih"), max_length=300, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("tutup kasir")
        verbose_name_plural = _("tutup kasir")
        constraints = [models.UniqueConstraint(fields=["location", "day"], name="konsinyasi_closing_unique")]

    def __str__(self) -> str:
        return f"{self.location} {self.day}"

    @property
    def difference(self) -> int:
        return self.counted_cash - self.expected_cash
