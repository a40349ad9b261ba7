from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.omzet.models import OmzetLine
from apps.orders.models import Order, OrderStatus, Payment, PaymentStatus
from apps.orders.rules import TRANSITIONS
from apps.orders.services.fulfilment import (
    order_cancel,
    order_complete,
    order_deliver,
    order_process,
    order_refund,
    order_return,
    order_ship,
    orders_autocomplete_due,
)
from apps.orders.services.payments import _mark_paid
from apps.orders.tests.factories import make_seller, make_variant, place
from apps.store.models import Variant

pytestmark = pytest.mark.django_db

S = OrderStatus
# The lifecycle, as the SPEC and the issue describe it: transition → states it may start from.
ALLOWED_FROM = {
    "pay": {S.PLACED},
    "process": {S.PAID, S.PLACED},
    "ship": {S.PROCESSING},
    "deliver": {S.PROCESSING, S.SHIPPED},
    "complete": {S.SHIPPED, S.DELIVERED},
    "cancel": {S.PLACED},
    "refund": {S.PAID, S.PROCESSING},
    "return": {S.COMPLETED, S.RETURNED},
}
ENDS_IN = {
    "pay": S.PAID,
    "process": S.PROCESSING,
    "ship": S.SHIPPED,
    "deliver": S.DELIVERED,
    "complete": S.COMPLETED,
    "cancel": S.CANCELLED,
    "refund": S.REFUNDED,
    "return": S.RETURNED,
}


def test_transition_table():
    assert {k: set(v[0]) for k, v in TRANSITIONS.items()} == ALLOWED_FROM
    assert {k: v[1] for k, v in TRANSITIONS.items()} == ENDS_IN


def paid_order(buyer=None, *, courier=True, stock=10, quantity=2, price=25000):
    seller = make_seller(rate=12000)
    v = make_variant(seller, stock=stock, price=price)
    shipping = {seller.pk: f"tarif-{seller.shipping_rates.get().pk}" if courier else "ambil"}
    payment = place([(v, quantity)], buyer=buyer, shipping=shipping)
    _mark_paid(Payment.objects.get(pk=payment.pk), actor=None, action="payment.test_paid", changes={})
    return Order.objects.get(payment=payment), v


@pytest.mark.parametrize("status", list(OrderStatus.values))
def test_ship_only_from_processing(status, operator):
    order, _ = paid_order()
    Order.objects.filter(pk=order.pk).update(status=status)
    if status == S.PROCESSING:
        order_ship(order=order, courier="JNE", tracking_number="JP123", actor=operator)
        assert Order.objects.get().status == S.SHIPPED
    else:
        with pytest.raises(ValidationError, match="langkah ini tidak bisa dilakukan"):
            order_ship(order=order, courier="JNE", tracking_number="JP123", actor=operator)
        assert Order.objects.get().status == status


