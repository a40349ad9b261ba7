"""Pages of the sales flow, by subject: cart, checkout, payment, the buyer's orders, the order pages of
sellers and operators, and the review of transfer proofs. Every view stays importable from
`apps.orders.views` (the URLconf uses them from here)."""

from apps.orders.views.buyer import buyer_order_detail, buyer_orders
from apps.orders.views.cart import cart_add_view, cart_update_view, cart_view
from apps.orders.views.checkout import checkout_address, checkout_shipping
from apps.orders.views.common import DEFAULT_REGENCY, SESSION_CART, SESSION_RECIPIENT, request_cart
from apps.orders.views.payment import confirm_contact, gateway_notification, gateway_sandbox, payment_view
from apps.orders.views.seller_home import seller_home
from apps.orders.views.staff import operator_order_detail, operator_orders, seller_order_detail, seller_orders
from apps.orders.views.transfers import transfer_proof, transfer_queue, transfer_review

__all__ = [
    "DEFAULT_REGENCY",
    "SESSION_CART",
    "SESSION_RECIPIENT",
    "buyer_order_detail",
    "buyer_orders",
    "cart_add_view",
    "cart_update_view",
    "cart_view",
    "checkout_address",
    "checkout_shipping",
    "confirm_contact",
    "gateway_notification",
    "gateway_sandbox",
    "operator_order_detail",
    "operator_orders",
    "payment_view",
    "request_cart",
    "seller_home",
    "seller_order_detail",
    "seller_orders",
    "transfer_proof",
    "transfer_queue",
    "transfer_review",
]
