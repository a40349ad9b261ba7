"""Access to the order pages, and their query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.orders.models import Order, OrderStatus, Payment, PaymentStatus
from apps.orders.services.fulfilment import order_process, order_ship
from apps.orders.services.payments import _mark_paid, payment_upload_proof
from apps.orders.tests.factories import make_seller, make_variant, place
from apps.orders.tests.test_payments import png_bytes

pytestmark = pytest.mark.django_db
PASSWORD = "rahasia-kuat-123"


@pytest.fixture
def world(make_user, operator, other_operator, buyer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seller_user = make_user("penjual1", role="mitra_umkm")
    other_seller_user = make_user("penjual2", role="mitra_umkm")
    shop = make_seller(name="Keripik Bu Sri", user=seller_user, rate=10000)
    make_seller(name="Toko Lain", user=other_seller_user)
    v = make_variant(shop)
    payment = place([(v, 1)], buyer=buyer, shipping={shop.pk: f"tarif-{shop.shipping_rates.get().pk}"})
    return {
        "anonymous": None,
        "buyer": buyer,
        "other_buyer": make_user("pembeli2"),
        "seller": seller_user,
        "other_seller": other_seller_user,
        "operator": operator,
        "other_operator": other_operator,
        "payment": payment,
        "order": payment.orders.get(),
    }


def login(client, user):
    if user is not None:
        client.force_login(user)


def pay(payment):
    _mark_paid(Payment.objects.get(pk=payment.pk), actor=None, action="payment.test_paid", changes={})


@pytest.mark.parametrize(
    ("who", "status", "changed"),
    [
        ("anonymous", 302, False),
        ("buyer", 403, False),
        ("other_seller", 404, False),
        ("other_operator", 403, False),
        ("seller", 302, True),
    ],
)
def test_seller_processes_only_their_shop_orders(client, world, who, status, changed):
    pay(world["payment"])
    login(client, world[who])
    order = world["order"]
    response = client.post(reverse("orders:seller_order", args=[order.number]), {"action": "process"})
    assert response.status_code == status
    if who == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))
    assert Order.objects.get(pk=order.pk).status == (OrderStatus.PROCESSING if changed else OrderStatus.PAID)


@pytest.mark.parametrize(
    ("who", "status", "changed"),
    [
        ("anonymous", 302, False),
        ("buyer", 403, False),
        ("seller", 403, False),
        ("other_operator", 404, False),
        ("operator", 302, True),
    ],
)
def test_operator_acts_on_orders_of_their_regency_only(client, world, who, status, changed):
    pay(world["payment"])
    login(client, world[who])
    order = world["order"]
    response = client.post(reverse("orders:operator_order", args=[order.number]), {"action": "process"})
    assert response.status_code == status
    assert Order.objects.get(pk=order.pk).status == (OrderStatus.PROCESSING if changed else OrderStatus.PAID)


@pytest.mark.parametrize(
    ("who", "status", "changed"),
    [
        ("anonymous", 302, False),
        ("buyer", 403, False),
        ("seller", 403, False),
        ("other_operator", 404, False),
        ("operator", 302, True),
    ],
)
def test_transfer_verification_access(client, world, who, status, changed):
    payment = world["payment"]
    payment_upload_proof(payment=payment, upload=SimpleUploadedFile("b.png", png_bytes()), actor=world["buyer"])
    login(client, world[who])
    response = client.post(reverse("orders:transfer_review", args=[payment.code]), {"action": "verify"})
    assert response.status_code == status
    assert Payment.objects.get().status == (PaymentStatus.PAID if changed else PaymentStatus.VERIFYING)
    proof = client.get(reverse("orders:transfer_proof", args=[payment.code]))
    assert proof.status_code == (200 if who == "operator" else status)
    if who == "operator":
        assert b"".join(proof.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("who", "status", "changed"),
    [
        ("anonymous", 302, False),
        ("other_buyer", 404, False),
        ("seller", 404, False),
        ("other_operator", 404, False),
        ("buyer", 302, True),
    ],
)
def test_only_the_buyer_confirms_receipt(client, world, who, status, changed):
    pay(world["payment"])
    order = world["order"]
    order_process(order=order, actor=world["operator"])
    order_ship(order=order, courier="JNE", tracking_number="JP1", actor=world["operator"])
    login(client, world[who])
    response = client.post(reverse("orders:buyer_order", args=[order.number]), {"action": "complete"})
    assert response.status_code == status
    assert Order.objects.get().status == (OrderStatus.COMPLETED if changed else OrderStatus.SHIPPED)


def test_payment_page_needs_the_token(client, world):
    assert client.get(reverse("orders:payment", args=["salah"])).status_code == 404
    page = client.get(reverse("orders:payment", args=[world["payment"].access_token]))
    assert page.status_code == 200
    assert world["payment"].code in page.content.decode()


def test_seller_order_list_shows_only_their_shop(client, world):
    other_shop = make_seller(name="Batik", user=None)
    place([(make_variant(other_shop), 1)])
    client.force_login(world["seller"])
    page = client.get(reverse("orders:seller_orders")).content.decode()
    assert world["order"].number in page
    assert page.count('<tr class="tone-') == 1  # one order (the header row has no tone)


@pytest.mark.parametrize(
    ("url_name", "who"),
    [
        ("orders:buyer_orders", "buyer"),
        ("orders:seller_orders", "seller"),
        ("orders:operator_orders", "operator"),
        ("orders:transfer_queue", "operator"),
    ],
)
def test_lists_use_a_fixed_number_of_queries(client, world, url_name, who):
    shop = world["order"].seller

    def add_orders(n):
        for _ in range(n):
            payment = place([(make_variant(shop), 1), (make_variant(make_seller(name="B")), 1)], buyer=world["buyer"])
            payment_upload_proof(payment=payment, upload=SimpleUploadedFile("b.png", png_bytes()), actor=None)

    client.force_login(world[who])
    add_orders(1)
    with CaptureQueriesContext(connection) as first:
        assert client.get(reverse(url_name)).status_code == 200
    add_orders(4)
    with CaptureQueriesContext(connection) as more:
        assert client.get(reverse(url_name)).status_code == 200
    assert len(more) == len(first)


def test_buyer_order_page_shows_no_sku_or_region_code_but_staff_do(client, world):
    order = world["order"]
    line = order.lines.first()
    login(client, world["buyer"])
    html = client.get(reverse("orders:buyer_order", args=[order.number])).content.decode()
    assert line.product_name in html
    assert line.sku not in html and f"({order.village_id})" not in html
    login(client, world["operator"])
    staff = client.get(reverse("orders:operator_order", args=[order.number])).content.decode()
    assert line.sku in staff
