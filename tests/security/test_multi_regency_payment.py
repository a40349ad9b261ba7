"""L1: a payment spanning two regencies is verified only by an officer who can see every order of it, or by the
department that owns the store's bank account (ORDERS_STORE_ACCOUNT_REGENCY); one regency's operator cannot
confirm another regency's order as paid."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.orders.models import Order, OrderStatus, Payment, PaymentStatus
from apps.orders.services.payments import payment_upload_proof
from apps.orders.tests.factories import make_seller, make_variant, place
from apps.orders.tests.test_payments import png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanning(make_user, operator, other_operator, buyer, admin_user, settings, tmp_path):
    """One transfer paying a 33.03 shop and a 33.02 shop, its proof uploaded."""
    settings.MEDIA_ROOT = tmp_path
    purbalingga = make_variant(make_seller(name="Keripik Bu Sri", regency="33.03"))
    banyumas = make_variant(make_seller(name="Getuk Banyumas", regency="33.02"))
    payment = place([(purbalingga, 1), (banyumas, 1)], buyer=buyer)
    payment_upload_proof(payment=payment, upload=SimpleUploadedFile("b.png", png_bytes()), actor=buyer)
    return {
        "anonymous": None,
        "buyer": buyer,
        "seller": make_user("penjual9", role="mitra_umkm"),
        "operator_3303": operator,
        "operator_3302": other_operator,
        "operator_3301": make_user("operator_cilacap", role="operator", regions=["33.01"]),
        "operator_both": make_user("operator_dua", role="operator", regions=["33.02", "33.03"]),
        "head_3303": make_user("kepala9", role="kepala_dinas", regions=["33.03"]),
        "admin": admin_user,
        "payment": payment,
    }


@pytest.mark.parametrize(
    ("store_account", "who", "status", "verified"),
    [
        ("33.03", "anonymous", 302, False),
        ("33.03", "buyer", 403, False),
        ("33.03", "seller", 403, False),
        ("33.03", "operator_3302", 404, False),  # sees only one of the two orders
        ("33.03", "operator_3301", 404, False),
        ("33.03", "operator_3303", 302, True),  # the department owning the store account
        ("33.03", "head_3303", 302, True),
        ("33.03", "operator_both", 302, True),  # sees every order
        ("33.03", "admin", 302, True),
        ("33.01", "operator_3303", 404, False),  # the account belongs to another department: one order only
        ("33.01", "operator_3302", 404, False),
        ("33.01", "operator_3301", 302, True),
        ("33.01", "operator_both", 302, True),
    ],
)
def test_spanning_payment_verification(client, settings, spanning, store_account, who, status, verified):
    settings.ORDERS_STORE_ACCOUNT_REGENCY = store_account
    payment = spanning["payment"]
    if spanning[who] is not None:
        client.force_login(spanning[who])
    review = reverse("orders:transfer_review", args=[payment.code])
    assert client.get(review).status_code == (200 if verified else status)
    proof = client.get(reverse("orders:transfer_proof", args=[payment.code]))
    assert proof.status_code == (200 if verified else status)
    if proof.status_code == 200:
        assert b"".join(proof.streaming_content).startswith(b"\x89PNG")
    response = client.post(review, {"action": "verify"})
    assert response.status_code == status
    assert Payment.objects.get().status == (PaymentStatus.PAID if verified else PaymentStatus.VERIFYING)
    expected = OrderStatus.PAID if verified else OrderStatus.PLACED
    assert list(Order.objects.order_by("pk").values_list("status", flat=True)) == [expected, expected]


@pytest.mark.parametrize(
    ("who", "listed"),
    [("operator_3303", True), ("operator_3302", False), ("operator_3301", False), ("operator_both", True)],
)
def test_transfer_queue_lists_only_verifiable_payments(client, settings, spanning, who, listed):
    settings.ORDERS_STORE_ACCOUNT_REGENCY = "33.03"
    client.force_login(spanning[who])
    body = client.get(reverse("orders:transfer_queue")).content.decode()
    assert (spanning["payment"].code in body) is listed


@pytest.mark.parametrize(("who", "status"), [("operator_3303", 302), ("operator_3302", 404), ("operator_both", 302)])
def test_single_regency_payment_stays_with_its_regency(
    client, settings, make_user, operator, other_operator, buyer, tmp_path, who, status
):
    """The store-account department gets the spanning payments, not the other regencies' own ones."""
    settings.MEDIA_ROOT = tmp_path
    settings.ORDERS_STORE_ACCOUNT_REGENCY = "33.02"
    payment = place([(make_variant(make_seller(regency="33.03")), 1)], buyer=buyer)
    payment_upload_proof(payment=payment, upload=SimpleUploadedFile("b.png", png_bytes()), actor=buyer)
    users = {
        "operator_3303": operator,
        "operator_3302": other_operator,
        "operator_both": make_user("operator_dua", role="operator", regions=["33.02", "33.03"]),
    }
    client.force_login(users[who])
    response = client.post(reverse("orders:transfer_review", args=[payment.code]), {"action": "verify"})
    assert response.status_code == status
    assert Payment.objects.get().status == (PaymentStatus.PAID if status == 302 else PaymentStatus.VERIFYING)
