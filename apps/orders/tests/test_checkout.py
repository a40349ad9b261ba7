import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.audit.models import AuditEntry
from apps.orders.models import Order, OrderStatus, PaymentStatus, RateKind, ShippingMethod, ShippingRate
from apps.orders.rules import weight_kg_charged
from apps.orders.selectors import shipping_options
from apps.orders.services.checkout import OutOfStock
from apps.orders.tests.factories import make_seller, make_variant, place, recipient
from apps.store.models import Variant

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("grams", "kg"), [(0, 1), (1, 1), (999, 1), (1000, 1), (1001, 2), (2500, 3), (10000, 10)])
def test_weight_is_charged_in_whole_kilograms_rounded_up(grams, kg):
    assert weight_kg_charged(grams) == kg


def test_shipping_options_most_specific_rate_wins_and_pickup_is_last():
    seller = make_seller()
    other = make_seller(name="Batik Lain")
    # (seller, destination, courier, service, kind, amount)
    table = [
        (None, None, "JNE", "REG", RateKind.FLAT, 30000),  # department default, anywhere
        (None, "33.03", "JNE", "REG", RateKind.FLAT, 12000),  # default within Purbalingga
        (seller, None, "POS", "Kilat", RateKind.PER_KG, 9000),  # the seller's own, anywhere
        (seller, "33.03", "POS", "Kilat", RateKind.PER_KG, 5000),  # the seller's own, Purbalingga
        (other, "33.03", "SiCepat", "Halu", RateKind.FLAT, 1000),  # another shop's rate: not offered
    ]
    for s, dest, courier, service, kind, amount in table:
        ShippingRate.objects.create(
            seller=s, destination_regency_id=dest, courier=courier, service=service, kind=kind, amount=amount
        )
    got = shipping_options(seller=seller, destination_regency_code="33.03", weight_grams=1500)
    assert [(o.label, o.cost) for o in got] == [("POS Kilat", 10000), ("JNE REG", 12000), ("Ambil sendiri di toko", 0)]
    got = shipping_options(seller=seller, destination_regency_code="33.02", weight_grams=1500)
    assert [(o.label, o.cost) for o in got] == [("POS Kilat", 18000), ("JNE REG", 30000), ("Ambil sendiri di toko", 0)]


def test_checkout_makes_one_order_per_seller_under_one_payment(buyer):
    sri = make_seller(name="Keripik Bu Sri", rate=15000)
    batik = make_seller(name="Batik Wirasaba")
    tempe = make_variant(sri, price=25000, stock=10)
    kain = make_variant(batik, price=150000, stock=3, name="Batik tulis", variant_name="")
    shipping = {sri.pk: f"tarif-{ShippingRate.objects.get(seller=sri).pk}", batik.pk: "ambil"}
    payment = place([(tempe, 2), (kain, 1)], buyer=buyer, shipping=shipping)

    orders = list(payment.orders.order_by("number"))
    assert [(o.seller_id, o.goods_total, o.shipping_cost, o.total, o.shipping_method) for o in orders] == [
        (sri.pk, 50000, 15000, 65000, ShippingMethod.COURIER),
        (batik.pk, 150000, 0, 150000, ShippingMethod.PICKUP),
    ]
    assert [o.number for o in orders] == [f"{payment.code}-1", f"{payment.code}-2"]
    assert payment.amount == 215000
    assert payment.status == PaymentStatus.PENDING
    assert {o.status for o in orders} == {OrderStatus.PLACED}
    assert {o.regency_id for o in orders} == {"33.03"}
    assert [o.village_id for o in orders] == ["33.03.01.2001", "33.03.01.2001"]
    assert list(Variant.objects.order_by("pk").values_list("stock", flat=True)) == [8, 2]
    assert AuditEntry.objects.filter(action="payment.checkout", record_id=str(payment.pk)).count() == 1


def test_cash_on_delivery_has_no_deadline(buyer):
    v = make_variant(make_seller())
    payment = place([(v, 1)], method="cod", buyer=buyer)
    assert (payment.status, payment.expires_at) == (PaymentStatus.COD, None)


def test_out_of_stock_rolls_back_every_line():
    a = make_variant(make_seller(), stock=5)
    b = make_variant(make_seller(name="Lain"), stock=1)
    with pytest.raises(OutOfStock, match="tersedia 1"):
        place([(a, 2), (b, 2)])
    assert list(Variant.objects.order_by("pk").values_list("stock", flat=True)) == [5, 1]
    assert Order.objects.count() == 0


@pytest.mark.parametrize(
    ("code", "message"),
    [("33.03.01", "tidak dikenal"), ("99.99.99.9999", "tidak dikenal"), ("", "tidak dikenal")],
)
def test_destination_must_be_a_village_code(code, message):
    v = make_variant(make_seller())
    from apps.orders.services.checkout import WantedLine, checkout_place

    with pytest.raises(ValidationError, match=message):
        checkout_place(
            lines=[WantedLine(v.pk, 1)],
            recipient=recipient(village_code=code),
            shipping={v.product.seller_id: "ambil"},
            method="transfer",
            buyer=None,
            actor=None,
        )
    assert Variant.objects.get().stock == 10


def test_unknown_shipping_choice_is_refused():
    v = make_variant(make_seller())
    with pytest.raises(ValidationError, match="Pilih pengiriman"):
        place([(v, 1)], shipping={v.product.seller_id: "tarif-999"})
    assert Variant.objects.get().stock == 10


def test_unlisted_product_cannot_be_bought():
    v = make_variant(make_seller())
    v.product.status, v.product.listed = "diturunkan", False
    v.product.save()
    with pytest.raises(ValidationError, match="tidak sedang dijual"):
        place([(v, 1)])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    carts=st.lists(
        st.tuples(st.integers(0, 2), st.integers(1, 300000), st.integers(1, 4), st.integers(1, 3000)),
        min_size=1,
        max_size=6,
    ),
    flat=st.integers(0, 50000),
    per_kg=st.integers(0, 20000),
)
def test_money_adds_up(carts, flat, per_kg):
    """order total = Σ lines + shipping; payment = Σ orders; line = price × quantity."""
    sellers = [make_seller(name=f"Toko {i}") for i in range(3)]
    ShippingRate.objects.create(seller=sellers[0], courier="JNE", service="REG", kind=RateKind.FLAT, amount=flat)
    ShippingRate.objects.create(seller=sellers[1], courier="POS", service="Kilat", kind=RateKind.PER_KG, amount=per_kg)
    lines = [(make_variant(sellers[s], price=price, stock=qty, weight=grams), qty) for s, price, qty, grams in carts]
    used = {v.product.seller_id for v, _ in lines}
    shipping = {
        s.pk: (f"tarif-{s.shipping_rates.get().pk}" if s.shipping_rates.exists() else "ambil")
        for s in sellers
        if s.pk in used
    }
    payment = place(lines, shipping=shipping)
    orders = list(payment.orders.prefetch_related("lines"))
    assert len(orders) == len(used)
    for order in orders:
        assert order.total == sum(line.line_total for line in order.lines.all()) + order.shipping_cost
        for line in order.lines.all():
            assert line.line_total == line.unit_price * line.quantity
        if order.seller_id == sellers[1].pk:
            assert order.shipping_cost == per_kg * weight_kg_charged(order.weight_grams)
    assert payment.amount == sum(o.total for o in orders)
    assert payment.amount == sum(p * q for _s, p, q, _g in carts) + sum(o.shipping_cost for o in orders)
