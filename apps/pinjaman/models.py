"""Kredit Mawar (SPEC §9): partner banks, schemes as data, loans with their schedule and repayments.

Money is whole rupiah (BigIntegerField); rates and percentages are Decimal. A scheme's bank rate is
versioned by effective date; a bank's collectibility table is data (POJK 40/POJK.03/2019 by default).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.nik import NIKHolder


class CollectibilityTable(models.Model):
    """Days-past-due bands → kolektibilitas 1–5, one table per bank (several banks may share one)."""

    name = models.CharField(_("nama tabel"), max_length=120, unique=True)
    basis = models.CharField(_("dasar aturan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("tabel kolektibilitas")
        verbose_name_plural = _("tabel kolektibilitas")

    def __str__(self) -> str:
        return self.name


class CollectibilityBand(models.Model):
    table = models.ForeignKey(CollectibilityTable, on_delete=models.CASCADE, related_name="bands")
    kolektibilitas = models.PositiveSmallIntegerField(_("kolektibilitas"))
    label = models.CharField(_("sebutan"), max_length=60)
    min_days = models.PositiveIntegerField(_("hari tunggakan paling sedikit"))
    max_days = models.PositiveIntegerField(_("hari tunggakan paling banyak"), null=True, blank=True)

    class Meta:
        verbose_name = _("baris kolektibilitas")
        verbose_name_plural = _("baris kolektibilitas")
        ordering = ["table", "kolektibilitas"]
        constraints = [
            models.UniqueConstraint(fields=["table", "kolektibilitas"], name="pinjaman_band_unique"),
            models.CheckConstraint(
                condition=models.Q(kolektibilitas__gte=1, kolektibilitas__lte=5), name="pinjaman_band_kol_1_5"
            ),
            models.CheckConstraint(
                condition=models.Q(max_days__isnull=True) | models.Q(max_days__gte=models.F("min_days")),
                name="pinjaman_band_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kolektibilitas} {self.label}"


class Bank(models.Model):
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama bank"), max_length=150)
    regency = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    collectibility_table = models.ForeignKey(
        CollectibilityTable, on_delete=models.PROTECT, related_name="banks", verbose_name=_("tabel kolektibilitas")
    )
    address = models.CharField(_("alamat"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("bank mitra")
        verbose_name_plural = _("bank mitra")

    def __str__(self) -> str:
        return self.name


class BankOfficer(models.Model):
    """A user with role `bank` works for one partner bank and sees only what was recommended to it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bank_officer")
    bank = models.ForeignKey(Bank, on_delete=models.CASCADE, related_name="officers")

    class Meta:
        verbose_name = _("petugas bank")
        verbose_name_plural = _("petugas bank")

    def __str__(self) -> str:
        return f"{self.user} – {self.bank}"


class TargetGroup(models.TextChoices):
    UMKM = "umkm", _("UMKM binaan dinas")
    PEDAGANG_PASAR = "pedagang_pasar", _("Pedagang pasar")


