"""A local stand-in for the Midtrans gateway: it signs notifications with our server key and sends
them to our endpoint the way the real gateway does — repeated, and out of order.

Used by the sandbox page (`orders:gateway_sandbox`), by `manage.py orders_gateway_sandbox` and by the
tests; it speaks the real protocol, so the endpoint cannot tell it from the gateway.
"""

import json
import secrets
import urllib.error
import urllib.request
from collections.abc import Callable

from apps.orders.conf import midtrans_server_key
from apps.orders.gateway.midtrans import gross_amount_text, signature

STATUS_CODES = {
    "settlement": "200",
    "capture": "200",
    "pending": "201",
    "deny": "202",
    "cancel": "200",
    "expire": "407",
}

# Each scenario is the sequence the gateway may really produce: repeats, and a stale `pending`
# arriving after the final status.
SCENARIOS: dict[str, list[tuple[str, str]]] = {
    "settlement": [("settlement", ""), ("pending", ""), ("settlement", ""), ("pending", ""), ("settlement", "")],
    "capture": [("capture", "accept"), ("pending", ""), ("capture", "accept")],
    "challenge": [("pending", ""), ("capture", "challenge"), ("capture", "challenge")],
    "expire": [("expire", ""), ("pending", ""), ("expire", "")],
    "cancel": [("pending", ""), ("cancel", ""), ("cancel", ""), ("pending", "")],
    "deny": [("deny", ""), ("pending", ""), ("deny", "")],
    "pending": [("pending", ""), ("pending", "")],
}


def notification(*, order_id: str, amount: int, status: str, fraud_status: str = "", transaction_id: str = "") -> dict:
    gross = gross_amount_text(amount)
    code = STATUS_CODES.get(status, "200")
    if status == "capture" and fraud_status == "challenge":
        code = "201"
    body = {
        "transaction_time": "",
        "transaction_status": status,
        "transaction_id": transaction_id or secrets.token_hex(8),
        "status_message": "midtrans payment notification",
        "status_code": code,
        "signature_key": signature(
            order_id=order_id, status_code=code, gross_amount=gross, server_key=midtrans_server_key()
        ),
        "payment_type": "bank_transfer",
        "order_id": order_id,
        "merchant_id": "SANDBOX",
        "gross_amount": gross,
        "currency": "IDR",
    }
    if fraud_status:
        body["fraud_status"] = fraud_status
    return body


def scenario_notifications(*, order_id: str, amount: int, scenario: str) -> list[dict]:
    transaction_id = secrets.token_hex(8)
    return [
        notification(order_id=order_id, amount=amount, status=s, fraud_status=f, transaction_id=transaction_id)
        for s, f in SCENARIOS[scenario]
    ]


def post_json(url: str, body: dict) -> int:
    """POST like the gateway does; returns the HTTP status our endpoint answered."""
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (our own endpoint)
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except urllib.error.URLError:
        return 0


def deliver(
    *, url: str, notifications: list[dict], send: Callable[[str, dict], int] | None = None
) -> list[tuple[str, int]]:
    """Send each notification in turn; 0 stands for "our endpoint could not be reached"."""
    send = send or post_json
    return [(n["transaction_status"], send(url, n)) for n in notifications]
