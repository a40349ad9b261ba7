"""Competency tests for cooperative managers (SPEC §11, *uji kompetensi*).

The scheme (units, criteria with maximum, weight and minimum, the pass mark and the validity of a
certificate) is data, so a new scheme is new rows; every result stores the lines it was decided from
(`Result.rincian`), so it can be explained and reproduced after the scheme changes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.nik import NIKHolder


class Scheme(models.Model):
    """A competency scheme (*skema*): what is tested, the pass mark and how long a certificate lasts."""

    kode = models.SlugField(_("kode skema"), max_length=40, unique=True)
    nama = models.CharField(_("nama skema"), max_length=200)
    sumber = models.TextField(_("dasar / sumber"), blank=True)
    nilai_lulus = models.DecimalField(
        _("nilai batas kompeten"),
        max_digits=5,
        decimal_places=2,
        default=70,
        help_text=_("Nilai total tertimbang (0–100) yang harus dicapai."),
    )
    masa_berlaku_bulan = models.PositiveSmallIntegerField(_("masa berlaku sertifikat (bulan)"), default=36)
    aktif = models.BooleanField(_("dapat dipakai untuk sesi baru"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("skema uji kompetensi")
        verbose_name_plural = _("skema uji kompetensi")
        ordering = ["nama"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(nilai_lulus__gte=0, nilai_lulus__lte=100), name="ujikom_scheme_pass_0_100"
            ),
            models.CheckConstraint(condition=models.Q(masa_berlaku_bulan__gte=1), name="ujikom_scheme_validity_pos"),
        ]

    def __str__(self) -> str:
        return self.nama


class Unit(models.Model):
    """A competency unit (*unit kompetensi*) of a scheme."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="units")
    urutan = models.PositiveSmallIntegerField(_("urutan"))
    kode = models.CharField(_("kode unit"), max_length=40)
    judul = models.CharField(_("judul unit"), max_length=200)

    class Meta:
        verbose_name = _("unit kompetensi")
        verbose_name_plural = _("unit kompetensi")
        ordering = ["scheme", "urutan"]
        constraints = [models.UniqueConstraint(fields=["scheme", "kode"], name="ujikom_unit_unique_kode")]

    def __str__(self) -> str:
        return f"{self.kode} {self.judul}"


