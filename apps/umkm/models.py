"""The UMKM registry (SPEC §4): owners, businesses, and one record per business per data year."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.nik import NIKHolder


class Gender(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Kelas(models.TextChoices):
    """Size class. The order of `KELAS_RANK` is what "moving up" (naik kelas) means."""

    MIKRO = "mikro", _("Mikro")
    KECIL = "kecil", _("Kecil")
    MENENGAH = "menengah", _("Menengah")
    BESAR = "besar", _("Besar")


KELAS_RANK: dict[str, int] = {Kelas.MIKRO: 0, Kelas.KECIL: 1, Kelas.MENENGAH: 2, Kelas.BESAR: 3}
KELAS_BY_RANK: dict[int, str] = {rank: kelas for kelas, rank in KELAS_RANK.items()}


class ClassificationMethod(models.TextChoices):
    """How the two criteria combine. UU 20/2008 says "or": the lower class wins; PP 7/2021 uses sales
    for empowerment programmes and capital only when sales are missing."""

    LOWER_OF_TWO = "kelas_terendah", _("kelas terendah dari modal atau omzet")
    SALES_FIRST = "omzet_dahulu", _("omzet; modal bila omzet kosong")


class RuleSet(models.Model):
    """The size thresholds of one regulation, in force for a range of data years (inclusive).

    Ceilings are inclusive ("paling banyak Rp50.000.000" is mikro). A new regulation is a new row."""

    code = models.CharField(_("kode"), max_length=30, unique=True)
    title = models.CharField(_("dasar hukum"), max_length=200)
    method = models.CharField(_("cara menggabungkan kriteria"), max_length=20, choices=ClassificationMethod.choices)
    first_year = models.PositiveSmallIntegerField(_("berlaku mulai tahun data"), null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(_("berlaku sampai tahun data"), null=True, blank=True)
    mikro_modal_max = models.BigIntegerField(_("modal maksimum mikro (Rp)"))
    mikro_omzet_max = models.BigIntegerField(_("omzet maksimum mikro (Rp)"))
    kecil_modal_max = models.BigIntegerField(_("modal maksimum kecil (Rp)"))
    kecil_omzet_max = models.BigIntegerField(_("omzet maksimum kecil (Rp)"))
    menengah_modal_max = models.BigIntegerField(_("modal maksimum menengah (Rp)"))
    menengah_omzet_max = models.BigIntegerField(_("omzet maksimum menengah (Rp)"))

    class Meta:
        ordering = [models.F("first_year").asc(nulls_first=True), "code"]
        verbose_name = _("aturan kelas usaha")
        verbose_name_plural = _("aturan kelas usaha")

    def __str__(self) -> str:
        return self.title


class Owner(NIKHolder):
    """A business owner, identified by the keyed hash of the NIK (the NIK itself is encrypted)."""

    name = models.CharField(_("nama pemilik"), max_length=150)
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender.choices)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pemilik usaha")
        verbose_name_plural = _("pemilik usaha")
        constraints = [models.UniqueConstraint(fields=["nik_hash"], name="owner_nik_hash_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.nik_masked})"


class BusinessStatus(models.TextChoices):
    ACTIVE = "aktif", _("Aktif")
    CLOSED = "tutup", _("Tutup")


class Business(models.Model):
    """A business in the registry. Identity: its NIB when present, else (owner NIK, normalised name); a
    row with a new NIB for an owner's business of the same normalised name without NIB is that business
    (it gains the NIB). Name, address, sector and village are those of its latest yearly record."""

    REGENCY_FIELD = "regency"

    owner = models.ForeignKey(Owner, on_delete=models.PROTECT, related_name="businesses")
    name = models.CharField(_("nama usaha"), max_length=200)
    name_normalized = models.CharField(max_length=200, editable=False)
    nib = models.CharField(_("NIB"), max_length=13, blank=True)
    kbli = models.CharField(_("KBLI"), max_length=5, blank=True)
    sector = models.CharField(_("sektor"), max_length=100, blank=True)
    regency = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    founded_year = models.PositiveSmallIntegerField(_("tahun berdiri"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=BusinessStatus.choices, default=BusinessStatus.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("usaha")
        verbose_name_plural = _("usaha")
        constraints = [
            models.UniqueConstraint(
                fields=["nib"], condition=~models.Q(nib=""), name="business_nib_unique_when_present"
            ),
            models.UniqueConstraint(
                fields=["owner", "name_normalized"], condition=models.Q(nib=""), name="business_owner_name_unique"
            ),
        ]
        indexes = [models.Index(fields=["regency", "district"], name="business_regency_district_idx")]

    def __str__(self) -> str:
        return self.name


class BusinessYear(models.Model):
    """What a business reported for one data year, and its class under the law of that year.

    The village (with its kecamatan and regency) is the one that year's row gave: a business belongs to
    the region of its latest record up to the year asked (SPEC §4), so a record of an earlier year never
    moves it, and a report of an earlier year counts it where it was then."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("tahun data"))
    regency = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    modal_usaha = models.BigIntegerField(_("modal usaha (Rp)"), null=True, blank=True)
    omzet_tahunan = models.BigIntegerField(_("omzet tahunan (Rp)"), null=True, blank=True)
    tenaga_kerja = models.PositiveIntegerField(_("tenaga kerja"), null=True, blank=True)
    kelas = models.CharField(_("kelas usaha"), max_length=10, choices=Kelas.choices)
    kelas_rank = models.PositiveSmallIntegerField(default=0, editable=False)
    rule_set = models.CharField(_("dasar hukum"), max_length=30)
    # blake2b-64 of the imported row's clean values: a re-import skips a row its record already holds
    row_hash = models.BigIntegerField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, null=True)

    class Meta:
        verbose_name = _("data tahunan usaha")
        verbose_name_plural = _("data tahunan usaha")
        constraints = [
            models.UniqueConstraint(fields=["business", "year"], name="business_year_unique"),
            models.CheckConstraint(condition=models.Q(modal_usaha__gte=0), name="business_year_modal_nonneg"),
            models.CheckConstraint(condition=models.Q(omzet_tahunan__gte=0), name="business_year_omzet_nonneg"),
        ]
        indexes = [
            models.Index(fields=["regency", "year"], name="business_year_regency_idx"),
            models.Index(fields=["year", "kelas"], name="business_year_kelas_idx"),
            models.Index(fields=["row_hash"], name="business_year_row_hash_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.business} {self.year}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # a record written without a region of its own (an operator's edit, a factory) is where its
        # business is; the importer always gives the row's village
        if self.village_id is None:
            self.village_id, self.district_id, self.regency_id = (
                self.business.village_id,
                self.business.district_id,
                self.business.regency_id,
            )
        super().save(*args, **kwargs)


class PermitKind(models.TextChoices):
    NIB = "nib", _("NIB (OSS)")
    PIRT = "pirt", _("P-IRT")
    HALAL = "halal", _("Sertifikat halal")
    BPOM = "bpom", _("Izin edar BPOM")


class Permit(models.Model):
    """An optional permit or certificate of a business (NIB, P-IRT, halal, BPOM)."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="permits")
    kind = models.CharField(_("jenis izin"), max_length=10, choices=PermitKind.choices)
    number = models.CharField(_("nomor"), max_length=60)
    issued_on = models.DateField(_("tanggal terbit"), null=True, blank=True)
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)

    class Meta:
        verbose_name = _("izin usaha")
        verbose_name_plural = _("izin usaha")
        constraints = [models.UniqueConstraint(fields=["business", "kind", "number"], name="permit_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class RegistryRevision(models.Model):
    """How many times the registry of one regency has changed. Every write to the registry (importer
    batches, the umkm services) bumps the revision of each regency it touches, in the write's own
    transaction (`services.registry_revision_bump`). Derived data computed from revision N (the report's
    roll-ups) is stale once the regency's revision is no longer N."""

    regency = models.OneToOneField("regions.Region", on_delete=models.CASCADE, primary_key=True, related_name="+")
    revision = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("revisi registri UMKM")
        verbose_name_plural = _("revisi registri UMKM")

    def __str__(self) -> str:
        return f"{self.regency_id} r{self.revision}"


class UmkmRollup(models.Model):
    """The UMKM figures of one regency for one data year, kept for the leadership report: `umkm_kpi` and
    the report's UMKM breakdowns (`report.py`) as computed for that regency alone. Every figure is a count
    of businesses, and a business belongs to one regency, so a province's figures are the sums of its
    regencies' rows (`rollups.py`).

    `revision` is the regency's registry revision the row was computed from (`RegistryRevision`); a row of
    another revision is stale and is recomputed before it is read.
    """

    regency = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun data"))
    figures = models.JSONField(_("angka"))
    breakdowns = models.JSONField(_("rincian"))
    revision = models.BigIntegerField(default=-1)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ringkasan UMKM per kabupaten")
        verbose_name_plural = _("ringkasan UMKM per kabupaten")
        constraints = [models.UniqueConstraint(fields=["regency", "year"], name="umkm_rollup_regency_year_unique")]

    def __str__(self) -> str:
        return f"{self.regency_id} {self.year}"
