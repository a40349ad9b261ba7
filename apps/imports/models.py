from django.conf import settings
from django.db import models
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from apps.core.formatting import number_id


class ImportStatus(models.TextChoices):
    RUNNING = "running", _("Berjalan")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class ImportRun(models.Model):
    """One import of one file. `checkpoint_row` is committed with each batch, so an interrupted run
    resumes after the last whole batch when the same file is imported again with the same options."""

    kind = models.CharField(_("jenis impor"), max_length=40)
    file_name = models.CharField(_("nama berkas"), max_length=255)
    file_sha256 = models.CharField(max_length=64)
    options_key = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.RUNNING)
    checkpoint_row = models.PositiveBigIntegerField(default=0)
    rows = models.PositiveBigIntegerField(default=0)
    created = models.PositiveBigIntegerField(default=0)
    updated = models.PositiveBigIntegerField(default=0)
    unchanged = models.PositiveBigIntegerField(default=0)
    rejected = models.PositiveBigIntegerField(default=0)
    warnings = models.JSONField(default=list, blank=True)
    errors_file = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("impor")
        verbose_name_plural = _("impor")
        indexes = [models.Index(fields=["kind", "file_sha256", "options_key", "status"], name="importrun_resume_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name}"

    @property
    def summary(self) -> str:
        """The command line's summary line, exactly as SPEC §8 gives it (scripts read it): never translated."""
        return (
            f"rows: {self.rows}, created: {self.created}, updated: {self.updated}, "
            f"unchanged: {self.unchanged}, rejected: {self.rejected}"
        )

    @property
    def ringkasan(self) -> str:
        """The same counts for a person on a page, in the page's language with grouped numbers."""
        return gettext_now(
            "baris: %(rows)s, baru: %(created)s, diperbarui: %(updated)s, tidak berubah: %(unchanged)s, "
            "ditolak: %(rejected)s"
        ) % {
            "rows": number_id(self.rows),
            "created": number_id(self.created),
            "updated": number_id(self.updated),
            "unchanged": number_id(self.unchanged),
            "rejected": number_id(self.rejected),
        }


class HeaderAlias(models.Model):
    """An operator-maintained column name: marketplaces rename export columns now and then."""

    kind = models.CharField(_("jenis impor"), max_length=40)
    alias = models.CharField(_("nama kolom di berkas"), max_length=120)
    column = models.CharField(_("kolom baku"), max_length=80)

    class Meta:
        verbose_name = _("alias kolom")
        verbose_name_plural = _("alias kolom")
        constraints = [models.UniqueConstraint(fields=["kind", "alias"], name="header_alias_unique")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.alias} → {self.column}"
