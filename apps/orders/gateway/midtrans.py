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


# The signature does not cover transaction_status, so a signed `pending` (201) could be replayed with
# its status rewritten to `settlement`. Each status must come with the status_code Midtrans sends for it.
STATUS_CODES: dict[str, frozenset[str]] = {
    "settlement": frozenset({"200"}),
    "capture": frozenset({"200", "201"}),  # 201: capture under fraud challenge
    "pending": frozenset({"201"}),
    "deny": frozenset({"202"}),
    "cancel": frozenset({"200", "202"}),
    "expire": frozenset({"407"}),
    "refund": frozenset({"200"}),
    "partial_refund": frozenset({"200"}),
    "failure": frozenset({"202"}),
}


def status_consistent(transaction_status: str, status_code: str, fraud_status: str = "") -> bool:
    codes = STATUS_CODES.get(transaction_status)
    if codes is None:
        return False
    if transaction_status == "capture" and fraud_status == "accept":
        return status_code == "200"
    return status_code in codes


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
