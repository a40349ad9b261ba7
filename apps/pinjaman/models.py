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
    # Set while the stored subsidy days of this scheme's loans wait for a background recomputation after an
    # edit (too many loans to do it within the edit): reads then compute those loans' subsidy from their
    # transactions instead (`selectors.loan_month_subsidies`), and pages say it is being recomputed.
    subsidy_days_pending_since = models.DateTimeField(null=True, blank=True, editable=False)

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
    # principal of this and every earlier instalment: the oldest unpaid one is the first whose
    # cumulative exceeds what was repaid (a set-based read of days past due)
    cumulative = models.BigIntegerField(default=0, editable=False)

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


class SubsidySegment(models.Model):
    """A run of the loan's subsidy days with one end-of-day baki debet (from `rules.subsidy_segments`),
    kept by `loans_recompute`: the subsidy of any period is a set-based sum over these runs."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="segments")
    start_on = models.DateField()
    end_on = models.DateField()
    baki = models.BigIntegerField()

    class Meta:
        verbose_name = _("hari bersubsidi")
        verbose_name_plural = _("hari bersubsidi")
        indexes = [models.Index(fields=["loan", "start_on"], name="pinjaman_segment_loan")]

    def __str__(self) -> str:
        return f"{self.loan_id} {self.start_on}–{self.end_on}"


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


class Channel(models.TextChoices):
    ONLINE = "online", _("Diajukan pemilik usaha")
    OPERATOR = "operator", _("Diajukan operator dinas")


class ApplicationStatus(models.TextChoices):
    DIAJUKAN = "diajukan", _("Diajukan")
    TIDAK_LAYAK = "tidak_layak", _("Tidak lolos pemeriksaan")
    DIREKOMENDASIKAN = "direkomendasikan", _("Direkomendasikan ke bank")
    DISETUJUI = "disetujui", _("Disetujui bank")
    DITOLAK = "ditolak", _("Ditolak bank")
    DICAIRKAN = "dicairkan", _("Dicairkan")


class SlikResult(models.TextChoices):
    BERSIH = "bersih", _("Tidak ada pinjaman / riwayat lancar")
    BERMASALAH = "bermasalah", _("Ada kredit bermasalah")
    ADA_PINJAMAN = "ada_pinjaman", _("Masih punya pinjaman bank lain")


class RecommendationBatch(models.Model):
    """A letter from the department recommending applications to a partner bank."""

    number = models.CharField(_("nomor surat"), max_length=60, unique=True)
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="batches", verbose_name=_("bank mitra"))
    regency = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    letter_date = models.DateField(_("tanggal surat"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("surat rekomendasi")
        verbose_name_plural = _("surat rekomendasi")
        ordering = ["-letter_date", "-pk"]

    def __str__(self) -> str:
        return self.number


class Application(models.Model):
    """A loan application from a registry business: by its owner on a phone or by an operator. The
    NIK is the registry owner's (stored encrypted there); nothing of it goes into URLs."""

    number = models.CharField(_("nomor permohonan"), max_length=30, unique=True)
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="applications", verbose_name=_("skema"))
    business = models.ForeignKey("umkm.Business", on_delete=models.PROTECT, related_name="+", verbose_name=_("usaha"))
    owner = models.ForeignKey("umkm.Owner", on_delete=models.PROTECT, related_name="+")
    regency = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    residence_village = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("desa/kelurahan tempat tinggal"),
    )  # fmt: skip
    amount_requested = models.BigIntegerField(_("jumlah yang diminta (Rp)"))
    purpose = models.CharField(_("keperluan"), max_length=300)
    no_other_bank_loan = models.BooleanField(_("tidak punya pinjaman bank lain"), default=False)
    channel = models.CharField(_("cara pengajuan"), max_length=10, choices=Channel.choices)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    # [{"code", "label", "severity", "passed", "reason"}] as evaluated at submission
    checks = models.JSONField(_("hasil pemeriksaan"), default=list)
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DIAJUKAN
    )
    batch = models.ForeignKey(
        RecommendationBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    slik_result = models.CharField(_("hasil SLIK"), max_length=20, choices=SlikResult.choices, blank=True)
    approved_amount = models.BigIntegerField(_("jumlah disetujui (Rp)"), null=True, blank=True)
    rejection_reason = models.CharField(_("alasan penolakan"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    loan = models.OneToOneField(Loan, on_delete=models.PROTECT, null=True, blank=True, related_name="application")

    class Meta:
        verbose_name = _("permohonan kredit")
        verbose_name_plural = _("permohonan kredit")
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_requested__gt=0), name="pinjaman_app_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(approved_amount__isnull=True)
                | models.Q(approved_amount__gt=0, approved_amount__lte=models.F("amount_requested")),
                name="pinjaman_app_approved_within_request",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def hard_failures(self) -> list[dict]:
        return [c for c in self.checks if not c["passed"] and c["severity"] == CheckSeverity.HARD]


class Restructuring(models.Model):
    """The outstanding principal on a date spread anew over a number of months (the paid part of the
    old schedule is kept), with its reason and actor."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="restructurings")
    effective_on = models.DateField(_("berlaku mulai"))
    tenor_months = models.PositiveSmallIntegerField(_("jangka waktu baru (bulan)"))
    reason = models.CharField(_("alasan"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("restrukturisasi")
        verbose_name_plural = _("restrukturisasi")
        ordering = ["loan", "effective_on"]

    def __str__(self) -> str:
        return f"{self.loan} {self.effective_on}"


class BorrowerNotice(models.Model):
    """A message to the borrower about their application or loan (also e-mailed when they have an address)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="loan_notices")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    text = models.CharField(_("pesan"), max_length=400)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pemberitahuan peminjam")
        verbose_name_plural = _("pemberitahuan peminjam")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:60]