class Scheme(models.Model):
    """One programme year with one partner bank. Edited by an administrator; loans keep their terms."""

    code = models.CharField(_("kode skema"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=150)
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="schemes", verbose_name=_("bank mitra"))
    regency = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun program"))
    target_group = models.CharField(_("sasaran"), max_length=20, choices=TargetGroup.choices, default=TargetGroup.UMKM)
    first_loan_floor = models.BigIntegerField(_("pinjaman pertama paling sedikit (Rp)"))
    first_loan_ceiling = models.BigIntegerField(_("pinjaman pertama paling banyak (Rp)"))
    repeat_loan_ceiling = models.BigIntegerField(_("pinjaman ulang paling banyak (Rp)"))
    repeat_requires_closed = models.BooleanField(_("pinjaman ulang: pinjaman sebelumnya harus lunas"), default=True)
    repeat_max_days_late = models.PositiveIntegerField(
        _("pinjaman ulang: tunggakan terlama sebelumnya paling banyak (hari)"), default=0
    )
    tenor_months = models.PositiveSmallIntegerField(_("jangka waktu (bulan)"))
    borrower_rate_percent = models.DecimalField(
        _("bunga bagi peminjam (persen setahun)"), max_digits=7, decimal_places=4, default=Decimal("0")
    )
    provision_percent = models.DecimalField(_("provisi (persen)"), max_digits=7, decimal_places=4, default=Decimal("0"))
    rounding_unit = models.PositiveIntegerField(_("pembulatan angsuran ke bawah (Rp)"), default=1000)
    arrears_tolerance = models.PositiveIntegerField(_("toleransi kurang bayar angsuran (Rp)"), default=0)
    subsidy_stops_after_last_due = models.BooleanField(_("subsidi berhenti setelah jatuh tempo terakhir"), default=True)
    subsidy_excludes_macet = models.BooleanField(_("tanpa subsidi pada hari berkolektibilitas 5"), default=True)
    accepts_applications = models.BooleanField(_("menerima permohonan"), default=True)
    notes = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("skema kredit")
        verbose_name_plural = _("skema kredit")
        ordering = ["-year", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_loan_floor__gte=0)
                & models.Q(first_loan_ceiling__gte=models.F("first_loan_floor"))
                & models.Q(repeat_loan_ceiling__gte=models.F("first_loan_ceiling")),
                name="pinjaman_scheme_limits",
            ),
            models.CheckConstraint(condition=models.Q(tenor_months__gte=1), name="pinjaman_scheme_tenor"),
            models.CheckConstraint(condition=models.Q(rounding_unit__gte=1), name="pinjaman_scheme_rounding"),
        ]

    def __str__(self) -> str:
        return self.code


