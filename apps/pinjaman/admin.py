"""Administrator pages: schemes (limits, repeat rule, tenor, provision, subsidy settings, eligibility
checks, the bank's contract rate by effective date), partner banks and their collectibility tables are
data edited here without code; every change is audited. Loans are written only by imports and services."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from apps.audit.services import audit_log
from apps.core.forms import RupiahField
from apps.pinjaman.models import (
    Bank,
    BankOfficer,
    BankRate,
    CollectibilityBand,
    CollectibilityTable,
    EligibilityCheck,
    Loan,
    Scheme,
)
from apps.pinjaman.services import subsidy_days_refresh

# The fields whose change moves loans' subsidy days (rates are joined when read, so a new rate moves none).
SUBSIDY_DAY_FIELDS: dict[type, set[str]] = {
    Scheme: {"bank", "arrears_tolerance", "subsidy_stops_after_last_due", "subsidy_excludes_macet"},
    Bank: {"collectibility_table"},
}


def _schemes_touched(obj) -> list[int]:
    """Schemes whose loans' subsidy days depend on this object (scheme, bank or collectibility table)."""
    if isinstance(obj, Scheme):
        return [obj.pk]
    if isinstance(obj, Bank):
        return list(obj.schemes.values_list("pk", flat=True))
    if isinstance(obj, CollectibilityTable):
        return list(Scheme.objects.filter(bank__collectibility_table=obj).values_list("pk", flat=True))
    return []


def _refresh_subsidy_days(request, obj) -> None:
    """The edit's subsidy days brought up to date (`subsidy_days_refresh`); the administrator is told when
    a background job finishes the work."""
    scheme_ids = _schemes_touched(obj)
    if not scheme_ids:
        return
    job = subsidy_days_refresh(scheme_ids=scheme_ids, actor=request.user)
    if job is not None:
        messages.info(
            request,
            _(
                "Hari bersubsidi pinjaman skema ini sedang dihitung ulang di latar; sampai selesai, subsidinya "
                "dihitung langsung dari transaksi."
            ),  # fmt: skip
        )


class AuditedAdmin(admin.ModelAdmin):
    """Writes one audit entry per saved object and per changed inline; a change that moves subsidy
    days (scheme settings, the bank's collectibility table) brings them up to date for the loans concerned
    in the same transaction, or marks them pending and queues the job (`subsidy_days_refresh`)."""

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_log(
            actor=request.user,
            action=f"pinjaman.{obj._meta.model_name}_{'ubah' if change else 'buat'}",
            obj=obj,
            changes={name: form.cleaned_data.get(name) for name in form.changed_data},
        )
        if change and set(form.changed_data) & SUBSIDY_DAY_FIELDS.get(type(obj), set()):
            _refresh_subsidy_days(request, obj)

    @transaction.atomic
    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        changed = [str(f.instance) for f in formset.forms if f.has_changed()]
        if changed:
            audit_log(
                actor=request.user,
                action=f"pinjaman.{form.instance._meta.model_name}_rincian",
                obj=form.instance,
                changes={"baris": changed},
            )
            if formset.model is CollectibilityBand:  # rates are joined when read; checks move no day
                _refresh_subsidy_days(request, form.instance)


class BankRateInline(admin.TabularInline):
    model = BankRate
    extra = 0


class EligibilityCheckInline(admin.TabularInline):
    model = EligibilityCheck
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(AuditedAdmin):
    # the scheme's amounts are typed as rupiah (`2.500.000`) with the shared input and its preview
    rupiah_fields = {
        "first_loan_floor": 1,
        "first_loan_ceiling": 1,
        "repeat_loan_ceiling": 1,
        "rounding_unit": 1,
        "arrears_tolerance": 0,
    }

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.rupiah_fields:
            return RupiahField(
                label=capfirst(db_field.verbose_name),
                min_value=self.rupiah_fields[db_field.name],
                initial=db_field.default if db_field.has_default() else None,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    list_display = ["code", "name", "bank", "year", "target_group", "first_loan_ceiling", "tenor_months"]
    list_filter = ["year", "bank"]
    raw_id_fields = ["regency"]
    inlines = [BankRateInline, EligibilityCheckInline]
    save_as = True


class CollectibilityBandInline(admin.TabularInline):
    model = CollectibilityBand
    extra = 0


@admin.register(CollectibilityTable)
class CollectibilityTableAdmin(AuditedAdmin):
    list_display = ["name", "basis"]
    inlines = [CollectibilityBandInline]
    save_as = True


@admin.register(Bank)
class BankAdmin(AuditedAdmin):
    list_display = ["name", "code", "regency", "collectibility_table"]
    raw_id_fields = ["regency"]


@admin.register(BankOfficer)
class BankOfficerAdmin(AuditedAdmin):
    list_display = ["user", "bank"]
    raw_id_fields = ["user"]


@admin.register(Loan)
class LoanAdmin(admin.ModelAdmin):
    list_display = ["account_number", "scheme", "debtor_name", "nik_masked", "disbursed_on", "plafon", "status"]
    list_filter = ["scheme", "status"]
    search_fields = ["account_number", "debtor_name"]
    readonly_fields = [f.name for f in Loan._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
