"""Real parallel connections on PostgreSQL: threads, each with its own database connection."""

import random

from apps.audit.models import AuditEntry
from apps.core.testing import POSTGRES_PARALLEL, run_parallel
from apps.orders.gateway import sandbox
from apps.orders.models import GatewayNotification, Order, OrderLine, Payment, PaymentStatus
from apps.orders.services.checkout import OutOfStock
from apps.orders.services.gateway import gateway_notification_receive
from apps.orders.tests.factories import make_seller, make_variant, place
from apps.store.models import Variant

pytestmark = POSTGRES_PARALLEL


def test_fifty_parallel_checkouts_for_a_stock_of_ten(transactional_regions):
    variant = make_variant(make_seller(), stock=10)
    results = run_parallel(50, lambda i: place([(variant, 1)]).pk)
    made = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, OutOfStock)]
    others = [r for r in results if not isinstance(r, int | OutOfStock)]
    assert others == []  # no deadlock, no serialization failure, nothing else
    assert (len(made), len(refused)) == (10, 40)
    assert Order.objects.count() == 10
    assert Variant.objects.get().stock == 0
    assert sum(OrderLine.objects.values_list("quantity", flat=True)) == 10


def test_crossing_multi_seller_carts_do_not_deadlock(transactional_regions):
    """Carts holding the same two variants, listed in opposite orders, with more buyers than stock."""
    a = make_variant(make_seller(name="A"), stock=12)
    b = make_variant(make_seller(name="B"), stock=12)

    def buy(i):
        lines = [(a, 1), (b, 2)] if i % 2 else [(b, 2), (a, 1)]
        random.Random(i).shuffle(lines)
        return place(lines).pk

    results = run_parallel(30, buy)
    made = [r for r in results if isinstance(r, int)]
    assert [r for r in results if not isinstance(r, int | OutOfStock)] == []
    assert len(made) == 6  # b runs out after 6 carts of 2
    stock = dict(Variant.objects.values_list("pk", "stock"))
    assert stock == {a.pk: 12 - 6, b.pk: 0}
    for variant in (a, b):
        sold = sum(OrderLine.objects.filter(variant=variant).values_list("quantity", flat=True))
        assert sold + stock[variant.pk] == 12


def test_ten_identical_notifications_in_parallel_change_the_state_once(transactional_regions):
    variant = make_variant(make_seller(), stock=5)
    payment = place([(variant, 2)], method="gateway")
    note = sandbox.notification(order_id=payment.code, amount=payment.amount, status="settlement")
    results = run_parallel(10, lambda i: gateway_notification_receive(payload=dict(note)))
    assert sorted(results) == sorted([(200, "paid")] + [(200, "duplicate")] * 9)
    assert Payment.objects.get().status == PaymentStatus.PAID
    assert AuditEntry.objects.filter(action="payment.gateway_paid").count() == 1
    assert GatewayNotification.objects.count() == 10
    assert Variant.objects.get().stock == 3


def test_tampered_signature_is_refused_under_load(transactional_regions):
    variant = make_variant(make_seller(), stock=5)
    payment = place([(variant, 1)], method="gateway")
    good = sandbox.notification(order_id=payment.code, amount=payment.amount, status="expire")
    forged = dict(good, signature_key="f" * 128, transaction_status="settlement", status_code="200")
    results = run_parallel(6, lambda i: gateway_notification_receive(payload=dict(forged if i % 2 else good)))
    assert sorted(results) == sorted([(403, "signature_invalid")] * 3 + [(200, "released")] + [(200, "ignored")] * 2)
    assert Payment.objects.get().status == PaymentStatus.EXPIRED
    assert Variant.objects.get().stock == 5


def test_expiry_racing_settlement_keeps_stock_consistent(transactional_regions):
    from datetime import timedelta

    from django.utils import timezone

    from apps.orders.services.payments import payments_expire_due

    variant = make_variant(make_seller(), stock=4)
    payments = [place([(variant, 1)], method="gateway") for _ in range(4)]
    notes = [sandbox.notification(order_id=p.code, amount=p.amount, status="settlement") for p in payments]
    later = timezone.now() + timedelta(days=2)

    def work(i):
        if i == 0:
            return payments_expire_due(now=later)
        return [gateway_notification_receive(payload=n) for n in notes]

    results = run_parallel(3, work)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert set(Payment.objects.values_list("status", flat=True)) == {PaymentStatus.PAID}
    assert Variant.objects.get().stock == 0
    assert Order.objects.filter(stock_released=False).count() == 4


def test_unconfirmed_cod_expiry_racing_its_confirmation_returns_stock_once_or_not_at_all(transactional_regions):
    """M6: the expiry job and the guest's click on the confirmation link at the same moment, many times over:
    either the checkout expired (stock back exactly once, confirmation refused) or it was confirmed (stock
    kept, nothing expired) — never both, never twice."""
    from datetime import timedelta

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from apps.orders.services.payments import payment_confirm_contact, payments_expire_due

    variant = make_variant(make_seller(), stock=40)
    payments = [place([(variant, 2)], method="cod") for _ in range(10)]
    assert Variant.objects.get().stock == 20
    later = timezone.now() + timedelta(hours=7)

    def work(i: int):
        if i % 2:
            return payments_expire_due(now=later)
        try:
            payment_confirm_contact(payment=payments[i // 2], actor=None)
        except ValidationError:
            return "refused"
        return "confirmed"

    results = run_parallel(20, work)
    assert [r for r in results if isinstance(r, Exception)] == []
    expired = Payment.objects.filter(status=PaymentStatus.EXPIRED)
    confirmed = Payment.objects.filter(status=PaymentStatus.COD, contact_confirmed_at__isnull=False)
    assert expired.count() + confirmed.count() == 10
    assert sum(r for r in results if isinstance(r, int)) == expired.count()
    assert (results.count("confirmed"), results.count("refused")) == (confirmed.count(), expired.count())
    assert not expired.filter(contact_confirmed_at__isnull=False).exists()
    assert Variant.objects.get().stock == 20 + 2 * expired.count()
    assert AuditEntry.objects.filter(action="payment.expire").count() == expired.count()
    assert set(Order.objects.filter(payment__in=expired).values_list("stock_released", flat=True)) <= {True}
