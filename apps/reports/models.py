"""Roll-ups of the leadership report: figures computed by the domain selectors per regency, kept so that
a province report adds up 35 rows instead of scanning millions of records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UmkmRollup(models.Model):
    """The UMKM figures of one regency for one data year: `umkm_kpi` of the umkm domain and the report's
    UMKM breakdowns, as computed for that regency alone. Every figure is a count of businesses, and a
    business belongs to one regency, so a province's figures are the sums of its regencies' rows.

    `revision` is the regency's registry revision the row was computed from (`umkm.RegistryRevision`); a
    row of another revision is stale and is recomputed before it is read.
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
