"""The Koperasi Award (SPEC §11): yearly categories, eligibility from the registry, nominations, judges
with recusal, weighted criteria, the objective component from the health assessment, normalisation per
judge or raw means, configured tie-breaks, approval by the department head and then frozen results.

The calculation itself lives in `apps.pengembangan.award_rules` (pure, tested as tables); the
category's `hasil` keeps the whole calculation as approved, line by line.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    NORMALISASI = "normalisasi", _("Normalisasi per juri (z-skor, 100 + 20·z)")
    MENTAH = "mentah", _("Rata-rata nilai mentah")


class TieBreak(models.TextChoices):
    OBJEKTIF = "objektif", _("Komponen objektif (skor kesehatan) lebih tinggi")
    RATA_MENTAH = "rata_mentah", _("Rata-rata nilai mentah juri lebih tinggi")
    PANEL = "panel", _("Keputusan panel yang dicatat")


class CategoryStatus(models.TextChoices):
    PERSIAPAN = "persiapan", _("Persiapan dan nominasi")
    PENJURIAN = "penjurian", _("Penjurian")
    DISETUJUI = "disetujui", _("Disetujui (final)")


DEFAULT_TIE_BREAKS = [TieBreak.OBJEKTIF.value, TieBreak.RATA_MENTAH.value, TieBreak.PANEL.value]


def default_tie_breaks() -> list[str]:
    return list(DEFAULT_TIE_BREAKS)


class Category(models.Model):
    """One award category of one year in one regency, with its eligibility rule and its scoring rule."""

    REGENCY_FIELD = "regency"

    tahun = models.PositiveSmallIntegerField(_("tahun award"))
    regency = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    nama = models.CharField(_("nama kategori"), max_length=200)
    jenis = models.JSONField(
        _("jenis koperasi"), default=list, blank=True, help_text=_("Kosong: semua jenis koperasi.")
    )
    tanggal_aktif = models.DateField(_("aktif pada tanggal"))
    syarat_sehat = models.BooleanField(_("predikat kesehatan terakhir Sehat atau Cukup Sehat"), default=True)
    tahun_rat = models.PositiveSmallIntegerField(
        _("RAT diadakan pada tahun"), null=True, blank=True, help_text=_("Kosong: tidak disyaratkan.")
    )
    metode = models.CharField(_("cara menghitung nilai juri"), max_length=12, choices=Method.choices)
    bobot_objektif = models.DecimalField(
        _("bobot komponen objektif (%)"),
        max_digits=5,
        decimal_places=2,
        default=30,
        help_text=_("Nilai akhir = rata-rata juri × (100 − bobot) ÷ 100 + skor kesehatan × bobot ÷ 100."),
    )
    tie_breaks = models.JSONField(_("urutan pemutus seri"), default=default_tie_breaks)
    jumlah_pemenang = models.PositiveSmallIntegerField(_("jumlah pemenang"), default=3)
    status = models.CharField(
        _("status"), max_length=10, choices=CategoryStatus.choices, default=CategoryStatus.PERSIAPAN
    )
    hasil = models.JSONField(_("hasil perhitungan yang disetujui"), default=dict, blank=True)
    disetujui_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    disetujui_pada = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kategori Koperasi Award")
        verbose_name_plural = _("kategori Koperasi Award")
        ordering = ["-tahun", "nama"]
        constraints = [
            models.UniqueConstraint(fields=["tahun", "regency", "nama"], name="award_category_unique_name"),
            models.CheckConstraint(
                condition=models.Q(bobot_objektif__gte=0, bobot_objektif__lte=100), name="award_objective_0_100"
            ),
            models.CheckConstraint(condition=models.Q(metode__in=Method.values), name="award_method_valid"),
            models.CheckConstraint(condition=models.Q(status__in=CategoryStatus.values), name="award_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.nama} {self.tahun}"

    @property
    def frozen(self) -> bool:
        return self.status == CategoryStatus.DISETUJUI


class AwardCriterion(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="criteria")
    nomor = models.PositiveSmallIntegerField(_("nomor"))
    nama = models.CharField(_("kriteria"), max_length=200)
    bobot = models.DecimalField(_("bobot"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("kriteria penilaian award")
        verbose_name_plural = _("kriteria penilaian award")
        ordering = ["category", "nomor"]
        constraints = [
            models.UniqueConstraint(fields=["category", "nomor"], name="award_criterion_unique_nomor"),
            models.CheckConstraint(condition=models.Q(bobot__gt=0), name="award_criterion_weight_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.nomor}. {self.nama}"


class Nomination(models.Model):
    """An eligible cooperative entered in a category. `urutan_panel` is the panel's recorded decision
    (1 = first) used only when the configured tie-breaks reach it."""

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="nominations")
    koperasi = models.ForeignKey("koperasi.Koperasi", on_delete=models.PROTECT, related_name="+")
    alasan = models.TextField(_("alasan nominasi"), blank=True)
    dinominasikan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    urutan_panel = models.PositiveSmallIntegerField(_("urutan keputusan panel"), null=True, blank=True)
    catatan_panel = models.TextField(_("catatan keputusan panel"), blank=True)
    peringkat = models.PositiveSmallIntegerField(_("peringkat (final)"), null=True, blank=True)
    nilai_akhir = models.DecimalField(_("nilai akhir (final)"), max_digits=12, decimal_places=4, null=True, blank=True)
    kode_verifikasi = models.CharField(_("kode verifikasi piagam"), max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nominasi")
        verbose_name_plural = _("nominasi")
        ordering = ["category", "peringkat", "koperasi__nama"]
        constraints = [
            models.UniqueConstraint(fields=["category", "koperasi"], name="award_nomination_once"),
            models.UniqueConstraint(
                fields=["kode_verifikasi"], condition=~models.Q(kode_verifikasi=""), name="award_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.koperasi.nama} · {self.category}"


class Judge(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="award_juri")

    class Meta:
        verbose_name = _("juri")
        verbose_name_plural = _("juri")
        ordering = ["category", "user__first_name", "user__username"]
        constraints = [models.UniqueConstraint(fields=["category", "user"], name="award_judge_once")]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class Recusal(models.Model):
    """A judge withdraws from one entry (conflict of interest); they do not score it."""

    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="recusals")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="recusals")
    alasan = models.TextField(_("alasan mengundurkan diri"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pengunduran diri juri")
        verbose_name_plural = _("pengunduran diri juri")
        constraints = [models.UniqueConstraint(fields=["judge", "nomination"], name="award_recusal_once")]


class AwardScore(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="scores")
    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(AwardCriterion, on_delete=models.PROTECT, related_name="+")
    nilai = models.DecimalField(_("nilai"), max_digits=5, decimal_places=2)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("nilai juri")
        verbose_name_plural = _("nilai juri")
        constraints = [
            models.UniqueConstraint(fields=["nomination", "judge", "criterion"], name="award_score_once"),
            models.CheckConstraint(condition=models.Q(nilai__gte=0, nilai__lte=100), name="award_score_0_100"),
        ]
