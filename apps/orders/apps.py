from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "apps.orders"
    verbose_name = _("Pesanan toko")

    def ready(self) -> None:
        from apps.core.navigation import NAV_BADGES, NAV_ITEMS, OFFICER_ROLES, NavItem
        from apps.orders.selectors import cart_badge

        NAV_BADGES["orders:cart"] = cart_badge

        NAV_ITEMS.extend(
            [
                NavItem(_("Keranjang"), "orders:cart", (), hidden_for=OFFICER_ROLES),
                NavItem(_("Pesanan saya"), "orders:buyer_orders", ("pembeli",)),
                NavItem(_("Pesanan masuk"), "orders:seller_orders", ("mitra_umkm",)),
                NavItem(
                    _("Pesanan toko"), "orders:operator_orders", ("operator", "kepala_dinas", "admin"), group="toko"
                ),
                NavItem(
                    _("Verifikasi transfer"),
                    "orders:transfer_queue",
                    ("operator", "kepala_dinas", "admin"),
                    group="toko",
                ),
            ]
        )