class BankRate(models.Model):
    """The bank's contract rate for the subsidy, from a date on (a new rate is a new row)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="rates")
    effective_from = models.DateField(_("berlaku mulai"))
    annual_rate_percent = models.DecimalField(_("suku bunga bank (persen setahun)"), max_digits=7, decimal_places=4)

    class Meta:
        verbose_name = _("suku bunga bank")
        verbose_name_plural = _("suku bunga bank")
        ordering = ["scheme", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "effective_from"], name="pinjaman_rate_unique"),
            models.CheckConstraint(
                condition=models.Q(annual_rate_percent__gte=0, annual_rate_percent__lte=100),
                name="pinjaman_rate_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.annual_rate_percent}% {self.effective_from}"


class CheckSeverity(models.TextChoices):
    HARD = "tolak", _("Menghentikan (wajib)")
    WARNING = "peringatan", _("Peringatan")


class CheckCode(models.TextChoices):
    """The automatic checks an application passes; each scheme picks them and their severity."""

    DOMISILI = "domisili", _("Peminjam tinggal di kabupaten skema")
    USAHA_DI_KABUPATEN = "usaha_di_kabupaten", _("Usaha berada di kabupaten skema")
    TERDAFTAR = "terdaftar", _("Usaha terdaftar di registri UMKM")
    BATAS_PLAFON = "batas_plafon", _("Jumlah dalam batas skema")
    TANPA_PINJAMAN_AKTIF = "tanpa_pinjaman_aktif", _("Tidak ada pinjaman Kredit Mawar yang belum lunas")
    PINJAMAN_ULANG = "pinjaman_ulang", _("Syarat pinjaman ulang")
    TANPA_PINJAMAN_BANK = "tanpa_pinjaman_bank", _("Tidak punya pinjaman bank lain (pernyataan pemohon)")
    NIK_VALID = "nik_valid", _("NIK berbentuk benar")


class EligibilityCheck(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="checks")
    code = models.CharField(_("pemeriksaan"), max_length=30, choices=CheckCode.choices)
    severity = models.CharField(_("sifat"), max_length=12, choices=CheckSeverity.choices)

    class Meta:
        verbose_name = _("syarat kelayakan")
        verbose_name_plural = _("syarat kelayakan")
        ordering = ["scheme", "pk"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="pinjaman_check_unique")]

    def __str__(self) -> str:
        return f"{self.scheme}: {self.get_code_display()}"


class LoanStatus(models.TextChoices):
    AKTIF = "aktif", _("Berjalan")
    LUNAS = "lunas", _("Lunas")
    HAPUS_BUKU = "hapus_buku", _("Hapus buku")


class LoanSource(models.TextChoices):
    IMPOR = "impor", _("Berkas bank")
    PERMOHONAN = "permohonan", _("Permohonan di Tuka-Tuku")


class Loan(NIKHolder):
    """One loan account at the partner bank. The debtor's NIK is stored encrypted; the registry owner
    and business are linked when matched (an unmatched loan is kept and listed for an operator)."""

    account_number = models.CharField(_("nomor rekening"), max_length=40, unique=True)
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="loans", verbose_name=_("skema"))
    regency = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    region_code_text = models.CharField(_("kode wilayah di berkas"), max_length=20, blank=True)
    debtor_name = models.CharField(_("nama debitur"), max_length=150)
    gender = models.CharField(_("jenis kelamin"), max_length=1, blank=True)
    nib = models.CharField(_("NIB"), max_length=13, blank=True)
    business_name = models.CharField(_("nama usaha"), max_length=200, blank=True)
    owner = models.ForeignKey("umkm.Owner", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    business = models.ForeignKey("umkm.Business", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    disbursed_on = models.DateField(_("tanggal pencairan"))
    plafon = models.BigIntegerField(_("plafon (Rp)"))
    tenor_months = models.PositiveSmallIntegerField(_("jangka waktu (bulan)"))
    written_off_on = models.DateField(_("tanggal hapus buku"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=LoanStatus.choices, default=LoanStatus.AKTIF)
    # reasons the bank's row falls outside the scheme (kept, as facts; shown to the operator)
    flags = models.JSONField(_("catatan pemeriksaan"), default=list, blank=True)
    source = models.CharField(_("sumber"), max_length=12, choices=LoanSource.choices, default=LoanSource.IMPOR)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pinjaman")
        verbose_name_plural = _("pinjaman")
        constraints = [
            models.CheckConstraint(condition=models.Q(plafon__gt=0), name="pinjaman_loan_plafon_positive"),
            models.CheckConstraint(condition=models.Q(tenor_months__gte=1), name="pinjaman_loan_tenor"),
        ]
        indexes = [
            models.Index(fields=["regency", "disbursed_on"], name="pinjaman_loan_regency_date"),
            models.Index(fields=["nik_hash"], name="pinjaman_loan_nik"),
        ]

    def __str__(self) -> str:
        return self.account_number


class Instalment(models.Model):
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField(_("angsuran ke"))
    due_on = models.DateField(_("jatuh tempo"))
    principal = models.BigIntegerField(_("pokok (Rp)"))

    class Meta:
        verbose_name = _("jadwal angsuran")
        verbose_name_plural = _("jadwal angsuran")
        ordering = ["loan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "number"], name="pinjaman_instalment_unique"),
            models.CheckConstraint(condition=models.Q(principal__gte=0), name="pinjaman_instalment_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.loan} #{self.number}"


class RepaymentStatus(models.TextChoices):
    APPLIED = "diterapkan", _("Membayar pokok")
    RECOVERY = "pemulihan", _("Pemulihan setelah hapus buku")
    REFUSED = "ditolak", _("Ditolak: melebihi sisa pinjaman")


class Repayment(models.Model):
    """A repayment as the bank recorded it, keyed on (account, transaction number). Its outcome is
    decided over the loan's whole sequence (date, then transaction number) by `rules`."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="repayments")
    transaction_number = models.CharField(_("nomor transaksi"), max_length=60)
    paid_on = models.DateField(_("tanggal bayar"))
    amount = models.BigIntegerField(_("jumlah (Rp)"))
    status = models.CharField(
        _("hasil"), max_length=12, choices=RepaymentStatus.choices, default=RepaymentStatus.APPLIED
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pembayaran angsuran")
        verbose_name_plural = _("pembayaran angsuran")
        ordering = ["loan", "paid_on", "transaction_number"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "transaction_number"], name="pinjaman_repayment_unique"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="pinjaman_repayment_positive"),
        ]
        indexes = [models.Index(fields=["loan", "paid_on"], name="pinjaman_repayment_loan_date")]

    def __str__(self) -> str:
        return f"{self.loan} {self.transaction_number}"
