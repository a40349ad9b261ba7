import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from apps.audit.models import AuditEntry
from apps.orders.gateway import midtrans, sandbox
from apps.orders.models import GatewayNotification, Order, OrderStatus, Payment, PaymentStatus
from apps.orders.services.gateway import gateway_notification_receive
from apps.orders.services.payments import payments_expire_due
from apps.orders.tests.factories import make_seller, make_variant, place
from apps.store.models import Variant

pytestmark = pytest.mark.django_db


def test_signature_is_sha512_of_order_status_amount_and_key():
    # Midtrans' documented example inputs; the digest is SHA512 over the plain concatenation.
    import hashlib

    got = midtrans.signature(order_id="TT-1", status_code="200", gross_amount="150000.00", server_key="kunci")
    assert got == hashlib.sha512(b"TT-1200150000.00kunci").hexdigest()
    assert len(got) == 128


@pytest.mark.parametrize(
    ("status", "fraud", "meaning"),
    [
        ("settlement", "", "paid"),
        ("capture", "accept", "paid"),
        ("capture", "challenge", "neutral"),
        ("capture", "deny", "failed"),
        ("pending", "", "neutral"),
        ("expire", "", "failed"),
        ("cancel", "", "failed"),
        ("deny", "", "failed"),
        ("refund", "", "neutral"),
    ],
)
def test_meaning_of_transaction_status(status, fraud, meaning):
    assert midtrans.outcome_of(status, fraud) == meaning


def gateway_checkout(stock=10, quantity=2):
    v = make_variant(make_seller(), stock=stock, price=50000)
    return place([(v, quantity)], method="gateway"), v


def send(payment, status, fraud="", amount=None):
    note = sandbox.notification(
        order_id=payment.code, amount=payment.amount if amount is None else amount, status=status, fraud_status=fraud
    )
    return gateway_notification_receive(payload=note)


# Sequences as the gateway may deliver them (repeats, stale "pending" after the final word) and
# the end state: payment status, order status, stock left of 10 after reserving 2.
SEQUENCES = [
    (["settlement"], PaymentStatus.PAID, OrderStatus.PAID, 8),
    (["pending", "settlement", "pending", "settlement"], PaymentStatus.PAID, OrderStatus.PAID, 8),
    (["settlement", "expire"], PaymentStatus.PAID, OrderStatus.PAID, 8),
    (["settlement", "cancel", "deny"], PaymentStatus.PAID, OrderStatus.PAID, 8),
    (["capture:accept", "pending"], PaymentStatus.PAID, OrderStatus.PAID, 8),
    (["capture:challenge", "pending"], PaymentStatus.PENDING, OrderStatus.PLACED, 8),
    (["pending", "expire", "pending", "expire"], PaymentStatus.EXPIRED, OrderStatus.CANCELLED, 10),
    (["cancel", "pending"], PaymentStatus.CANCELLED, OrderStatus.CANCELLED, 10),
    (["deny"], PaymentStatus.CANCELLED, OrderStatus.CANCELLED, 10),
    (["capture:deny"], PaymentStatus.CANCELLED, OrderStatus.CANCELLED, 10),
    (["expire", "settlement"], PaymentStatus.PAID, OrderStatus.PAID, 8),  # money after expiry: re-reserved
]


@pytest.mark.parametrize(("sequence", "payment_status", "order_status", "stock"), SEQUENCES)
def test_notification_sequences(sequence, payment_status, order_status, stock):
    payment, variant = gateway_checkout()
    for item in sequence:
        status, _, fraud = item.partition(":")
        assert send(payment, status, fraud)[0] == 200
    payment.refresh_from_db()
    assert payment.status == payment_status
    assert Order.objects.get(payment=payment).status == order_status
    assert Variant.objects.get(pk=variant.pk).stock == stock


def test_settlement_after_expiry_without_stock_is_flagged_for_refund():
    payment, variant = gateway_checkout(stock=2, quantity=2)
    send(payment, "expire")
    other = place([(variant, 2)])  # somebody else bought the released goods
    assert send(payment, "settlement") == (200, "paid_late")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID_LATE
    assert Order.objects.get(payment=payment).status == OrderStatus.CANCELLED
    assert Variant.objects.get().stock == 0
    assert Order.objects.get(payment=other).status == OrderStatus.PLACED


