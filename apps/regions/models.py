"""Kemendagri region hierarchy: province PP, regency PP.KK, district PP.KK.CC, village PP.KK.CC.DDDD."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINCE = 1, _("Provinsi")
    REGENCY = 2, _("Kabupaten/Kota")
    DISTRICT = 3, _("Kecamatan")
    VILLAGE = 4, _("Desa/Kelurahan")


class Region(models.Model):
    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        indexes = [models.Index(fields=["level", "code"], name="region_level_code_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_kelurahan(self) -> bool:
        """Village numbers 1xxx are kelurahan, 2xxx desa (Permendagri on region codes)."""
        return self.level == Level.VILLAGE and self.code[-4] == "1"

    @property
    def regency_code(self) -> str:
        return self.code[:5]
