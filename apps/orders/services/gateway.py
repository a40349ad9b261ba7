"""Gateway notifications (Midtrans Snap style): verified, logged, applied at most once.

Notifications repeat and arrive out of order. The payment row is locked and the decision is taken
from its current state, so a later `pending` never undoes a `settlement`, a repeated `settlement`
changes nothing, and `expire`/`cancel`/`deny` release the reservation only while still unpaid.
"""

import hashlib
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.actors import Actor
from apps.orders.conf import midtrans_server_key
from apps.orders.gateway import midtrans
from apps.orders.models import GatewayNotification, Payment, PaymentMethod, PaymentStatus
from apps.orders.services.payments import _close_unpaid, _gateway_paid_late, _mark_paid

SIGNATURE_INVALID = "signature_invalid"
# what is kept of a notification whose signature is wrong: anyone can send one, so never the whole body
REJECTED_EXCERPT_CHARS = 2048


def rejected_payload(raw: bytes) -> dict[str, Any]:
    """A bounded record of an unsigned body: its first 2 KB as text, its size and its SHA-256."""
    return {
        "excerpt": raw[: REJECTED_EXCERPT_CHARS * 4].decode("utf-8", errors="replace")[:REJECTED_EXCERPT_CHARS],
        "size": len(raw),
        "sha256": hashlib.sha256(raw).hexdigest(),
    }


def gateway_notification_receive(
    *, payload: dict[str, Any], raw_body: bytes | None = None, actor: Actor | None = None
) -> tuple[int, str]:
    """Apply one notification. Returns (HTTP status for the gateway, outcome word).

    403 for a bad signature or a status that does not match its signed status_code (nothing
    changes; only a bounded excerpt of `raw_body` is stored), 404 for an unknown order_id, 400 for an
    amount that does not match ours, 200 otherwise (also for repeats, so the gateway stops retrying).
    """
    order_id = str(payload.get("order_id", ""))[:64]
    status = str(payload.get("transaction_status", ""))[:20]
    fraud = str(payload.get("fraud_status", "") or "")[:20]
    status_code = str(payload.get("status_code", ""))
    if not (
        midtrans.signature_valid(payload, midtrans_server_key())
        and midtrans.status_consistent(status, status_code, fraud)
    ):
        GatewayNotification.objects.create(
            order_id=order_id,
            transaction_status=status,
            fraud_status=fraud,
            signature_valid=False,
            outcome=SIGNATURE_INVALID,
            payload=rejected_payload(raw_body if raw_body is not None else json.dumps(payload).encode()),
        )
        return 403, SIGNATURE_INVALID
    with transaction.atomic():
        http, outcome = _apply(payload, order_id=order_id, status=status, fraud=fraud, actor=actor)
        GatewayNotification.objects.create(
            order_id=order_id,
            transaction_status=status,
            fraud_status=fraud,
            signature_valid=True,
            outcome=outcome,
            payload=payload,
        )
    return http, outcome


def _apply(payload: dict[str, Any], *, order_id: str, status: str, fraud: str, actor: Actor | None) -> tuple[int, str]:
    payment = Payment.objects.select_for_update().filter(code=order_id).first()
    if payment is None:
        return 404, "unknown_order"
    if payment.method != PaymentMethod.GATEWAY:
        return 400, "not_gateway_payment"
    try:
        gross = Decimal(str(payload.get("gross_amount", "")))
    except InvalidOperation:
        return 400, "amount_mismatch"
    if gross != payment.amount:
        return 400, "amount_mismatch"
    meaning = midtrans.outcome_of(status, fraud)
    changes = {"transaction_status": status, "fraud_status": fraud}
    if meaning == midtrans.PAID:
        if payment.status in (PaymentStatus.PENDING, PaymentStatus.VERIFYING):
            payment.gateway_status = status
            payment.gateway_transaction_id = str(payload.get("transaction_id", ""))[:64]
            payment.save(update_fields=["gateway_transaction_id"])
            _mark_paid(payment, actor=actor, action="payment.gateway_paid", changes=changes)
            return 200, "paid"
        if payment.status in (PaymentStatus.EXPIRED, PaymentStatus.CANCELLED):
            payment.gateway_status = status
            _gateway_paid_late(payment, actor=actor, changes=changes)
            return 200, "paid_late" if payment.status == PaymentStatus.PAID_LATE else "reopened"
        return 200, "duplicate"
    if meaning == midtrans.FAILED:
        if payment.status == PaymentStatus.PENDING:
            payment.gateway_status = status
            _close_unpaid(
                payment,
                status=PaymentStatus.EXPIRED if status == "expire" else PaymentStatus.CANCELLED,
                actor=actor,
                action=f"payment.gateway_{status}",
                reason=_("Pembayaran daring %(s)s; pesanan dibatalkan dan stok dikembalikan.") % {"s": status},
            )
            return 200, "released"
        return 200, "ignored"
    return 200, "ignored"
