from django.contrib import admin

from apps.orders.models import GatewayNotification, Order, OrderLine, Payment, ShippingRate


@admin.register(ShippingRate)
class ShippingRateAdmin(admin.ModelAdmin):
    list_display = ("courier", "service", "seller", "destination_regency", "kind", "amount", "is_active")
    list_filter = ("kind", "is_active")


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    readonly_fields = ("variant", "product_name", "sku", "unit_price", "discount", "quantity", "line_total")
    can_delete = False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Read-only: orders change through the services (and their audit), never by editing rows."""

    list_display = ("number", "seller", "status", "total", "placed_at")
    list_filter = ("status",)
    search_fields = ("number", "recipient_name")
    inlines = [OrderLineInline]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ("code", "method", "status", "amount", "created_at")
    list_filter = ("method", "status")
    search_fields = ("code", "buyer_email")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(GatewayNotification)
class GatewayNotificationAdmin(admin.ModelAdmin):
    list_display = ("order_id", "transaction_status", "signature_valid", "outcome", "received_at")

    def has_change_permission(self, request, obj=None):
        return False