def test_ten_identical_settlements_change_the_state_once():
    payment, _ = gateway_checkout()
    note = sandbox.notification(order_id=payment.code, amount=payment.amount, status="settlement")
    outcomes = [gateway_notification_receive(payload=dict(note))[1] for _ in range(10)]
    assert outcomes == ["paid"] + ["duplicate"] * 9
    assert AuditEntry.objects.filter(action="payment.gateway_paid").count() == 1
    assert GatewayNotification.objects.count() == 10


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        ({"signature_key": "0" * 128}, 403),
        ({"gross_amount": "1.00"}, 403),  # amount changed after signing
        ({}, 403),  # a signed "pending" replayed as "settlement": status_code 201 does not fit
        ({"transaction_status": "expire"}, 403),  # … nor as "expire" to cancel somebody's order
    ],
    ids=["signature", "amount", "pending-as-settlement", "pending-as-expire"],
)
def test_tampered_notification_is_refused_and_changes_nothing(client, tamper, expected):
    payment, variant = gateway_checkout()
    note = sandbox.notification(order_id=payment.code, amount=payment.amount, status="pending")
    note["transaction_status"] = "settlement"
    note.update(tamper)
    assert note["status_code"] == "201"
    response = client.post(reverse("orders:gateway_notification"), json.dumps(note), content_type="application/json")
    assert response.status_code == expected
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert Order.objects.get().status == OrderStatus.PLACED
    assert Variant.objects.get().stock == 8
    assert GatewayNotification.objects.get().outcome == "signature_invalid"


def test_signed_notification_with_another_amount_is_refused():
    payment, _ = gateway_checkout()
    assert send(payment, "settlement", amount=payment.amount - 1) == (400, "amount_mismatch")
    assert Payment.objects.get().status == PaymentStatus.PENDING


def test_unknown_order_id_is_404():
    note = sandbox.notification(order_id="TT-TIDAK-ADA", amount=1000, status="settlement")
    assert gateway_notification_receive(payload=note) == (404, "unknown_order")


def test_endpoint_rejects_garbage(client):
    url = reverse("orders:gateway_notification")
    assert client.post(url, "bukan json", content_type="application/json").status_code == 400
    assert client.get(url).status_code == 405


def test_sandbox_scenarios_against_the_endpoint(client):
    """The simulator's own sequences, delivered through the real HTTP endpoint (test client)."""
    payment, _ = gateway_checkout()

    def via_client(url, body):
        return client.post(url, json.dumps(body), content_type="application/json").status_code

    notes = sandbox.scenario_notifications(order_id=payment.code, amount=payment.amount, scenario="settlement")
    results = sandbox.deliver(url=reverse("orders:gateway_notification"), notifications=notes, send=via_client)
    assert results == [
        ("settlement", 200),
        ("pending", 200),
        ("settlement", 200),
        ("pending", 200),
        ("settlement", 200),
    ]
    assert Payment.objects.get().status == PaymentStatus.PAID
    assert list(GatewayNotification.objects.order_by("pk").values_list("outcome", flat=True)) == [
        "paid",
        "ignored",
        "duplicate",
        "ignored",
        "duplicate",
    ]


def test_sandbox_command_posts_signed_notifications(monkeypatch, client, capsys):
    payment, _ = gateway_checkout()
    sent = []

    def fake_post(url, body):
        sent.append(url)
        return client.post(
            reverse("orders:gateway_notification"), json.dumps(body), content_type="application/json"
        ).status_code

    monkeypatch.setattr(sandbox, "post_json", fake_post)
    call_command("orders_gateway_sandbox", payment.code, "--scenario", "expire", "--url", "http://127.0.0.1:9/x")
    assert capsys.readouterr().out.splitlines() == ["expire → HTTP 200", "pending → HTTP 200", "expire → HTTP 200"]
    assert sent == ["http://127.0.0.1:9/x"] * 3
    assert Payment.objects.get().status == PaymentStatus.EXPIRED


def test_expiry_job_and_a_late_pending_do_not_fight():
    from datetime import timedelta

    from django.utils import timezone

    payment, variant = gateway_checkout()
    assert payments_expire_due(now=timezone.now() + timedelta(days=2)) == 1
    assert send(payment, "pending") == (200, "ignored")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.EXPIRED
    assert Variant.objects.get().stock == 10
