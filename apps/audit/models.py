from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who did what to which record, when and from where. Written by services, never edited."""

    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("pelaku"),
    )
    actor_name = models.CharField(_("nama pelaku"), max_length=150, blank=True)
    action = models.CharField(_("tindakan"), max_length=80, db_index=True)
    record_type = models.CharField(_("jenis rekaman"), max_length=100, db_index=True)
    record_id = models.CharField(_("ID rekaman"), max_length=64, db_index=True)
    record_repr = models.CharField(_("rekaman"), max_length=200, blank=True)
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)
    regency_code = models.CharField(_("kabupaten"), max_length=5, blank=True, db_index=True)
    origin_ip = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    origin = models.CharField(_("asal permintaan"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("entri audit")
        verbose_name_plural = _("jejak audit")
        indexes = [models.Index(fields=["record_type", "record_id"], name="audit_record_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.record_type}#{self.record_id}"
