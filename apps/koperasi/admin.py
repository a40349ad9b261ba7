"""Administrator pages. The scoring table is edited here (a new version is a new table row); every
change to a table or its components, and the deletion of a table, is audited, and so is every edit of a
cooperative or a membership here (`AuditedModelAdmin`). Reports and assessments are read-only (no add,
change or delete here); registry data is otherwise kept through imports and services."""

from django.contrib import admin
from django.db import transaction

from apps.audit.admin import AuditedModelAdmin
from apps.audit.services import audit_log
from apps.koperasi.models import Assessment, Keanggotaan, Koperasi, LaporanTahunan, ScoringComponent, ScoringTable


class ScoringComponentInline(admin.StackedInline):
    model = ScoringComponent
    extra = 0
    fields = [
        ("nomor", "aspek", "nama"),
        ("jenis", "bobot", "hanya_simpan_pinjam", "nilai_penyebut_nol"),
        "pembilang",
        "penyebut",
        "bands",
    ]


@admin.register(ScoringTable)
class ScoringTableAdmin(admin.ModelAdmin):
    list_display = ["versi", "nama", "berlaku", "updated_at"]
    # "Simpan sebagai baru" copies a table with its components: the way to start a new version.
    save_as = True
    inlines = [ScoringComponentInline]

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        if obj.berlaku:
            ScoringTable.objects.exclude(pk=obj.pk).filter(berlaku=True).update(berlaku=False)
        super().save_model(request, obj, form, change)
        audit_log(
            actor=request.user,
            action="koperasi.scoring_table_change" if change else "koperasi.scoring_table_create",
            obj=obj,
            changes={name: form.cleaned_data.get(name) for name in form.changed_data},
        )

    @transaction.atomic
    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        changed = [str(f.instance) for f in formset.forms if f.has_changed()]
        if changed:
            audit_log(
                actor=request.user,
                action="koperasi.scoring_component_change",
                obj=form.instance,
                changes={"komponen": changed},
            )

    @transaction.atomic
    def delete_model(self, request, obj):
        audit_log(actor=request.user, action="koperasi.scoring_table_delete", obj=obj, changes={})
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit_log(actor=request.user, action="koperasi.scoring_table_delete", obj=obj, changes={})
        super().delete_queryset(request, queryset)


@admin.register(Koperasi)
class KoperasiAdmin(AuditedModelAdmin):
    list_display = ["nama", "nomor_badan_hukum", "jenis", "regency", "tanggal_badan_hukum", "tanggal_pembubaran"]
    list_filter = ["jenis", "regency"]
    search_fields = ["nama", "nomor_badan_hukum"]
    raw_id_fields = ["regency", "district", "village"]
    readonly_fields = ["tanggal_pembubaran"]


@admin.register(LaporanTahunan)
class LaporanTahunanAdmin(admin.ModelAdmin):
    list_display = ["koperasi", "tahun_buku", "tanggal_rat", "status", "sumber"]
    list_filter = ["status", "sumber", "tahun_buku"]
    search_fields = ["koperasi__nama", "koperasi__nomor_badan_hukum"]
    raw_id_fields = ["koperasi", "diajukan_oleh", "ditinjau_oleh"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["koperasi", "tahun_buku", "versi", "total", "predikat_label"]
    list_filter = ["tahun_buku", "predikat", "versi"]
    search_fields = ["koperasi__nama"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Keanggotaan)
class KeanggotaanAdmin(AuditedModelAdmin):
    list_display = ["user", "koperasi", "jabatan"]
    raw_id_fields = ["user", "koperasi"]