def test_web_sale_becomes_omzet_on_completion_and_a_return_reverses_it(buyer, operator):
    order, v = paid_order(buyer, quantity=3, price=25000)
    order_process(order=order, actor=operator)
    with pytest.raises(ValidationError, match="Nomor resi wajib diisi"):
        order_ship(order=order, courier="JNE", tracking_number=" ", actor=operator)
    order_ship(order=order, courier="JNE", tracking_number="JP0001", actor=operator)
    assert OmzetLine.objects.count() == 0
    order_complete(order=order, actor=buyer)
    order.refresh_from_db()
    line = order.lines.get()
    omzet = OmzetLine.objects.get()
    # goods value after discounts, excluding the Rp12.000 shipping, on the completion date
    assert (omzet.source_key, omzet.amount, omzet.quantity, omzet.seller_id, omzet.channel.code) == (
        f"web:{order.number}:{line.pk}",
        75000,
        3,
        order.seller_id,
        "web",
    )
    assert omzet.counted_at == order.completed_at
    with pytest.raises(ValidationError):
        order_complete(order=order, actor=buyer)
    assert OmzetLine.objects.count() == 1

    ret = order_return(order=order, quantities={line.pk: 1}, reason="Kemasan rusak", actor=operator)
    assert ret.amount == 25000
    reversal = OmzetLine.objects.exclude(pk=omzet.pk).get()
    assert (reversal.amount, reversal.quantity, reversal.reverses_id) == (-25000, -1, omzet.pk)
    with pytest.raises(ValidationError, match="paling banyak 2"):
        order_return(order=order, quantities={line.pk: 3}, reason="lagi", actor=operator)
    assert Order.objects.get().status == S.RETURNED
    assert sum(OmzetLine.objects.values_list("amount", flat=True)) == 50000
    actions = list(
        AuditEntry.objects.filter(record_type="orders.order").order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["order.process", "order.ship", "order.complete", "order.return"]


def test_cash_on_delivery_is_paid_when_delivered(buyer, operator):
    seller = make_seller(rate=10000)
    v = make_variant(seller)
    payment = place(
        [(v, 1)], method="cod", buyer=buyer, shipping={seller.pk: f"tarif-{seller.shipping_rates.get().pk}"}
    )
    order = payment.orders.get()
    order_process(order=order, actor=operator)
    order_ship(order=order, courier="", tracking_number="JP9", actor=operator)
    assert Order.objects.get().courier == "JNE"
    order_deliver(order=order, actor=operator)
    order.refresh_from_db()
    assert order.status == S.DELIVERED and order.paid_at == order.delivered_at


def test_transfer_order_cannot_be_processed_before_payment(operator):
    order = place([(make_variant(make_seller()), 1)]).orders.get()
    with pytest.raises(ValidationError, match="belum dibayar"):
        order_process(order=order, actor=operator)
    with pytest.raises(ValidationError, match="Batalkan seluruh pembayaran"):
        order_cancel(order=order, reason="x", actor=operator)


def test_pickup_goes_from_processing_to_delivered(buyer, operator):
    order, _ = paid_order(buyer, courier=False)
    order_process(order=order, actor=operator)
    with pytest.raises(ValidationError, match="diambil sendiri"):
        order_ship(order=order, courier="JNE", tracking_number="X", actor=operator)
    order_deliver(order=order, actor=operator)
    order_complete(order=order, actor=buyer)
    assert Order.objects.get().status == S.COMPLETED


def test_refund_returns_the_stock(operator):
    order, v = paid_order(quantity=2)
    assert Variant.objects.get().stock == 8
    with pytest.raises(ValidationError):
        order_refund(order=order, reason="", actor=operator)
    order_refund(order=order, reason="Stok rusak", actor=operator)
    assert (Order.objects.get().status, Variant.objects.get().stock) == (S.REFUNDED, 10)
    assert Payment.objects.get().status == PaymentStatus.PAID


def test_cod_order_cancelled_returns_stock(operator):
    payment = place([(make_variant(make_seller(), stock=3), 3)], method="cod")
    order_cancel(order=payment.orders.get(), reason="Pembeli tidak bisa dihubungi", actor=operator)
    assert (Order.objects.get().status, Variant.objects.get().stock) == (S.CANCELLED, 3)


def test_unconfirmed_orders_complete_after_seven_days(operator):
    now = timezone.now()
    old, _ = paid_order()
    recent, _ = paid_order()
    for order, days in ((old, 8), (recent, 6)):
        order_process(order=order, actor=operator)
        order_ship(order=order, courier="JNE", tracking_number="JP1", actor=operator)
        Order.objects.filter(pk=order.pk).update(shipped_at=now - timedelta(days=days))
    assert orders_autocomplete_due(now=now) == 1
    assert orders_autocomplete_due(now=now) == 0
    assert Order.objects.get(pk=old.pk).status == S.COMPLETED
    assert Order.objects.get(pk=recent.pk).status == S.SHIPPED
    assert OmzetLine.objects.filter(seller=old.seller).count() == 1
