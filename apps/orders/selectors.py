"""Reads for the web-store sales flow. Access helpers return 404 for both "missing" and "not yours"."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Sum, Value, When
from django.http import Http404

from apps.orders.conf import store_account_regency
from apps.orders.models import (
    ACT_NOW,
    Cart,
    CartItem,
    Order,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    RateKind,
    SavedAddress,
    ShippingRate,
)
from apps.orders.rules import weight_kg_charged
from apps.regions.selectors import scope_queryset


@dataclass(frozen=True)
class ShippingOption:
    """A way a seller's order can travel. `key` is what the checkout form posts back."""

    key: str
    label: str
    cost: int
    courier: str = ""
    service: str = ""


PICKUP_KEY = "ambil"


def cart_items(cart: Cart | None) -> list[CartItem]:
    if cart is None or cart.pk is None:
        return []
    return list(
        cart.items.select_related("variant__product__seller").order_by("variant__product__seller_id", "variant_id")
    )


def cart_badge(request: Any) -> int:
    """How many items the visitor's cart holds, for the header (one query; none for a visitor without a cart)."""

    if request.user.is_authenticated:
        items = CartItem.objects.filter(cart__user=request.user)
    else:
        has_session = settings.SESSION_COOKIE_NAME in request.COOKIES  # no session read for a first visit
        cart_id = request.session.get("orders_cart_id") if has_session else None
        if not cart_id:
            return 0
        items = CartItem.objects.filter(cart_id=cart_id, cart__user__isnull=True)
    return int(items.aggregate(n=Sum("quantity"))["n"] or 0)


def variant_weight(variant: Any) -> int:
    return int(variant.weight_grams or variant.product.weight_grams or 0)


def shipping_options(*, seller: Any, destination_regency_code: str, weight_grams: int) -> list[ShippingOption]:
    """Courier services for a seller's parcel to a regency, cheapest first, then pickup at the shop.

    Per (courier, service) the most specific active rate wins: the seller's own before the
    department default, a destination-regency row before an any-destination row.
    """
    rates = ShippingRate.objects.filter(
        Q(seller=seller) | Q(seller__isnull=True),
        Q(destination_regency_id=destination_regency_code) | Q(destination_regency__isnull=True),
        is_active=True,
    )
    best: dict[tuple[str, str], tuple[tuple[int, int], ShippingRate]] = {}
    for rate in rates:
        rank = (0 if rate.seller_id else 1, 0 if rate.destination_regency_id else 1)
        key = (rate.courier, rate.service)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, rate)
    options = []
    for _rank, rate in best.values():
        cost = rate.amount if rate.kind == RateKind.FLAT else rate.amount * weight_kg_charged(weight_grams)
        options.append(
            ShippingOption(
                key=f"tarif-{rate.pk}",
                label=f"{rate.courier} {rate.service}",
                cost=cost,
                courier=rate.courier,
                service=rate.service,
            )
        )
    options.sort(key=lambda o: (o.cost, o.label))
    options.append(ShippingOption(key=PICKUP_KEY, label="Ambil sendiri di toko", cost=0))
    return options


def _order_qs() -> QuerySet[Order]:
    return Order.objects.select_related("seller", "payment", "village__parent__parent", "regency").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("pk"))
    )


def order_list_for_buyer(*, user: Any) -> QuerySet[Order]:
    return _order_qs().filter(buyer=user).order_by("-placed_at", "-pk")


# the seller list's filter for "what needs doing now" (paid, or packed and not yet sent)
ACT_NOW_FILTER = "perlu"


def order_list_for_seller(*, user: Any, status: str = "") -> QuerySet[Order]:
    """The orders of the user's shops, those to act on now first (`ACT_NOW`), then newest first."""
    urgent = Case(When(status__in=ACT_NOW, then=Value(0)), default=Value(1), output_field=IntegerField())
    qs = _order_qs().filter(seller__members__user=user).order_by(urgent, "-placed_at", "-pk")
    if status == ACT_NOW_FILTER:
        qs = qs.filter(status__in=ACT_NOW)
    elif status:
        qs = qs.filter(status=status)
    return qs


