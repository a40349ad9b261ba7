"""M6: an anonymous cash-on-delivery checkout cannot take a product's stock for ever. A guest's COD checkout
holds stock only until its e-mail is confirmed or ORDERS_COD_CONFIRM_HOURS pass (then it expires and the stock
returns, once); a seller cannot process it before; one buyer holds at most ORDERS_COD_MAX_OPEN_UNITS in COD
orders no seller has processed."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.orders.models import Order, OrderStatus, Payment, PaymentStatus
from apps.orders.services.checkout import Recipient, WantedLine, checkout_place, contact_token
from apps.orders.services.fulfilment import order_process
from apps.orders.services.payments import payment_confirm_contact, payments_expire_due
from apps.orders.tests.factories import BUYER_VILLAGE, make_seller, make_variant
from apps.store.models import Variant

pytestmark = pytest.mark.django_db


def guest_cod(lines, *, email="tamu@contoh.id", phone="081200000001", buyer=None):
    sellers = {v.product.seller_id for v, _q in lines}
    return checkout_place(
        lines=[WantedLine(v.pk, q) for v, q in lines],
        recipient=Recipient(name="Tamu", phone=phone, email=email, address="Jl. Mawar 1", village_code=BUYER_VILLAGE),
        shipping=dict.fromkeys(sellers, "ambil"),
        method="cod",
        buyer=buyer,
        actor=buyer,
    )


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.ORDERS_COD_CONFIRM_HOURS = 6
    settings.ORDERS_COD_MAX_OPEN_UNITS = 20


def test_whole_stock_taken_by_a_guest_comes_back_when_not_confirmed(operator):
    v = make_variant(make_seller(), stock=15)
    payment = guest_cod([(v, 15)])
    assert Variant.objects.get().stock == 0
    assert payment.status == PaymentStatus.COD
    assert payment.contact_confirmed_at is None
    assert payment.expires_at is not None
    assert timedelta(hours=5, minutes=59) < payment.expires_at - timezone.now() <= timedelta(hours=6)
    with pytest.raises(ValidationError, match="belum mengonfirmasi e-mailnya"):
        order_process(order=payment.orders.get(), actor=operator)
    assert payments_expire_due(now=timezone.now() + timedelta(hours=5, minutes=50)) == 0
    assert payments_expire_due(now=timezone.now() + timedelta(hours=6, minutes=1)) == 1
    assert payments_expire_due(now=timezone.now() + timedelta(hours=7)) == 0
    assert Variant.objects.get().stock == 15  # back exactly once
    assert Payment.objects.get().status == PaymentStatus.EXPIRED
    assert list(Order.objects.values_list("status", "stock_released")) == [(OrderStatus.CANCELLED, True)]


def test_the_worker_expires_them_without_a_cron_entry():
    from apps.orders import jobs

    v = make_variant(make_seller(), stock=4)
    payment = guest_cod([(v, 4)])
    Payment.objects.filter(pk=payment.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    jobs._last_expiry_check[0] = float("-inf")
    from apps.jobs.services import job_idle_run

    job_idle_run()
    assert Payment.objects.get().status == PaymentStatus.EXPIRED
    assert Variant.objects.get().stock == 4


def test_confirmed_guest_keeps_the_reservation_and_the_seller_can_process(operator):
    v = make_variant(make_seller(), stock=5)
    payment = guest_cod([(v, 2)])
    payment_confirm_contact(payment=payment, actor=None)
    payment.refresh_from_db()
    assert payment.contact_confirmed_at is not None and payment.expires_at is None
    assert payments_expire_due(now=timezone.now() + timedelta(days=30)) == 0
    order_process(order=payment.orders.get(), actor=operator)
    assert Order.objects.get().status == OrderStatus.PROCESSING
    assert Variant.objects.get().stock == 3


def test_confirming_after_expiry_is_refused_and_takes_no_stock():
    v = make_variant(make_seller(), stock=5)
    payment = guest_cod([(v, 2)])
    payments_expire_due(now=timezone.now() + timedelta(hours=7))
    with pytest.raises(ValidationError, match="sudah kedaluwarsa; silakan pesan kembali"):
        payment_confirm_contact(payment=payment, actor=None)
    assert Variant.objects.get().stock == 5
    assert Payment.objects.get().contact_confirmed_at is None


@pytest.mark.parametrize(
    ("earlier", "same_person", "wanted", "allowed"),
    [
        (0, {}, 20, True),
        (0, {}, 21, False),
        (15, {}, 5, True),
        (15, {}, 6, False),
        (15, {"email": "TAMU@contoh.id", "phone": "089999999999"}, 6, False),  # same e-mail, any case
        (15, {"email": "lain@contoh.id", "phone": "081200000001"}, 6, False),  # same phone
        (15, {"email": "lain@contoh.id", "phone": "089999999999"}, 6, True),  # somebody else
    ],
)
def test_open_cod_units_per_buyer_are_capped(earlier, same_person, wanted, allowed):
    v = make_variant(make_seller(), stock=100)
    if earlier:
        guest_cod([(v, earlier)])
    if allowed:
        guest_cod([(v, wanted)], **same_person)
        assert Variant.objects.get().stock == 100 - earlier - wanted
    else:
        with pytest.raises(ValidationError, match=f"dibatasi 20 barang per pembeli .*sudah memesan {earlier}"):
            guest_cod([(v, wanted)], **same_person)
        assert Variant.objects.get().stock == 100 - earlier
        assert Payment.objects.count() == (1 if earlier else 0)


def test_cap_counts_only_orders_no_seller_processed(operator, buyer):
    v = make_variant(make_seller(), stock=100)
    first = guest_cod([(v, 20)], buyer=buyer, email=buyer.email)
    order_process(order=first.orders.get(), actor=operator)  # the seller accepted it: no longer hoarding
    guest_cod([(v, 20)], buyer=buyer, email=buyer.email)
    with pytest.raises(ValidationError, match="sudah memesan 20"):
        guest_cod([(v, 1)], buyer=buyer, email="alamat-lain@contoh.id", phone="089999999999")


def test_the_confirmation_link_is_bound_to_payment_and_address(client):
    v = make_variant(make_seller(), stock=5)
    payment = guest_cod([(v, 1)])
    other = guest_cod([(v, 1)], email="lain@contoh.id", phone="089999999999")
    token = contact_token(payment)
    assert client.get(f"/pesanan/konfirmasi/{token}x/").status_code == 404
    assert client.get(f"/pesanan/konfirmasi/{payment.access_token}/").status_code == 404  # the page's token
    Payment.objects.filter(pk=payment.pk).update(buyer_email="diubah@contoh.id")
    assert client.get(f"/pesanan/konfirmasi/{token}/").status_code == 404
    response = client.post(f"/pesanan/konfirmasi/{contact_token(other)}/")
    assert response.status_code == 302 and response["Location"] == f"/pesanan/bayar/{other.access_token}/"
    assert list(Payment.objects.order_by("pk").values_list("contact_confirmed_at", flat=True))[0] is None
    assert Payment.objects.get(pk=other.pk).contact_confirmed_at is not None