class Criterion(models.Model):
    """A criterion of a unit: the assessor's score is 0..maksimum; `minimum` is the least it must reach."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="criteria")
    nomor = models.PositiveSmallIntegerField(_("nomor"))
    uraian = models.CharField(_("kriteria unjuk kerja"), max_length=300)
    maksimum = models.DecimalField(_("nilai maksimum"), max_digits=6, decimal_places=2, default=100)
    bobot = models.DecimalField(_("bobot"), max_digits=6, decimal_places=2)
    minimum = models.DecimalField(_("nilai minimum"), max_digits=6, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("kriteria")
        verbose_name_plural = _("kriteria")
        ordering = ["unit", "nomor"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "nomor"], name="ujikom_criterion_unique_nomor"),
            models.CheckConstraint(condition=models.Q(maksimum__gt=0), name="ujikom_criterion_max_pos"),
            models.CheckConstraint(condition=models.Q(bobot__gt=0), name="ujikom_criterion_weight_pos"),
            models.CheckConstraint(
                condition=models.Q(minimum__gte=0, minimum__lte=models.F("maksimum")),
                name="ujikom_criterion_min_within_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.kode}.{self.nomor} {self.uraian}"


class Jabatan(models.TextChoices):
    """The managers (*pengelola*) SPEC §11 names."""

    KETUA = "ketua", _("Ketua")
    SEKRETARIS = "sekretaris", _("Sekretaris")
    BENDAHARA = "bendahara", _("Bendahara")
    MANAJER = "manajer", _("Manajer")
    PENGAWAS = "pengawas", _("Pengawas")


class Manager(NIKHolder):
    """A manager of one cooperative, identified by (cooperative, NIK)."""

    koperasi = models.ForeignKey("koperasi.Koperasi", on_delete=models.PROTECT, related_name="pengelola_uji")
    nama = models.CharField(_("nama"), max_length=150)
    jabatan = models.CharField(_("jabatan"), max_length=12, choices=Jabatan.choices)
    no_hp = models.CharField(_("nomor HP"), max_length=20, blank=True)
    didaftarkan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pengelola koperasi")
        verbose_name_plural = _("pengelola koperasi")
        ordering = ["koperasi", "nama"]
        constraints = [
            models.UniqueConstraint(fields=["koperasi", "nik_hash"], name="ujikom_manager_one_per_nik"),
            models.CheckConstraint(condition=models.Q(jabatan__in=Jabatan.values), name="ujikom_manager_jabatan"),
        ]

    def __str__(self) -> str:
        return f"{self.nama} ({self.get_jabatan_display()})"


class SessionStatus(models.TextChoices):
    DIBUKA = "dibuka", _("Pendaftaran dibuka")
    DITUTUP = "ditutup", _("Pendaftaran ditutup")
    SELESAI = "selesai", _("Selesai")


class Session(models.Model):
    """A test session of one regency with its quota of participants and its assessors."""

    REGENCY_FIELD = "regency"

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="sessions")
    regency = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    nama = models.CharField(_("nama sesi"), max_length=200)
    tanggal = models.DateField(_("tanggal uji"))
    tempat = models.CharField(_("tempat"), max_length=200, blank=True)
    kuota = models.PositiveIntegerField(_("kuota peserta"))
    status = models.CharField(_("status"), max_length=8, choices=SessionStatus.choices, default=SessionStatus.DIBUKA)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sesi uji kompetensi")
        verbose_name_plural = _("sesi uji kompetensi")
        ordering = ["-tanggal", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kuota__gte=1), name="ujikom_session_quota_pos"),
            models.CheckConstraint(condition=models.Q(status__in=SessionStatus.values), name="ujikom_session_status"),
        ]

    def __str__(self) -> str:
        return f"{self.nama} ({self.tanggal})"


class SessionAssessor(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="assessors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ujikom_sesi")

    class Meta:
        verbose_name = _("asesor sesi")
        verbose_name_plural = _("asesor sesi")
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="ujikom_assessor_once")]


class ParticipantStatus(models.TextChoices):
    TERDAFTAR = "terdaftar", _("Terdaftar")
    DINILAI = "dinilai", _("Hasil ditetapkan")
    BATAL = "batal", _("Batal")


class Participant(models.Model):
    """A manager registered in a session; counts against the quota unless cancelled."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="participants")
    manager = models.ForeignKey(Manager, on_delete=models.PROTECT, related_name="participations")
    jabatan = models.CharField(_("jabatan saat uji"), max_length=12, choices=Jabatan.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ParticipantStatus.choices, default=ParticipantStatus.TERDAFTAR
    )
    didaftarkan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("peserta uji kompetensi")
        verbose_name_plural = _("peserta uji kompetensi")
        ordering = ["session", "manager__nama", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "manager"], name="ujikom_participant_once"),
            models.CheckConstraint(
                condition=models.Q(status__in=ParticipantStatus.values), name="ujikom_participant_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.manager.nama} · {self.session.nama}"


class Score(models.Model):
    """An assessor's score of one criterion for one participant (0..the criterion's maximum)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    nilai = models.DecimalField(_("nilai"), max_digits=6, decimal_places=2)
    asesor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("nilai kriteria")
        verbose_name_plural = _("nilai kriteria")
        constraints = [
            models.UniqueConstraint(fields=["participant", "criterion"], name="ujikom_score_once"),
            models.CheckConstraint(condition=models.Q(nilai__gte=0), name="ujikom_score_nonneg"),
        ]


class ResultSource(models.TextChoices):
    SESI = "sesi", _("Sesi uji di sistem")
    IMPOR = "impor", _("Impor (uji di tempat lain / riwayat)")


class Result(models.Model):
    """The outcome of one manager's test on one date: kompeten or belum kompeten.

    Keyed on (manager, test date), which is the `uji_kompetensi` template's key (cooperative, NIK,
    date). A session result stores every line it was decided from; an imported one only the outcome.
    """

    manager = models.ForeignKey(Manager, on_delete=models.PROTECT, related_name="results")
    participant = models.OneToOneField(
        Participant, on_delete=models.PROTECT, null=True, blank=True, related_name="result"
    )
    tanggal_uji = models.DateField(_("tanggal uji"))
    jabatan = models.CharField(_("jabatan saat uji"), max_length=12, choices=Jabatan.choices)
    kompeten = models.BooleanField(_("kompeten"))
    sumber = models.CharField(_("sumber"), max_length=6, choices=ResultSource.choices)
    skema = models.CharField(_("skema"), max_length=200, blank=True)
    total = models.DecimalField(_("nilai total tertimbang"), max_digits=12, decimal_places=6, null=True, blank=True)
    nilai_lulus = models.DecimalField(_("nilai batas kompeten"), max_digits=5, decimal_places=2, null=True, blank=True)
    rincian = models.JSONField(_("rincian per kriteria dan unit"), default=dict, blank=True)
    unit_ulang = models.JSONField(_("unit yang harus diulang"), default=list, blank=True)
    berlaku_sampai = models.DateField(_("sertifikat berlaku sampai"), null=True, blank=True)
    ditetapkan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hasil uji kompetensi")
        verbose_name_plural = _("hasil uji kompetensi")
        ordering = ["-tanggal_uji", "pk"]
        indexes = [models.Index(fields=["tanggal_uji", "kompeten"], name="ujikom_result_date_idx")]
        constraints = [
            models.UniqueConstraint(fields=["manager", "tanggal_uji"], name="ujikom_result_one_per_date"),
            models.CheckConstraint(
                condition=models.Q(kompeten=False) | models.Q(berlaku_sampai__isnull=False),
                name="ujikom_result_kompeten_has_validity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.manager.nama} {self.tanggal_uji}: {'kompeten' if self.kompeten else 'belum kompeten'}"


class Certificate(models.Model):
    """The certificate of a kompeten result of a session: number, public verification code, validity."""

    result = models.OneToOneField(Result, on_delete=models.PROTECT, related_name="certificate")
    nomor = models.CharField(_("nomor sertifikat"), max_length=40, unique=True)
    kode_verifikasi = models.CharField(_("kode verifikasi"), max_length=32, unique=True)
    tanggal_terbit = models.DateField(_("tanggal terbit"))
    berlaku_sampai = models.DateField(_("berlaku sampai"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sertifikat kompetensi")
        verbose_name_plural = _("sertifikat kompetensi")
        ordering = ["-tanggal_terbit", "pk"]

    def __str__(self) -> str:
        return self.nomor
