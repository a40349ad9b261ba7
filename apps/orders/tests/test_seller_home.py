"""The seller's side of the shop (issue #18): the home page a seller lands on after login, the order list
that shows what to pack with what needs doing first, and status badges that tell "act now" from "waiting"
and "done" by colour, sign and words."""

from datetime import datetime

import pytest
from django.urls import reverse

from apps.core.formatting import WIB, today_wib
from apps.omzet.models import Channel, ChannelKind, OmzetLine
from apps.orders.models import STATUS_TONE, Order, OrderStatus
from apps.orders.tests.factories import make_seller, make_variant, place
from apps.store.models import Product, ProductStatus

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "tone"),
    [
        (OrderStatus.PAID, "act"),
        (OrderStatus.PROCESSING, "act"),
        (OrderStatus.PLACED, "wait"),
        (OrderStatus.SHIPPED, "wait"),
        (OrderStatus.DELIVERED, "wait"),
        (OrderStatus.COMPLETED, "done"),
        (OrderStatus.CANCELLED, "stopped"),
        (OrderStatus.RETURNED, "stopped"),
        (OrderStatus.REFUNDED, "stopped"),
    ],
)
def test_status_tones(status, tone):
    assert STATUS_TONE[status] == tone
    assert Order(status=status).status_tone == tone


def test_every_status_has_a_tone():
    assert set(STATUS_TONE) == set(OrderStatus.values)


@pytest.fixture
def shop(make_user, buyer):
    user = make_user("penjual1", role="mitra_umkm")
    seller = make_seller(name="Rajut Bu Sri", user=user)
    tas = make_variant(seller, name="Tas Rajut", variant_name="Krem", stock=2)
    dompet = make_variant(seller, name="Dompet Rajut", variant_name="", stock=30)
    old = place([(dompet, 1)], buyer=buyer).orders.get()
    paid = place([(tas, 2), (dompet, 3)], buyer=buyer).orders.get()
    done = place([(dompet, 1)], buyer=buyer).orders.get()
    Order.objects.filter(pk=paid.pk).update(status=OrderStatus.PAID)
    Order.objects.filter(pk=done.pk).update(status=OrderStatus.COMPLETED)
    return {"user": user, "seller": seller, "old": old, "paid": paid, "done": done, "tas": tas}


def test_seller_lands_on_the_home_page_after_login(client, shop):
    client.force_login(shop["user"])
    assert client.get(reverse("core:dashboard")).url == reverse("orders:seller_home")


def test_home_page_says_what_needs_doing(client, shop):
    seller = shop["seller"]
    Product.objects.filter(pk=make_variant(seller, name="Nopia").product_id).update(
        status=ProductStatus.SUBMITTED, listed=False
    )
    Product.objects.filter(pk=make_variant(seller, name="Sale").product_id).update(
        status=ProductStatus.REJECTED, listed=False
    )
    channel = Channel.objects.get_or_create(
        code="web", regency_id="33.03", defaults={"name": "Tuka-Tuku", "kind": ChannelKind.WEB}
    )[0]
    today = today_wib()
    OmzetLine.objects.create(
        seller=seller,
        channel=channel,
        regency_id="33.03",
        product_name="Tas Rajut",
        source_key="uji-1",
        counted_at=datetime(today.year, today.month, 1, 9, tzinfo=WIB),
        quantity=1,
        amount=1_250_000,
    )
    client.force_login(shop["user"])
    html = client.get(reverse("orders:seller_home")).content.decode()
    assert "Perlu dikirim" in html and f"{reverse('orders:seller_orders')}?status=perlu" in html
    assert "Tas Rajut — Krem</a>: <strong>habis</strong>" in html  # low stock: the paid order took both
    assert "Dompet Rajut" not in html.split("Stok menipis")[1].split("</article>")[0]  # 28 left: not low
    assert "Rp1.250.000" in html
    assert "1 ditolak, perlu diperbaiki" in html


def test_home_page_refused_to_others(client, buyer, operator):
    for user in (buyer, operator):
        client.force_login(user)
        assert client.get(reverse("orders:seller_home")).status_code == 403
    client.logout()
    assert client.get(reverse("orders:seller_home")).status_code == 302


def test_order_list_puts_what_to_act_on_first_and_shows_what_to_pack(client, shop):
    client.force_login(shop["user"])
    html = client.get(reverse("orders:seller_orders")).content.decode()
    positions = [html.index(shop[k].number) for k in ("paid", "done", "old")]
    assert positions[0] < min(positions[1:])  # the paid order first, then newest first
    assert "<strong>2 ×</strong> Tas Rajut — Krem" in html and "<strong>3 ×</strong> Dompet Rajut</li>" in html
    assert 'class="badge status status-act"' in html and "perlu tindakan" in html
    assert 'class="badge status status-done"' in html and "✓" in html
    only = client.get(reverse("orders:seller_orders"), {"status": "perlu"}).content.decode()
    assert shop["paid"].number in only and shop["done"].number not in only and shop["old"].number not in only
    assert "Perlu dikirim (1)" in only
