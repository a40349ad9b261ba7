"""Administrator pages of the UMKM registry: the classification rule sets (SPEC §4), a regulation per row
(a new regulation is a new row), every change audited. Businesses, owners and yearly records are kept
through the importer and the services, not here."""

from django.contrib import admin

from apps.audit.admin import AuditedModelAdmin
from apps.umkm.models import Kelas, RuleSet


@admin.register(RuleSet)
class RuleSetAdmin(AuditedModelAdmin):
    list_display = ["code", "title", "method", "first_year", "last_year"]
    search_fields = ["code", "title"]
    fieldsets = [
        (None, {"fields": ["code", "title", "method", ("first_year", "last_year")]}),
        (Kelas.MIKRO.label, {"fields": [("mikro_modal_max", "mikro_omzet_max")]}),
        (Kelas.KECIL.label, {"fields": [("kecil_modal_max", "kecil_omzet_max")]}),
        (Kelas.MENENGAH.label, {"fields": [("menengah_modal_max", "menengah_omzet_max")]}),
    ]
