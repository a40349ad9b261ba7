"""Midtrans (Snap) notification protocol: the signature and the meaning of a transaction status.

signature_key = SHA512(order_id + status_code + gross_amount + server_key), hex. A payment counts as
paid only on `settlement`, or on `capture` with fraud_status `accept` (card payments).
"""

import hashlib
import hmac

PAID = "paid"
FAILED = "failed"
NEUTRAL = "neutral"


def signature(*, order_id: str, status_code: str, gross_amount: str, server_key: str) -> str:
    return hashlib.sha512(f"{order_id}{status_code}{gross_amount}{server_key}".encode()).hexdigest()


def signature_valid(payload: dict, server_key: str) -> bool:
    expected = signature(
        order_id=str(payload.get("order_id", "")),
        status_code=str(payload.get("status_code", "")),
        gross_amount=str(payload.get("gross_amount", "")),
        server_key=server_key,
    )
    return hmac.compare_digest(expected, str(payload.get("signature_key", "")))


def outcome_of(transaction_status: str, fraud_status: str) -> str:
    """PAID, FAILED (release the reservation unless already paid) or NEUTRAL (nothing to do)."""
    if transaction_status == "settlement":
        return PAID
    if transaction_status == "capture":
        if fraud_status == "accept":
            return PAID
        if fraud_status == "deny":
            return FAILED
        return NEUTRAL  # challenge: wait for the merchant's decision
    if transaction_status in ("expire", "cancel", "deny", "failure"):
        return FAILED
    return NEUTRAL


def gross_amount_text(amount: int) -> str:
    """Midtrans writes amounts with two decimals: 150000 → "150000.00"."""
    return f"{amount}.00"