def seller_act_now_count(*, user: Any, seller: Any = None) -> int:
    """Orders of the user's shops (or of one of them) paid or packed and not yet sent."""
    qs = Order.objects.filter(seller__members__user=user, status__in=ACT_NOW)
    return qs.filter(seller=seller).count() if seller is not None else qs.count()


def seller_placed_count(*, seller: Any) -> int:
    """Orders placed and not yet paid (a cash-on-delivery order among them can be processed already)."""
    return Order.objects.filter(seller=seller, status=OrderStatus.PLACED).count()


def order_list_for_operator(*, user: Any, status: str = "", search: str = "") -> QuerySet[Order]:
    qs = scope_queryset(_order_qs(), user).order_by("-placed_at", "-pk")
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(Q(number__icontains=search) | Q(recipient_name__icontains=search))
    return qs


def payment_orders(payment: Payment) -> list[Order]:
    return list(_order_qs().filter(payment=payment).order_by("pk"))


def payments_for_operator(user: Any) -> QuerySet[Payment]:
    """The payments an officer may review and verify: those whose every order lies in the officer's regions.
    A checkout spanning regencies is not one regency's to confirm: it goes to the department that owns the
    store's bank account (`ORDERS_STORE_ACCOUNT_REGENCY`; the money arrives there). Administrators see all."""
    codes = user.regency_codes() if getattr(user, "is_authenticated", False) else set()
    if codes is None:
        return Payment.objects.all()
    in_scope = Order.objects.filter(payment=OuterRef("pk"), regency_id__in=codes)
    out_of_scope = Order.objects.filter(payment=OuterRef("pk")).exclude(regency_id__in=codes)
    wholly_mine = Q(Exists(in_scope)) & ~Q(Exists(out_of_scope))
    if store_account_regency() not in codes:
        return Payment.objects.filter(wholly_mine)
    spanning = (
        Order.objects.values("payment_id").annotate(n=Count("regency_id", distinct=True)).filter(n__gt=1)
    ).values("payment_id")
    return Payment.objects.filter(wholly_mine | Q(pk__in=spanning))


def transfer_queue(*, user: Any) -> QuerySet[Payment]:
    """Transfers with a proof waiting for an operator, limited to the payments the operator may verify."""
    return (
        payments_for_operator(user)
        .filter(method=PaymentMethod.TRANSFER, status=PaymentStatus.VERIFYING)
        .prefetch_related(Prefetch("orders", queryset=Order.objects.select_related("seller").order_by("pk")))
        .order_by("proof_uploaded_at", "pk")
    )


def access_order_for_buyer(user: Any, number: str) -> Order:
    order = _order_qs().filter(number=number, buyer=user).first() if user.is_authenticated else None
    if order is None:
        raise Http404
    return order


def access_order_for_seller(user: Any, number: str) -> Order:
    if not user.is_authenticated:
        raise Http404
    order = _order_qs().filter(number=number, seller__members__user=user).first()
    if order is None:
        raise Http404
    return order


def access_order_for_operator(user: Any, number: str) -> Order:
    if not (user.is_authenticated and user.is_officer):
        raise Http404
    order = scope_queryset(_order_qs(), user).filter(number=number).first()
    if order is None:
        raise Http404
    return order


def access_payment_by_token(token: str) -> Payment:
    """The buyer's own payment page; the unguessable token is what a guest holds instead of a login."""
    payment = Payment.objects.filter(access_token=token).first()
    if payment is None:
        raise Http404
    return payment


def access_payment_for_operator(user: Any, code: str) -> Payment:
    if not (user.is_authenticated and user.is_officer):
        raise Http404
    payment = payments_for_operator(user).filter(code=code).first()
    if payment is None:
        raise Http404
    return payment


def saved_addresses(*, user: Any) -> list[SavedAddress]:
    """An account holder's saved addresses, last used first, with the village's kecamatan and regency names."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(SavedAddress.objects.filter(user=user).select_related("village__parent__parent")[:10])
