"""Cooperative supervision (SPEC §5): the registry, annual (RAT) reports, the versioned health-scoring
table, assessments, officers' memberships and the government dissolution procedure."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.uploads import ProtectedFileField


class Jenis(models.TextChoices):
    KSP = "KSP", _("Koperasi Simpan Pinjam (KSP)")
    KSU = "KSU", _("Koperasi Serba Usaha (KSU)")
    PRODUSEN = "produsen", _("Koperasi produsen")
    KONSUMEN = "konsumen", _("Koperasi konsumen")
    JASA = "jasa", _("Koperasi jasa")
    PEMASARAN = "pemasaran", _("Koperasi pemasaran")


# KSP lends by definition; a KSU runs a savings-and-loan unit (USP) in practice and the scoring table
# only names produsen/konsumen/jasa/pemasaran as the non-lending kinds (docs/koperasi.md).
LENDING_JENIS = {Jenis.KSP, Jenis.KSU}


class Koperasi(models.Model):
    REGENCY_FIELD = "regency"

    nomor_badan_hukum = models.CharField(_("nomor badan hukum"), max_length=80, unique=True)
    nama = models.CharField(_("nama"), max_length=200)
    jenis = models.CharField(_("jenis"), max_length=12, choices=Jenis.choices)
    unit_simpan_pinjam = models.BooleanField(
        _("punya unit simpan pinjam"),
        default=False,
        help_text=_("Koperasi produsen/konsumen/jasa/pemasaran dengan unit simpan pinjam dinilai seperti KSP."),
    )
    tanggal_badan_hukum = models.DateField(_("tanggal badan hukum"))
    regency = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    alamat = models.CharField(_("alamat"), max_length=300, blank=True)
    tanggal_pembubaran = models.DateField(_("tanggal pembubaran"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("koperasi")
        verbose_name_plural = _("koperasi")
        ordering = ["nama"]
        indexes = [
            models.Index(fields=["regency", "tanggal_badan_hukum"], name="koperasi_regency_tgl_idx"),
            models.Index(fields=["tanggal_pembubaran"], name="koperasi_bubar_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(jenis__in=Jenis.values), name="koperasi_jenis_valid"),
            models.CheckConstraint(
                condition=models.Q(tanggal_pembubaran__isnull=True)
                | models.Q(tanggal_pembubaran__gte=models.F("tanggal_badan_hukum")),
                name="koperasi_bubar_after_badan_hukum",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nama} ({self.nomor_badan_hukum})"

    @property
    def is_lending(self) -> bool:
        return self.jenis in LENDING_JENIS or self.unit_simpan_pinjam


# The financial columns of the `laporan_koperasi` template (SPEC §5), integers of rupiah.
FINANCIAL_FIELDS = [
    "total_aset",
    "aktiva_tetap",
    "kas_bank",
    "modal_sendiri",
    "kewajiban_lancar",
    "dana_diterima",
    "simpanan_pokok_wajib",
    "pinjaman_diberikan",
    "pinjaman_anggota",
    "pinjaman_kurang_lancar",
    "pinjaman_diragukan",
    "pinjaman_macet",
    "cadangan_risiko",
    "pinjaman_berisiko",
    "atmr",
    "pendapatan",
    "partisipasi_bruto",
    "beban_operasional_pelayanan",
    "beban_usaha",
    "beban_perkoperasian",
    "biaya_karyawan",
    "shu_sebelum_pajak",
    "shu_bagian_anggota",
    "promosi_ekonomi_anggota",
    "volume_usaha",
]
# Figures that may be negative (a deficit); every other rupiah figure is ≥ 0.
SIGNED_FIELDS = {"modal_sendiri", "shu_sebelum_pajak", "shu_bagian_anggota"}


class ReportStatus(models.TextChoices):
    DIAJUKAN = "diajukan", _("Diajukan")
    DIKEMBALIKAN = "dikembalikan", _("Dikembalikan untuk diperbaiki")
    DITERIMA = "diterima", _("Diterima")


class ReportSource(models.TextChoices):
    IMPOR = "impor", _("Impor berkas")
    DARING = "daring", _("Diisi daring oleh pengurus")


def _money(label: Any) -> models.BigIntegerField:
    return models.BigIntegerField(label, null=True, blank=True)


class LaporanTahunan(models.Model):
    """One annual report (RAT and financial statements) per cooperative per book year."""

    koperasi = models.ForeignKey(Koperasi, on_delete=models.CASCADE, related_name="laporan")
    tahun_buku = models.PositiveSmallIntegerField(_("tahun buku"))
    tanggal_rat = models.DateField(_("tanggal RAT"), null=True, blank=True, help_text=_("kosong: RAT tidak diadakan"))
    jumlah_anggota = models.PositiveIntegerField(_("jumlah anggota"), null=True, blank=True)
    total_aset = _money(_("total aset"))
    aktiva_tetap = _money(_("aktiva tetap"))
    kas_bank = _money(_("kas dan bank"))
    modal_sendiri = _money(_("modal sendiri"))
    kewajiban_lancar = _money(_("kewajiban lancar"))
    dana_diterima = _money(_("dana yang diterima"))
    simpanan_pokok_wajib = _money(_("simpanan pokok dan wajib"))
    pinjaman_diberikan = _money(_("pinjaman yang diberikan"))
    pinjaman_anggota = _money(_("pinjaman kepada anggota"))
    pinjaman_kurang_lancar = _money(_("pinjaman kurang lancar"))
    pinjaman_diragukan = _money(_("pinjaman diragukan"))
    pinjaman_macet = _money(_("pinjaman macet"))
    cadangan_risiko = _money(_("cadangan risiko"))
    pinjaman_berisiko = _money(_("pinjaman berisiko"))
    atmr = _money(_("ATMR"))
    pendapatan = _money(_("pendapatan"))
    partisipasi_bruto = _money(_("partisipasi bruto"))
    beban_operasional_pelayanan = _money(_("beban operasional pelayanan"))
    beban_usaha = _money(_("beban usaha"))
    beban_perkoperasian = _money(_("beban perkoperasian"))
    biaya_karyawan = _money(_("biaya karyawan"))
    shu_sebelum_pajak = _money(_("SHU sebelum pajak"))
    shu_bagian_anggota = _money(_("SHU bagian anggota"))
    promosi_ekonomi_anggota = _money(_("promosi ekonomi anggota"))
    volume_usaha = _money(_("volume usaha"))
    skor_manajemen = models.DecimalField(
        _("skor manajemen"), max_digits=4, decimal_places=2, null=True, blank=True, help_text=_("0–15")
    )
    kuesioner_manajemen = models.JSONField(_("jawaban kuesioner manajemen"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DITERIMA)
    sumber = models.CharField(_("sumber"), max_length=8, choices=ReportSource.choices, default=ReportSource.IMPOR)
    catatan_review = models.TextField(_("catatan peninjauan"), blank=True)
    diajukan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    diajukan_pada = models.DateTimeField(null=True, blank=True)
    ditinjau_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ditinjau_pada = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("laporan tahunan koperasi")
        verbose_name_plural = _("laporan tahunan koperasi")
        ordering = ["koperasi", "-tahun_buku"]
        indexes = [models.Index(fields=["status", "tanggal_rat"], name="laporan_status_rat_idx")]
        constraints = [
            models.UniqueConstraint(fields=["koperasi", "tahun_buku"], name="laporan_one_per_year"),
            models.CheckConstraint(
                condition=models.Q(skor_manajemen__isnull=True)
                | models.Q(skor_manajemen__gte=0, skor_manajemen__lte=15),
                name="laporan_skor_manajemen_0_15",
            ),
            models.CheckConstraint(condition=models.Q(status__in=ReportStatus.values), name="laporan_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.koperasi.nama} {self.tahun_buku}"

    def inputs(self) -> dict:
        """The figures the scoring engine reads, by template column name."""
        data = {f: getattr(self, f) for f in FINANCIAL_FIELDS}
        data["skor_manajemen"] = self.skor_manajemen
        return data


class LaporanRiwayat(models.Model):
    """One step in a report's review history (submitted, returned with notes, accepted)."""

    laporan = models.ForeignKey(LaporanTahunan, on_delete=models.CASCADE, related_name="riwayat")
    status = models.CharField(_("status"), max_length=12, choices=ReportStatus.choices)
    catatan = models.TextField(_("catatan"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat laporan")
        verbose_name_plural = _("riwayat laporan")
        ordering = ["created_at", "pk"]


class ScoringTable(models.Model):
    """A version of the health-scoring table. Components and predikat bands are data (JSON), so a new
    regime (Permenkop 9/2020) is a new row, and stored assessments keep the version they used."""

    versi = models.SlugField(_("kode versi"), max_length=40, unique=True)
    nama = models.CharField(_("nama"), max_length=200)
    sumber = models.TextField(_("sumber (dasar hukum)"))
    berlaku = models.BooleanField(_("versi yang berlaku"), default=False)
    skala_manajemen = models.PositiveSmallIntegerField(_("skor manajemen maksimum"), default=15)
    predikat = models.JSONField(
        _("batas predikat"),
        help_text=_('Urut dari tertinggi: [{"min": "80", "kode": "sehat", "label": "Sehat", "sehat": true}, ...]'),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tabel penilaian kesehatan")
        verbose_name_plural = _("tabel penilaian kesehatan")
        ordering = ["-berlaku", "versi"]
        constraints = [
            models.UniqueConstraint(
                fields=["berlaku"], condition=models.Q(berlaku=True), name="scoring_table_one_current"
            )
        ]

    def __str__(self) -> str:
        return self.versi


class ComponentKind(models.TextChoices):
    BANDS = "band", _("Rasio dinilai menurut rentang")
    CAPPED = "persen", _("Rasio dalam persen, maksimum 100")
    SCALE = "skala", _("Skor langsung (kuesioner)")


class ScoringComponent(models.Model):
    """One component: a ratio of linear combinations of report columns, its weight and bands.

    `pembilang`/`penyebut`: [["column", "coefficient"], ...]. `bands`: ascending upper bounds in
    percent, [{"batas": "20", "inklusif": true, "nilai": "25"}, ..., {"batas": null, "nilai": "25"}].
    """

    table = models.ForeignKey(ScoringTable, on_delete=models.CASCADE, related_name="components")
    nomor = models.PositiveSmallIntegerField(_("nomor"))
    aspek = models.CharField(_("aspek"), max_length=100)
    nama = models.CharField(_("komponen"), max_length=200)
    jenis = models.CharField(_("cara menilai"), max_length=8, choices=ComponentKind.choices)
    pembilang = models.JSONField(_("pembilang"), default=list)
    penyebut = models.JSONField(_("penyebut"), default=list, blank=True)
    bobot = models.DecimalField(_("bobot"), max_digits=6, decimal_places=2)
    bands = models.JSONField(_("rentang nilai"), default=list, blank=True)
    nilai_penyebut_nol = models.DecimalField(
        _("nilai bila penyebut nol"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("kosong: rentang terburuk"),
    )
    hanya_simpan_pinjam = models.BooleanField(
        _("hanya untuk koperasi simpan pinjam"),
        default=False,
        help_text=_("Koperasi yang tidak memberi pinjaman melewati komponen ini; bobot lainnya diskalakan ke 100."),
    )

    class Meta:
        verbose_name = _("komponen penilaian")
        verbose_name_plural = _("komponen penilaian")
        ordering = ["table", "nomor"]
        constraints = [
            models.UniqueConstraint(fields=["table", "nomor"], name="scoring_component_unique_nomor"),
            models.CheckConstraint(condition=models.Q(bobot__gte=0), name="scoring_component_bobot_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.table.versi} #{self.nomor} {self.nama}"


class Predikat(models.TextChoices):
    SEHAT = "sehat", _("Sehat")
    CUKUP_SEHAT = "cukup_sehat", _("Cukup Sehat")
    DALAM_PENGAWASAN = "dalam_pengawasan", _("Dalam Pengawasan")
    DALAM_PENGAWASAN_KHUSUS = "dalam_pengawasan_khusus", _("Dalam Pengawasan Khusus")


class Assessment(models.Model):
    """The health assessment of one cooperative for one book year, reproducible from what it stores:
    the inputs snapshot, every line (ratio, band, nilai, weight, score) and the table version."""

    koperasi = models.ForeignKey(Koperasi, on_delete=models.CASCADE, related_name="penilaian")
    tahun_buku = models.PositiveSmallIntegerField(_("tahun buku"))
    laporan = models.ForeignKey(LaporanTahunan, on_delete=models.SET_NULL, null=True, related_name="+")
    table = models.ForeignKey(ScoringTable, on_delete=models.PROTECT, related_name="+")
    versi = models.CharField(_("versi tabel"), max_length=40)
    simpan_pinjam = models.BooleanField(_("dinilai sebagai koperasi simpan pinjam"))
    masukan = models.JSONField(_("masukan"))
    baris = models.JSONField(_("rincian per komponen"))
    # exact when it ends within 15 places, else cut at 15 (never rounded up past a predikat edge)
    total = models.DecimalField(_("skor total"), max_digits=18, decimal_places=15)
    # as pages show it: two decimals, more where rounding would cross a predikat edge (79,995)
    # (a string: SQLite keeps decimals as floating point, which could print 79,995 as 79,99500000000001)
    total_tampil = models.CharField(_("skor total (tampilan)"), max_length=24, blank=True)
    predikat = models.CharField(_("predikat"), max_length=40)
    predikat_label = models.CharField(_("predikat"), max_length=80)
    sehat = models.BooleanField(_("termasuk sehat"))
    catatan = models.JSONField(_("catatan"), default=list, blank=True)
    dinilai_pada = models.DateTimeField(auto_now=True)
    dinilai_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("penilaian kesehatan")
        verbose_name_plural = _("penilaian kesehatan")
        ordering = ["koperasi", "-tahun_buku"]
        indexes = [models.Index(fields=["tahun_buku", "sehat"], name="assessment_year_sehat_idx")]
        constraints = [
            models.UniqueConstraint(fields=["koperasi", "tahun_buku"], name="assessment_one_per_year"),
            models.CheckConstraint(condition=models.Q(total__gte=0, total__lte=100), name="assessment_total_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.koperasi.nama} {self.tahun_buku}: {self.predikat_label}"


class Keanggotaan(models.Model):
    """Links a cooperative officer (role pengurus_koperasi) to the cooperative they report for."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="koperasi_keanggotaan")
    koperasi = models.ForeignKey(Koperasi, on_delete=models.CASCADE, related_name="pengurus")
    jabatan = models.CharField(_("jabatan"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pengurus koperasi")
        verbose_name_plural = _("pengurus koperasi")
        constraints = [models.UniqueConstraint(fields=["user", "koperasi"], name="keanggotaan_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.koperasi}"


class ProsesStatus(models.TextChoices):
    BERJALAN = "berjalan", _("Berjalan")
    DIBATALKAN = "dibatalkan", _("Dibatalkan (keberatan diterima)")
    SELESAI = "selesai", _("Selesai: dihapus dari daftar umum")


class PembubaranProses(models.Model):
    """A dissolution by the government (UU 25/1992 art. 47, PP 17/1994). The step dates live here so
    due dates are queries; each step also has a `PembubaranLangkah` row with its document and actor."""

    koperasi = models.ForeignKey(Koperasi, on_delete=models.PROTECT, related_name="pembubaran")
    status = models.CharField(_("status"), max_length=12, choices=ProsesStatus.choices, default=ProsesStatus.BERJALAN)
    alasan = models.TextField(_("alasan pembubaran"))
    tanggal_pemberitahuan = models.DateField(_("tanggal surat pemberitahuan"))
    tanggal_diterima = models.DateField(_("tanggal pemberitahuan diterima koperasi"))
    tanggal_keberatan = models.DateField(_("tanggal keberatan"), null=True, blank=True)
    tanggal_keputusan_keberatan = models.DateField(_("tanggal keputusan atas keberatan"), null=True, blank=True)
    keberatan_diterima = models.BooleanField(_("keberatan diterima"), null=True, blank=True)
    tanggal_keputusan_pembubaran = models.DateField(_("tanggal keputusan pembubaran"), null=True, blank=True)
    tanggal_dihapus = models.DateField(_("tanggal dihapus dari daftar umum"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("proses pembubaran")
        verbose_name_plural = _("proses pembubaran")
        ordering = ["-tanggal_diterima"]
        constraints = [
            models.UniqueConstraint(
                fields=["koperasi"],
                condition=models.Q(status="berjalan"),
                name="pembubaran_one_running_per_koperasi",
            ),
            models.CheckConstraint(
                condition=models.Q(tanggal_diterima__gte=models.F("tanggal_pemberitahuan")),
                name="pembubaran_received_after_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.koperasi.nama}: {self.get_status_display()}"


class LangkahJenis(models.TextChoices):
    PEMBERITAHUAN = "pemberitahuan", _("Pemberitahuan tertulis rencana pembubaran")
    KEBERATAN = "keberatan", _("Keberatan dari koperasi")
    KEPUTUSAN_KEBERATAN = "keputusan_keberatan", _("Keputusan atas keberatan")
    KEPUTUSAN_PEMBUBARAN = "keputusan_pembubaran", _("Keputusan pembubaran")
    PENGHAPUSAN = "penghapusan", _("Penghapusan dari daftar umum koperasi")


def _dokumen_path(instance: "PembubaranLangkah", filename: str) -> str:
    """Only for migration 0001: documents now live in protected storage under random names."""
    return f"koperasi/pembubaran/{instance.proses_id}/{instance.jenis}.pdf"


class PembubaranLangkah(models.Model):
    proses = models.ForeignKey(PembubaranProses, on_delete=models.CASCADE, related_name="langkah")
    jenis = models.CharField(_("langkah"), max_length=24, choices=LangkahJenis.choices)
    tanggal = models.DateField(_("tanggal"))
    catatan = models.TextField(_("catatan"), blank=True)
    dokumen = ProtectedFileField(_("dokumen (PDF)"), upload_to="koperasi/pembubaran")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("langkah pembubaran")
        verbose_name_plural = _("langkah pembubaran")
        ordering = ["tanggal", "pk"]
        constraints = [models.UniqueConstraint(fields=["proses", "jenis"], name="pembubaran_langkah_once")]
