"""Settlement to sellers (SPEC §12, issue #14): what the department owes each seller for the sales whose
money reached the department's account first (web store paid by transfer or gateway, showroom and
outlets, festival booths, government-office invoices), minus its commission and fees, minus payouts.

A statement covers one seller, one collecting department (regency) and one month. While open its lines are
read from the omzet ledger; closing it stores them as `StatementLine` rows that are never recomputed, so a
later ledger change (a return, a correction) lands in the next open statement as a correction line.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.uploads import ProtectedFileField


class CommissionRule(models.Model):
    """The department's commission on a sale: a percentage (basis points: 1000 = 10%) of the line's value
    and/or a fixed fee per unit, for one channel or all, for every seller or one, valid from a date. The
    rule of a line is the most specific one valid on the line's date (seller before default, channel
    before all channels, then the latest `valid_from`); a sale with an agreed commission in the ledger
    (consigned goods) keeps that one."""

    REGENCY_FIELD = "regency"

    regency = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    channel_code = models.SlugField(
        _("kanal"), max_length=30, blank=True, help_text=_("kode kanal (web, showroom, …); kosong = semua kanal")
    )
    seller = models.ForeignKey(
        "store.Seller",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("penjual"),
        help_text=_("kosong = aturan umum untuk semua penjual"),
    )
    percent_bp = models.PositiveIntegerField(
        _("persentase (basis poin)"), default=0, help_text=_("1000 = 10%; 250 = 2,5%")
    )
    fee_per_unit = models.BigIntegerField(_("biaya per unit (Rp)"), default=0)
    valid_from = models.DateField(_("berlaku mulai"))
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["regency_id", "-valid_from", "channel_code"]
        verbose_name = _("aturan komisi")
        verbose_name_plural = _("aturan komisi")
        constraints = [
            models.CheckConstraint(condition=models.Q(percent_bp__lte=10000), name="settlement_rule_percent_le_100"),
            models.CheckConstraint(condition=models.Q(fee_per_unit__gte=0), name="settlement_rule_fee_nonneg"),
            models.UniqueConstraint(
                fields=["regency", "channel_code", "seller", "valid_from"],
                name="settlement_rule_seller_unique",
                condition=models.Q(seller__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["regency", "channel_code", "valid_from"],
                name="settlement_rule_default_unique",
                condition=models.Q(seller__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel_code or '*'} {self.percent_bp}bp + {self.fee_per_unit} ({self.valid_from})"


class StatementStatus(models.TextChoices):
    OPEN = "terbuka", _("Terbuka")
    CLOSED = "ditutup", _("Ditutup")


class Statement(models.Model):
    """One seller's statement from one collecting department for one month (`period` = its first day)."""

    REGENCY_FIELD = "regency"

    regency = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("dinas penagih")
    )
    seller = models.ForeignKey(
        "store.Seller", on_delete=models.PROTECT, related_name="statements", verbose_name=_("penjual")
    )
    period = models.DateField(_("periode"))
    status = models.CharField(_("status"), max_length=10, choices=StatementStatus.choices, default=StatementStatus.OPEN)
    # Frozen when the statement is closed (while open they are computed from the ledger).
    opening_balance = models.BigIntegerField(_("saldo awal (Rp)"), default=0)
    gross = models.BigIntegerField(_("penjualan bruto (Rp)"), default=0)
    commission = models.BigIntegerField(_("komisi (Rp)"), default=0)
    net = models.BigIntegerField(_("penjualan bersih (Rp)"), default=0)
    adjustments = models.BigIntegerField(_("biaya/penyesuaian (Rp)"), default=0)
    payouts = models.BigIntegerField(_("dibayarkan (Rp)"), default=0)
    closing_balance = models.BigIntegerField(_("saldo akhir (Rp)"), default=0)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period", "seller__shop_name"]
        verbose_name = _("laporan penyelesaian")
        verbose_name_plural = _("laporan penyelesaian")
        constraints = [
            models.UniqueConstraint(fields=["regency", "seller", "period"], name="settlement_statement_unique"),
            models.CheckConstraint(condition=models.Q(period__day=1), name="settlement_period_first_day"),
        ]
        indexes = [models.Index(fields=["regency", "period"], name="settlement_regency_period_idx")]

    def __str__(self) -> str:
        return f"{self.seller} {self.period:%Y-%m}"

    @property
    def is_closed(self) -> bool:
        return self.status == StatementStatus.CLOSED


class LineKind(models.TextChoices):
    SALE = "penjualan", _("Penjualan")
    RETURN = "retur", _("Retur/pembatalan")
    CORRECTION = "koreksi", _("Koreksi periode lalu")


class StatementLine(models.Model):
    """A ledger line as a closed statement counted it (a snapshot: never recomputed). A correction line
    is the difference between the ledger line now and what earlier closed statements counted of it."""

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="lines")
    omzet_line = models.ForeignKey("omzet.OmzetLine", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("jenis"), max_length=10, choices=LineKind.choices)
    counted_at = models.DateTimeField(_("tanggal"))
    channel_name = models.CharField(_("kanal"), max_length=80)
    source = models.CharField(_("sumber"), max_length=255)
    product_name = models.CharField(_("produk"), max_length=255)
    quantity = models.IntegerField(_("jumlah"))
    gross = models.BigIntegerField(_("bruto (Rp)"))
    commission = models.BigIntegerField(_("komisi (Rp)"))
    net = models.BigIntegerField(_("bersih (Rp)"))

    class Meta:
        ordering = ["counted_at", "pk"]
        verbose_name = _("baris laporan penyelesaian")
        verbose_name_plural = _("baris laporan penyelesaian")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(net=models.F("gross") - models.F("commission")), name="settlement_line_net"
            ),
        ]
        indexes = [models.Index(fields=["omzet_line"], name="settlement_line_omzet_idx")]

    def __str__(self) -> str:
        return f"{self.source} {self.net}"


class Adjustment(models.Model):
    """A fee or an adjustment an officer enters on an open statement (negative: charged to the seller,
    e.g. the festival booth fee; positive: owed to the seller). The reason is required."""

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="adjustment_rows")
    date = models.DateField(_("tanggal"))
    amount = models.BigIntegerField(_("jumlah (Rp)"))
    reason = models.CharField(_("alasan"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("biaya/penyesuaian")
        verbose_name_plural = _("biaya/penyesuaian")
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="settlement_adjustment_nonzero"),
            models.CheckConstraint(condition=~models.Q(reason=""), name="settlement_adjustment_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.reason} {self.amount}"


class Payout(models.Model):
    """Money the department transferred to the seller, on an open statement."""

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="payout_rows")
    date = models.DateField(_("tanggal bayar"))
    amount = models.BigIntegerField(_("jumlah (Rp)"))
    reference = models.CharField(_("referensi bank"), max_length=100)
    proof = ProtectedFileField(_("bukti transfer"), upload_to="bukti-pembayaran-penjual", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("pembayaran ke penjual")
        verbose_name_plural = _("pembayaran ke penjual")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="settlement_payout_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.amount}"
