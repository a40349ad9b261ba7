"""Programmes for UMKM (SPEC §10): one model for every activity of a year (training, packaging aid,
festival), the registry businesses taking part, and a training's sessions and attendance."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.uploads import ProtectedFileField


class Kind(models.TextChoices):
    TRAINING = "pelatihan", _("Pelatihan")
    PACKAGING = "bantuan_kemasan", _("Bantuan kemasan")
    FESTIVAL = "festival", _("Festival/pameran")


class Status(models.TextChoices):
    """A participant's status. Which ones a kind allows is `STATUSES_BY_KIND` (SPEC §10)."""

    REGISTERED = "terdaftar", _("Terdaftar")
    WAITING = "daftar_tunggu", _("Daftar tunggu")
    ATTENDED = "hadir", _("Hadir")
    PASSED = "lulus", _("Lulus")
    ACCEPTED = "diterima", _("Diterima")
    REJECTED = "ditolak", _("Ditolak")
    DELIVERED = "diserahkan", _("Diserahkan")
    CANCELLED = "batal", _("Batal")


STATUSES_BY_KIND: dict[str, tuple[str, ...]] = {
    Kind.TRAINING: ("terdaftar", "daftar_tunggu", "hadir", "lulus", "batal", "ditolak"),
    Kind.PACKAGING: ("terdaftar", "diterima", "ditolak", "diserahkan", "batal"),
    Kind.FESTIVAL: ("terdaftar", "diterima", "ditolak", "hadir", "batal"),
}

# The statuses each KPI figure counts (SPEC §8, §10): one definition, used by the selectors.
COUNTED: dict[str, dict[str, tuple[str, ...]]] = {
    Kind.TRAINING: {"peserta": ("hadir", "lulus"), "lulus": ("lulus",)},
    Kind.PACKAGING: {"penerima": ("diserahkan",)},
    Kind.FESTIVAL: {"peserta": ("hadir",)},
}

# statuses that hold a seat of a training's quota
SEATED = ("terdaftar", "hadir", "lulus")


class Source(models.TextChoices):
    ONLINE = "daring", _("Daftar sendiri (daring)")
    OPERATOR = "operator", _("Didaftarkan operator")
    IMPORT = "impor", _("Impor data")


TIE_BREAKS = {
    "skor": _("skor lebih tinggi"),
    "kelas": _("kelas usaha lebih kecil"),
    "waktu": _("usulan lebih awal"),
}


def default_tie_breaks() -> list[str]:
    return ["skor", "kelas", "waktu"]


