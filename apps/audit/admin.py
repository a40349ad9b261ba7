from django.contrib import admin
from django.db import transaction

from apps.audit.models import AuditEntry
from apps.audit.services import audit_log


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_name", "action", "record_type", "record_id", "origin_ip"]
    list_filter = ["action", "record_type"]
    search_fields = ["record_id", "actor_name", "action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedModelAdmin(admin.ModelAdmin):
    """An administrator page whose every save and delete writes an audit entry in the same transaction
    (`<app>.<model>_admin_create|change|delete`, with the changed fields' new values)."""

    def _action(self, obj, verb: str) -> str:
        return f"{obj._meta.app_label}.{obj._meta.model_name}_admin_{verb}"

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_log(
                actor=request.user,
                action=self._action(obj, "change" if change else "create"),
                obj=obj,
                changes={name: str(form.cleaned_data.get(name)) for name in form.changed_data},
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_log(actor=request.user, action=self._action(obj, "delete"), obj=obj, changes={})
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                audit_log(actor=request.user, action=self._action(obj, "delete"), obj=obj, changes={})
            super().delete_queryset(request, queryset)
