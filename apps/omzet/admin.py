from django.contrib import admin

from apps.omzet.models import Channel, OmzetLine


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "regency", "is_active"]
    list_filter = ["kind", "is_active"]


@admin.register(OmzetLine)
class OmzetLineAdmin(admin.ModelAdmin):
    list_display = ["source_key", "channel", "seller", "product_name", "counted_at", "quantity", "amount"]
    list_filter = ["channel__code"]
    search_fields = ["source_key", "product_name"]
    raw_id_fields = ["seller", "product", "variant", "reverses", "district", "regency"]

    def has_change_permission(self, request, obj=None):
        return False  # the ledger changes through its services only

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
