"""Programmes for UMKM (SPEC §10): one model for every activity of a year (training, packaging aid,
festival), the registry businesses taking part, and a training's sessions and attendance."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