class Programme(models.Model):
    """One activity (kegiatan) of a year. Imported activities are keyed on (regency, code)."""

    REGENCY_FIELD = "regency"

    regency = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("kecamatan tempat kegiatan"),
    )
    code = models.CharField(_("kode kegiatan"), max_length=60)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("nama kegiatan"), max_length=200)
    year = models.PositiveSmallIntegerField(_("tahun"), editable=False)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    place = models.CharField(_("tempat"), max_length=200, blank=True)
    description = models.TextField(_("keterangan"), blank=True)
    budget = models.BigIntegerField(_("pagu (Rp)"), default=0)
    quota = models.PositiveIntegerField(_("kuota peserta"), null=True, blank=True)
    # eligibility; empty lists mean "any"
    eligible_classes = models.JSONField(_("kelas usaha yang boleh ikut"), default=list, blank=True)
    eligible_sectors = models.JSONField(_("sektor yang boleh ikut"), default=list, blank=True)
    eligible_districts = models.JSONField(_("kecamatan yang boleh ikut"), default=list, blank=True)
    # priorities on the waiting list (SPEC §10: "priorities such as women owners")
    priority_women = models.BooleanField(_("prioritas pemilik perempuan"), default=False)
    priority_mikro = models.BooleanField(_("prioritas usaha mikro"), default=False)
    registration_opens = models.DateTimeField(_("pendaftaran dibuka"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("pendaftaran ditutup"), null=True, blank=True)
    # training settings (SPEC §10: completion = attendance >= 75% of sessions and post-test >= pass mark)
    min_attendance_percent = models.DecimalField(
        _("kehadiran minimal (%)"), max_digits=5, decimal_places=2, default=Decimal("75")
    )
    pass_mark = models.PositiveSmallIntegerField(_("nilai lulus post-test"), default=70)
    offer_hours = models.PositiveSmallIntegerField(_("batas konfirmasi kursi (jam)"), default=48)
    # packaging aid (SPEC §10): reviewers per application and the ranking's tie-breaks, in order
    min_reviewers = models.PositiveSmallIntegerField(_("penilai minimal per usulan"), default=2)
    tie_breaks = models.JSONField(_("urutan penentu bila skor sama"), default=default_tie_breaks, blank=True)
    cancelled = models.BooleanField(_("dibatalkan"), default=False)
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices, default=Source.OPERATOR)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kegiatan")
        verbose_name_plural = _("kegiatan")
        ordering = ["start_date", "title"]
        constraints = [
            models.UniqueConstraint(fields=["regency", "code"], name="programme_regency_code_unique"),
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="programme_dates"),
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="programme_budget_nonneg"),
            models.CheckConstraint(condition=models.Q(kind__in=[k.value for k in Kind]), name="programme_kind_valid"),
        ]
        indexes = [models.Index(fields=["regency", "kind", "start_date"], name="programme_regency_kind_idx")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.year = self.start_date.year
        super().save(*args, **kwargs)


def _token() -> str:
    return secrets.token_urlsafe(16)


class Participant(models.Model):
    """A registry business in an activity; one per (activity, business) (SPEC §10)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="participants")
    business = models.ForeignKey("umkm.Business", on_delete=models.PROTECT, related_name="programme_entries")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices, default=Source.OPERATOR)
    priority = models.SmallIntegerField(_("prioritas"), default=0)
    registered_at = models.DateTimeField(_("waktu daftar"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # a freed seat offered to someone on the waiting list, to confirm before this moment
    offer_expires_at = models.DateTimeField(_("batas konfirmasi"), null=True, blank=True)
    pre_test = models.PositiveSmallIntegerField(_("nilai pre-test"), null=True, blank=True)
    post_test = models.PositiveSmallIntegerField(_("nilai post-test"), null=True, blank=True)
    checkin_token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    certificate_code = models.CharField(_("kode sertifikat"), max_length=20, null=True, blank=True, unique=True)
    certificate_issued_on = models.DateField(_("tanggal sertifikat"), null=True, blank=True)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("peserta kegiatan")
        verbose_name_plural = _("peserta kegiatan")
        ordering = ["-priority", "registered_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "business"], name="participant_programme_business_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in Status]), name="participant_status_valid"
            ),
            models.CheckConstraint(condition=models.Q(pre_test__lte=100), name="participant_pre_test_range"),
            models.CheckConstraint(condition=models.Q(post_test__lte=100), name="participant_post_test_range"),
        ]
        indexes = [models.Index(fields=["programme", "status"], name="participant_status_idx")]

    def __str__(self) -> str:
        return f"{self.business} — {self.programme}"


class Session(models.Model):
    """One session (pertemuan) of a training."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("pertemuan ke"))
    date = models.DateField(_("tanggal"))
    topic = models.CharField(_("materi"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("sesi pelatihan")
        verbose_name_plural = _("sesi pelatihan")
        ordering = ["programme", "number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="session_programme_number_unique")]

    def __str__(self) -> str:
        return f"{self.programme} #{self.number}"


class AttendanceMethod(models.TextChoices):
    QR = "qr", _("Pindai kode QR")
    LIST = "daftar", _("Daftar hadir")


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attendances")
    method = models.CharField(max_length=10, choices=AttendanceMethod.choices)
    checked_at = models.DateTimeField()
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="attendance_session_participant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.session}"


# -- packaging aid (bantuan kemasan) ------------------------------------------------------------------
class Criterion(models.Model):
    """A scoring criterion of a packaging-aid call: each reviewer scores it 0–5; `weight` weighs it."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("kriteria"), max_length=150)
    weight = models.DecimalField(_("bobot"), max_digits=6, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("kriteria penilaian")
        verbose_name_plural = _("kriteria penilaian")
        ordering = ["programme", "position", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(weight__gt=0), name="criterion_weight_positive")]

    def __str__(self) -> str:
        return self.name


def _upload_path(instance: "ApplicationPhoto", filename: str) -> str:
    """Kept for migration 0002 only: the photos now live in the protected storage (migration 0004)."""
    return f"program/foto/{secrets.token_hex(16)}.jpg"


class Application(models.Model):
    """A packaging-aid application (usulan): the product, today's packaging, the need."""

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="application")
    product = models.ForeignKey(
        "store.Product", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("produk")
    )
    product_name = models.CharField(_("nama produk"), max_length=200)
    need = models.TextField(_("kebutuhan kemasan"))
    quantity = models.PositiveIntegerField(_("jumlah kemasan diminta"), default=0)
    estimated_cost = models.BigIntegerField(_("perkiraan biaya (Rp)"), default=0)
    submitted_at = models.DateTimeField(_("waktu usulan"))

    class Meta:
        verbose_name = _("usulan bantuan kemasan")
        verbose_name_plural = _("usulan bantuan kemasan")
        constraints = [
            models.CheckConstraint(condition=models.Q(estimated_cost__gte=0), name="application_cost_nonneg")
        ]

    def __str__(self) -> str:
        return self.product_name


class PhotoKind(models.TextChoices):
    BEFORE = "sebelum", _("Kemasan sekarang")
    AFTER = "sesudah", _("Kemasan baru")


class ApplicationPhoto(models.Model):
    """A photo of the packaging (before: with the application; after: at delivery). Checked by content and
    re-encoded as JPEG (only pixels are kept), stored in the protected storage under a random name and served
    only by `views_packaging.photo`, which checks access (`apps.core.uploads`)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(max_length=10, choices=PhotoKind.choices)
    image = ProtectedFileField(upload_to="program/foto")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("foto kemasan")
        verbose_name_plural = _("foto kemasan")
        ordering = ["application", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.application} {self.kind}"


class Review(models.Model):
    """One reviewer's assessment of one application; a reviewer with a conflict of interest recuses."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recused = models.BooleanField(_("mengundurkan diri"), default=False)
    recusal_reason = models.CharField(_("alasan konflik kepentingan"), max_length=300, blank=True)
    submitted_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("penilaian usulan")
        verbose_name_plural = _("penilaian usulan")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_application_reviewer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.application} / {self.reviewer}"


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("nilai (0–5)"))

    class Meta:
        verbose_name = _("nilai kriteria")
        verbose_name_plural = _("nilai kriteria")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="review_score_unique"),
            models.CheckConstraint(condition=models.Q(score__lte=5), name="review_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class Delivery(models.Model):
    """Handover of the new packaging (BAST), linked to the store product that now carries it."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="delivery")
    design_approved_on = models.DateField(_("desain disetujui pemilik"))
    quantity = models.PositiveIntegerField(_("jumlah kemasan"))
    vendor = models.CharField(_("penyedia"), max_length=200)
    unit_cost = models.BigIntegerField(_("harga satuan (Rp)"))
    handover_date = models.DateField(_("tanggal serah terima"))
    bast_number = models.CharField(_("nomor BAST"), max_length=60, unique=True)
    product = models.ForeignKey(
        "store.Product",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="packaging_deliveries",
        verbose_name=_("produk toko dengan kemasan baru"),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("serah terima kemasan")
        verbose_name_plural = _("serah terima kemasan")
        constraints = [models.CheckConstraint(condition=models.Q(unit_cost__gte=0), name="delivery_unit_cost_nonneg")]

    def __str__(self) -> str:
        return self.bast_number

    @property
    def total_cost(self) -> int:
        return self.quantity * self.unit_cost


# -- festivals and exhibitions ------------------------------------------------------------------------
class Booth(models.Model):
    """A booth of a festival's plan: zone, row, number."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="booths")
    zone = models.CharField(_("zona"), max_length=20)
    row = models.PositiveSmallIntegerField(_("baris"))
    number = models.PositiveSmallIntegerField(_("nomor"))

    class Meta:
        verbose_name = _("stan")
        verbose_name_plural = _("stan")
        ordering = ["programme", "zone", "row", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "zone", "row", "number"], name="booth_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.zone}-{self.row}-{self.number}"

    @property
    def label(self) -> str:
        return f"{self.zone}{self.row}.{self.number}"


class Exhibitor(models.Model):
    """A seller's application to a festival (its participant), its product category and its booth."""

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="exhibitor")
    seller = models.ForeignKey("store.Seller", on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(
        "store.Category", on_delete=models.PROTECT, related_name="+", verbose_name=_("kategori produk")
    )
    booth = models.OneToOneField(
        Booth, on_delete=models.SET_NULL, null=True, blank=True, related_name="exhibitor", verbose_name=_("stan")
    )
    checked_in_at = models.DateTimeField(_("hadir (check-in)"), null=True, blank=True)

    class Meta:
        verbose_name = _("peserta pameran")
        verbose_name_plural = _("peserta pameran")

    def __str__(self) -> str:
        return str(self.seller)


class BoothSale(models.Model):
    """Sales of one booth on one day; each is one line of the omzet ledger (channel `festival`)."""

    exhibitor = models.ForeignKey(Exhibitor, on_delete=models.PROTECT, related_name="sales")
    date = models.DateField(_("tanggal"))
    amount = models.BigIntegerField(_("penjualan (Rp)"))
    omzet_line = models.ForeignKey("omzet.OmzetLine", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("penjualan stan")
        verbose_name_plural = _("penjualan stan")
        constraints = [
            models.UniqueConstraint(fields=["exhibitor", "date"], name="booth_sale_day_unique"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="booth_sale_amount_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.exhibitor} {self.date}"
