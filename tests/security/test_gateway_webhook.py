"""The payment gateway's notification endpoint is unauthenticated (issue #15, M1): a bad-signature body is
kept only as a bounded excerpt (first 2 KB, size, SHA-256), a body over the size limit is refused unread, and
each source address (taken behind TRUSTED_PROXY_COUNT proxies only, as the login lockout does) has a rate."""

import hashlib
import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from apps.orders.models import GatewayNotification

pytestmark = pytest.mark.django_db
URL = "/pesanan/gateway/notifikasi/"


@pytest.fixture(autouse=True)
def fresh_counters(settings):
    settings.RATELIMIT_ENABLE = True  # off for the rest of the suite (conftest.py)
    cache.clear()
    yield
    cache.clear()


def unsigned(junk_bytes: int) -> bytes:
    return json.dumps(
        {"order_id": "x" * 100, "transaction_status": "settlement", "status_code": "200", "junk": "A" * junk_bytes}
    ).encode()


def test_url_is_the_probed_one():
    assert reverse("orders:gateway_notification") == URL


def test_bad_signature_body_is_stored_as_a_bounded_excerpt(client):
    body = unsigned(50_000)
    response = client.post(URL, data=body, content_type="application/json")
    assert (response.status_code, response.json()) == (403, {"status": "signature_invalid"})
    note = GatewayNotification.objects.get()
    assert (note.order_id, note.signature_valid, note.outcome) == ("x" * 64, False, "signature_invalid")
    assert note.payload == {
        "excerpt": body[:2048].decode(),
        "size": len(body),
        "sha256": hashlib.sha256(body).hexdigest(),
    }
    assert len(json.dumps(note.payload)) < 2300


def test_body_over_the_limit_is_refused_unread(client, settings):
    settings.ORDERS_GATEWAY_NOTIFICATION_MAX_BYTES = 65536
    response = client.post(URL, data=unsigned(9 * 1024 * 1024), content_type="application/json")
    assert (response.status_code, response.json()) == (413, {"status": "too_large"})
    response = client.post(URL, data=unsigned(70_000), content_type="application/json")
    assert response.status_code == 413
    assert GatewayNotification.objects.count() == 0


def test_rate_limit_per_source_address(client, settings):
    settings.ORDERS_GATEWAY_NOTIFICATION_RATE = "3/m"
    body = unsigned(10)
    codes = [client.post(URL, data=body, content_type="application/json").status_code for _ in range(5)]
    assert codes == [403, 403, 403, 429, 429]
    assert GatewayNotification.objects.count() == 3  # refused ones are not stored
    other = client.post(URL, data=body, content_type="application/json", REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 403
    assert GatewayNotification.objects.count() == 4


def test_rate_limit_ignores_a_forged_forwarded_for_without_trusted_proxies(client, settings):
    settings.ORDERS_GATEWAY_NOTIFICATION_RATE = "2/m"
    settings.TRUSTED_PROXY_COUNT = 0
    body = unsigned(10)
    codes = [
        client.post(URL, data=body, content_type="application/json", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
        for i in range(4)
    ]
    assert codes == [403, 403, 429, 429]


def test_rate_limit_behind_one_trusted_proxy_counts_the_client(client, settings):
    settings.ORDERS_GATEWAY_NOTIFICATION_RATE = "2/m"
    settings.TRUSTED_PROXY_COUNT = 1
    body = unsigned(10)

    def post(xff: str) -> int:
        return client.post(URL, data=body, content_type="application/json", HTTP_X_FORWARDED_FOR=xff).status_code

    # the same client behind the proxy, whatever it writes to the left of the proxy's entry
    assert [post(f"1.1.1.{i}, 198.51.100.7") for i in range(3)] == [403, 403, 429]
    assert post("198.51.100.8") == 403  # another client
