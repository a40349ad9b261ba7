from django.contrib import admin

from apps.settlement.models import CommissionRule, Statement
from apps.settlement.services import commission_rule_save


@admin.register(CommissionRule)
class CommissionRuleAdmin(admin.ModelAdmin):
    """Commission rules are data the department edits here; each save goes through the audited service.
    A rule is never deleted: a change is a new rule valid from its date (the old months keep theirs)."""

    list_display = ["regency", "channel_code", "seller", "percent_bp", "fee_per_unit", "valid_from", "note"]
    list_filter = ["regency", "channel_code"]
    raw_id_fields = ["seller"]
    fields = ["regency", "channel_code", "seller", "percent_bp", "fee_per_unit", "valid_from", "note"]

    def save_model(self, request, obj, form, change):
        commission_rule_save(rule=obj, actor=request.user)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["seller", "regency", "period", "status", "closing_balance"]
    list_filter = ["status", "regency"]

    def has_change_permission(self, request, obj=None):
        return False  # statements change through their services and pages only

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
