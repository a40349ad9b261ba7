"""Web-store sales (SPEC §6): cart, checkout into one order per seller under one payment, fulfilment.

Money is whole rupiah. Invariants kept by the services and checked by constraints where a row can:
line_total = (unit_price − discount) × quantity; order.total = goods_total + shipping_cost;
payment.amount = Σ order.total of its orders.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.uploads import ProtectedFileField


class Cart(models.Model):
    """A guest's cart (its id kept in the session) or an account holder's cart (one per user)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="cart"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("keranjang")
        verbose_name_plural = _("keranjang")

    def __str__(self) -> str:
        return f"keranjang #{self.pk}"


class CartItem(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="items")
    variant = models.ForeignKey("store.Variant", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(_("jumlah"))
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("isi keranjang")
        verbose_name_plural = _("isi keranjang")
        constraints = [
            models.UniqueConstraint(fields=["cart", "variant"], name="cart_item_unique_variant"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="cart_item_quantity_positive"),
        ]


class RateKind(models.TextChoices):
    FLAT = "flat", _("Tarif tetap per pesanan")
    PER_KG = "per_kg", _("Per kg (dibulatkan ke atas)")


class ShippingRate(models.Model):
    """A courier service a seller offers, priced for a destination regency (or any destination).

    The most specific row wins for a (seller, courier, service): the destination regency's row, else
    the row without a destination. `seller` empty means a department-wide default for every seller.
    """

    seller = models.ForeignKey(
        "store.Seller", null=True, blank=True, on_delete=models.CASCADE, related_name="shipping_rates"
    )
    destination_regency = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    courier = models.CharField(_("kurir"), max_length=40)
    service = models.CharField(_("layanan"), max_length=40)
    kind = models.CharField(_("cara hitung"), max_length=10, choices=RateKind.choices)
    amount = models.BigIntegerField(_("tarif (Rp)"))
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("tarif ongkir")
        verbose_name_plural = _("tarif ongkir")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="shipping_rate_amount_nonnegative"),
            models.UniqueConstraint(
                fields=["seller", "destination_regency", "courier", "service"],
                name="shipping_rate_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.courier} {self.service}"


class PaymentMethod(models.TextChoices):
    TRANSFER = "transfer", _("Transfer bank")
    COD = "cod", _("Bayar di tempat (COD)")
    GATEWAY = "gateway", _("Pembayaran daring (Midtrans)")


class PaymentStatus(models.TextChoices):
    PENDING = "menunggu", _("Menunggu pembayaran")
    VERIFYING = "verifikasi", _("Menunggu verifikasi")
    PAID = "dibayar", _("Dibayar")
    COD = "cod", _("Bayar di tempat")
    EXPIRED = "kedaluwarsa", _("Kedaluwarsa")
    CANCELLED = "dibatalkan", _("Dibatalkan")
    PAID_LATE = "dibayar_terlambat", _("Dibayar setelah kedaluwarsa (perlu pengembalian dana)")


class Payment(models.Model):
    """One payment for one checkout: it covers the orders of every seller in the cart."""

    code = models.CharField(_("kode pembayaran"), max_length=32, unique=True)
    access_token = models.CharField(max_length=43, unique=True, editable=False)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    buyer_name = models.CharField(_("nama pembeli"), max_length=150)
    buyer_email = models.EmailField(_("e-mail"))
    buyer_phone = models.CharField(_("nomor HP"), max_length=20)
    method = models.CharField(_("metode"), max_length=10, choices=PaymentMethod.choices)
    status = models.CharField(_("status"), max_length=20, choices=PaymentStatus.choices)
    amount = models.BigIntegerField(_("jumlah (Rp)"))
    expires_at = models.DateTimeField(_("batas bayar"), null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    proof = ProtectedFileField(_("bukti transfer"), upload_to="bukti-transfer", blank=True)
    proof_uploaded_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.CharField(_("catatan verifikasi"), max_length=300, blank=True)
    gateway_status = models.CharField(max_length=20, blank=True)
    gateway_transaction_id = models.CharField(max_length=64, blank=True)
    # When the buyer proved the e-mail typed at checkout is theirs (the link in the first mail), or the
    # checkout of an account holder with the account's address. Until then: no further mail, and a cash-on-
    # delivery checkout holds its stock only until `expires_at` (ORDERS_COD_CONFIRM_HOURS).
    contact_confirmed_at = models.DateTimeField(_("e-mail dikonfirmasi"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pembayaran")
        verbose_name_plural = _("pembayaran")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="payment_amount_nonnegative"),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="payment_status_expiry_idx")]

    def __str__(self) -> str:
        return self.code


class OrderStatus(models.TextChoices):
    PLACED = "dipesan", _("Dipesan")
    PAID = "dibayar", _("Dibayar")
    PROCESSING = "diproses", _("Diproses")
    SHIPPED = "dikirim", _("Dikirim")
    DELIVERED = "diterima", _("Sampai tujuan")
    COMPLETED = "selesai", _("Selesai")
    CANCELLED = "dibatalkan", _("Dibatalkan")
    RETURNED = "diretur", _("Diretur")
    REFUNDED = "dana_kembali", _("Dana dikembalikan")


class StatusTone(models.TextChoices):
    """How an order's status reads on a list, from the seller's side: what needs doing now, what waits on
    someone else, what is over. Each tone has its colour and its sign (not by colour alone)."""

    ACT = "act", _("perlu tindakan")
    WAIT = "wait", _("menunggu")
    DONE = "done", _("selesai")
    STOPPED = "stopped", _("batal")


STATUS_TONE: dict[str, str] = {
    OrderStatus.PAID: StatusTone.ACT,  # paid: pack and ship
    OrderStatus.PROCESSING: StatusTone.ACT,  # packed: hand to the courier
    OrderStatus.PLACED: StatusTone.WAIT,  # waiting for the payment (cash on delivery: the page offers "Proses")
    OrderStatus.SHIPPED: StatusTone.WAIT,
    OrderStatus.DELIVERED: StatusTone.WAIT,
    OrderStatus.COMPLETED: StatusTone.DONE,
    OrderStatus.CANCELLED: StatusTone.STOPPED,
    OrderStatus.RETURNED: StatusTone.STOPPED,
    OrderStatus.REFUNDED: StatusTone.STOPPED,
}
# the statuses a seller acts on now, in the order the home page and the lists put first
ACT_NOW = tuple(s for s, tone in STATUS_TONE.items() if tone == StatusTone.ACT)


class ShippingMethod(models.TextChoices):
    COURIER = "kurir", _("Kurir")
    PICKUP = "ambil", _("Ambil sendiri di toko")


class Order(models.Model):
    """The part of a checkout one seller fulfils. Its regency is the seller's (who runs the sale)."""

    REGENCY_FIELD = "regency"

    number = models.CharField(_("nomor pesanan"), max_length=40, unique=True)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="orders")
    seller = models.ForeignKey("store.Seller", on_delete=models.PROTECT, related_name="orders")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    regency = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=15, choices=OrderStatus.choices, default=OrderStatus.PLACED)
    # Destination, copied at checkout so a later profile change does not move a sent parcel.
    recipient_name = models.CharField(_("nama penerima"), max_length=150)
    recipient_phone = models.CharField(_("nomor HP penerima"), max_length=20)
    address = models.CharField(_("alamat"), max_length=300)
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    postal_code = models.CharField(_("kode pos"), max_length=5, blank=True)
    shipping_method = models.CharField(_("pengiriman"), max_length=10, choices=ShippingMethod.choices)
    courier = models.CharField(_("kurir"), max_length=40, blank=True)
    courier_service = models.CharField(_("layanan"), max_length=40, blank=True)
    tracking_number = models.CharField(_("nomor resi"), max_length=60, blank=True)
    weight_grams = models.PositiveIntegerField(_("berat (gram)"), default=0)
    goods_total = models.BigIntegerField(_("total barang (Rp)"))
    shipping_cost = models.BigIntegerField(_("ongkos kirim (Rp)"))
    total = models.BigIntegerField(_("total (Rp)"))
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    status_note = models.CharField(_("keterangan status"), max_length=300, blank=True)
    placed_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # cancelled, refunded or returned
    stock_released = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("pesanan")
        verbose_name_plural = _("pesanan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total=models.F("goods_total") + models.F("shipping_cost")),
                name="order_total_is_goods_plus_shipping",
            ),
            models.CheckConstraint(condition=models.Q(shipping_cost__gte=0), name="order_shipping_nonnegative"),
            models.CheckConstraint(condition=models.Q(goods_total__gte=0), name="order_goods_nonnegative"),
        ]
        indexes = [
            models.Index(fields=["seller", "status"], name="order_seller_status_idx"),
            models.Index(fields=["regency", "status"], name="order_regency_status_idx"),
            models.Index(fields=["status", "shipped_at"], name="order_status_shipped_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def status_tone(self) -> str:
        return STATUS_TONE.get(self.status, StatusTone.WAIT)

    @property
    def status_tone_label(self) -> str:
        return str(StatusTone(self.status_tone).label)


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("store.Variant", on_delete=models.PROTECT, related_name="+")
    product_name = models.CharField(_("produk"), max_length=200)
    variant_name = models.CharField(_("varian"), max_length=100, blank=True)
    sku = models.CharField(_("SKU"), max_length=64)
    unit_price = models.BigIntegerField(_("harga satuan (Rp)"))
    discount = models.BigIntegerField(_("diskon per unit (Rp)"), default=0)
    quantity = models.PositiveIntegerField(_("jumlah"))
    line_total = models.BigIntegerField(_("subtotal (Rp)"))
    returned_quantity = models.PositiveIntegerField(_("jumlah diretur"), default=0)

    class Meta:
        verbose_name = _("baris pesanan")
        verbose_name_plural = _("baris pesanan")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="order_line_quantity_positive"),
            models.CheckConstraint(
                condition=models.Q(line_total=(models.F("unit_price") - models.F("discount")) * models.F("quantity")),
                name="order_line_total_consistent",
            ),
            models.CheckConstraint(
                condition=models.Q(returned_quantity__lte=models.F("quantity")), name="order_line_return_le_qty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_name} × {self.quantity}"

    @property
    def unit_net(self) -> int:
        return self.unit_price - self.discount

    @property
    def omzet_source_key(self) -> str:
        return f"web:{self.order.number}:{self.pk}"


class OrderReturn(models.Model):
    """Goods that came back after completion; each line reverses its share of the omzet ledger."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="returns")
    reason = models.CharField(_("alasan"), max_length=300)
    amount = models.BigIntegerField(_("nilai retur (Rp)"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("retur")
        verbose_name_plural = _("retur")


class OrderReturnLine(models.Model):
    order_return = models.ForeignKey(OrderReturn, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="return_lines")
    quantity = models.PositiveIntegerField()
    amount = models.BigIntegerField()


class GatewayNotification(models.Model):
    """Every notification the gateway sent us, kept for support and to show what was (not) applied."""

    order_id = models.CharField(max_length=64, db_index=True)
    transaction_status = models.CharField(max_length=20)
    fraud_status = models.CharField(max_length=20, blank=True)
    signature_valid = models.BooleanField()
    outcome = models.CharField(max_length=40)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notifikasi gateway")
        verbose_name_plural = _("notifikasi gateway")


class SavedAddress(models.Model):
    """A delivery address an account holder saved at checkout, to pick next time instead of typing it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_addresses")
    name = models.CharField(_("nama penerima"), max_length=150)
    phone = models.CharField(_("nomor HP"), max_length=16)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("alamat (jalan, RT/RW)"), max_length=300)
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    postal_code = models.CharField(_("kode pos"), max_length=5, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_used_at", "-pk"]
        verbose_name = _("alamat tersimpan")
        verbose_name_plural = _("alamat tersimpan")
        indexes = [models.Index(fields=["user", "last_used_at"], name="savedaddress_user_used_idx")]

    def __str__(self) -> str:
        return f"{self.name}, {self.address}"
