from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.core.roles import REGION_SCOPED, STAFF, Role


class OrdersConfig(AppConfig):
    name = "apps.orders"
    verbose_name = _("Pesanan toko")

    def ready(self) -> None:
        from apps.core.navigation import NAV_BADGES, NAV_ITEMS, NavItem
        from apps.jobs.registry import register_idle_task
        from apps.orders.jobs import orders_expire_idle
        from apps.orders.selectors import cart_badge

        NAV_BADGES["orders:cart"] = cart_badge
        register_idle_task(orders_expire_idle)

        NAV_ITEMS.extend(
            [
                NavItem(_("Keranjang"), "orders:cart", (), hidden_for=REGION_SCOPED),
                NavItem(_("Pesanan saya"), "orders:buyer_orders", (Role.BUYER,)),
                NavItem(_("Pesanan masuk"), "orders:seller_orders", (Role.SELLER,), group="toko", order=20),
                NavItem(_("Pesanan toko"), "orders:operator_orders", STAFF, group="toko"),
                NavItem(
                    _("Verifikasi transfer"),
                    "orders:transfer_queue",
                    STAFF,
                    group="toko",
                ),
            ]
        )
