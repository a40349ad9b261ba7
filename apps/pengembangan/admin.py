"""Administrator pages for the rules as data: competency schemes (units, criteria) and, read-only, the
records. Flows (registration, scoring, results, award judging) go through the pages and services."""

from django.contrib import admin
from django.db import transaction

from apps.audit.services import audit_log
from apps.pengembangan.models import Category, Criterion, Scheme, Unit


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["kode", "nama", "nilai_lulus", "masa_berlaku_bulan", "aktif"]
    inlines = [UnitInline]

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_log(actor=request.user, action="ujikom_skema.save", obj=obj, changes=form.cleaned_data)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["kode", "judul", "scheme", "urutan"]
    list_filter = ["scheme"]
    inlines = [CriterionInline]

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_log(actor=request.user, action="ujikom_unit.save", obj=obj, changes=form.cleaned_data)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """Read-only overview; categories are created, judged and approved through the award pages."""

    list_display = ["nama", "tahun", "regency", "status"]
    list_filter = ["tahun", "status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