class ClaimStatus(models.TextChoices):
    DRAF = "draf", _("Draf")
    DIVERIFIKASI = "diverifikasi", _("Diverifikasi operator")
    DISETUJUI = "disetujui", _("Disetujui kepala dinas")
    DIBAYAR = "dibayar", _("Dibayar")


class SubsidyClaim(models.Model):
    """The bank's monthly interest-subsidy claim (tagihan): one per bank per month. Approved claims are
    frozen; a later correction goes into the next claim as an adjustment line."""

    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="claims", verbose_name=_("bank mitra"))
    regency = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    month = models.PositiveSmallIntegerField(_("bulan"))
    status = models.CharField(_("status"), max_length=15, choices=ClaimStatus.choices, default=ClaimStatus.DRAF)
    total = models.BigIntegerField(_("jumlah tagihan (Rp)"), default=0)
    bank_total = models.BigIntegerField(_("jumlah menurut bank (Rp)"), null=True, blank=True)
    bank_file_name = models.CharField(_("berkas bank"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_on = models.DateField(_("tanggal bayar"), null=True, blank=True)
    payment_reference = models.CharField(_("referensi pembayaran"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("tagihan subsidi bunga")
        verbose_name_plural = _("tagihan subsidi bunga")
        ordering = ["-year", "-month", "bank"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "year", "month"], name="pinjaman_claim_unique"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="pinjaman_claim_month"),
        ]

    def __str__(self) -> str:
        return f"{self.bank} {self.month:02d}/{self.year}"

    @property
    def frozen(self) -> bool:
        return self.status in (ClaimStatus.DISETUJUI, ClaimStatus.DIBAYAR)


class ClaimLineKind(models.TextChoices):
    BULAN = "bulan", _("Subsidi bulan tagihan")
    PENYESUAIAN = "penyesuaian", _("Penyesuaian bulan sebelumnya")


class ClaimLine(models.Model):
    """One loan's subsidy for one calendar month (rounded half up once), or an adjustment of an earlier
    month already approved; with the bank's own figure once its file is uploaded."""

    claim = models.ForeignKey(SubsidyClaim, on_delete=models.CASCADE, related_name="lines")
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="claim_lines")
    kind = models.CharField(_("jenis"), max_length=12, choices=ClaimLineKind.choices, default=ClaimLineKind.BULAN)
    period_year = models.PositiveSmallIntegerField(_("tahun periode"))
    period_month = models.PositiveSmallIntegerField(_("bulan periode"))
    amount = models.BigIntegerField(_("subsidi (Rp)"))
    bank_amount = models.BigIntegerField(_("menurut bank (Rp)"), null=True, blank=True)

    class Meta:
        verbose_name = _("baris tagihan")
        verbose_name_plural = _("baris tagihan")
        ordering = ["claim", "kind", "loan__account_number", "period_year", "period_month"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "loan", "kind", "period_year", "period_month"], name="pinjaman_claim_line_unique"
            )
        ]
        indexes = [models.Index(fields=["loan", "period_year", "period_month"], name="pinjaman_line_loan_period")]

    def __str__(self) -> str:
        return f"{self.claim} {self.loan}"

    @property
    def difference(self) -> int | None:
        return None if self.bank_amount is None else self.bank_amount - self.amount
