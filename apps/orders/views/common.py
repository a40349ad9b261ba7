"""What the pages of the sales flow share: the visitor's cart, error text, items grouped by shop."""

from collections import defaultdict

from django.core.exceptions import ValidationError

from apps.orders import selectors
from apps.orders.models import Cart
from apps.orders.services.cart import cart_merge, cart_open

SESSION_CART = "orders_cart_id"
SESSION_RECIPIENT = "orders_recipient"
DEFAULT_REGENCY = "33.03"


def request_cart(request, *, create: bool = False) -> Cart | None:
    """The visitor's cart. A guest's cart lives under its id in the session; after login it is merged
    into the account's cart on the first page that reads the cart (the session survives login)."""
    guest_id = request.session.get(SESSION_CART)
    guest = Cart.objects.filter(pk=guest_id, user__isnull=True).first() if guest_id else None
    if request.user.is_authenticated:
        cart = Cart.objects.filter(user=request.user).first()
        if guest_id:
            request.session.pop(SESSION_CART, None)
            if guest is not None:
                cart = cart_merge(guest_cart=guest, user=request.user)
        if cart is None and create:
            cart = cart_open(user=request.user)
        return cart
    if guest is None and create:
        guest = cart_open(user=None)
        request.session[SESSION_CART] = guest.pk
    return guest


def error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def cart_groups(items):
    grouped = defaultdict(list)
    for item in items:
        grouped[item.variant.product.seller].append(item)
    groups = []
    for seller, seller_items in sorted(grouped.items(), key=lambda kv: kv[0].pk):
        goods = sum(i.variant.price * i.quantity for i in seller_items)
        weight = sum(selectors.variant_weight(i.variant) * i.quantity for i in seller_items)
        groups.append({"seller": seller, "items": seller_items, "goods": goods, "weight": weight})
    return groups
