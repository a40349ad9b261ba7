import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from apps.audit.models import AuditEntry
from apps.core.uploads import simple_pdf
from apps.orders.models import Order, OrderStatus, Payment, PaymentStatus
from apps.orders.services.fulfilment import order_process
from apps.orders.services.payments import (
    payment_cancel,
    payment_reject_proof,
    payment_upload_proof,
    payment_verify,
    payments_expire_due,
)
from apps.orders.tests.factories import make_seller, make_variant, place
from apps.store.models import Variant

pytestmark = pytest.mark.django_db


def png_bytes():
    buf = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("bukti.png", png_bytes(), None),
        ("bukti.pdf", simple_pdf("Bukti transfer"), None),
        (
            "bukti.pdf",
            b"%PDF-1.4\n<html><script>alert(1)</script></html>",
            "Bukti harus berupa gambar JPG/PNG atau PDF.",
        ),
        ("bukti.png", b"bukan gambar sama sekali", "Bukti harus berupa gambar JPG/PNG atau PDF."),
        ("bukti.txt", b"halo", "Bukti harus berupa gambar JPG/PNG atau PDF."),
        ("besar.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "Berkas bukti terlalu besar (maksimal 5 MB)."),
    ],
    ids=["png", "pdf", "html-posing-as-pdf", "fake-png", "text", "too-big"],
)
def test_transfer_proof_is_checked_by_content(media, buyer, name, content, error):
    payment = place([(make_variant(make_seller()), 1)], buyer=buyer)
    upload = SimpleUploadedFile(name, content)
    if error is None:
        payment_upload_proof(payment=payment, upload=upload, actor=buyer)
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.VERIFYING
        assert payment.proof.name.startswith("bukti-transfer/")
    else:
        with pytest.raises(ValidationError) as exc:
            payment_upload_proof(payment=payment, upload=upload, actor=buyer)
        assert exc.value.message_dict == {"proof": [error]}
        payment.refresh_from_db()
        assert (payment.status, payment.proof.name) == (PaymentStatus.PENDING, "")


def test_operator_verifies_a_transfer_and_sellers_are_told(
    media, buyer, operator, mailoutbox, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model

    seller_user = get_user_model().objects.create_user("penjual1", email="penjual1@contoh.id", role="mitra_umkm")
    a = make_variant(make_seller(user=seller_user))
    b = make_variant(make_seller(name="Lain"))
    payment = place([(a, 1), (b, 1)], buyer=buyer)
    payment_upload_proof(payment=payment, upload=SimpleUploadedFile("b.png", png_bytes()), actor=buyer)
    with django_capture_on_commit_callbacks(execute=True):
        payment_verify(payment=payment, actor=operator)
    payment.refresh_from_db()
    assert (payment.status, payment.verified_by) == (PaymentStatus.PAID, operator)
    assert set(payment.orders.values_list("status", flat=True)) == {OrderStatus.PAID}
    assert sorted(m.to[0] for m in mailoutbox) == ["penjual1@contoh.id", "siti@contoh.id"]
    # Verifying again changes nothing and writes no second audit entry.
    payment_verify(payment=payment, actor=operator)
    assert AuditEntry.objects.filter(action="payment.verify").count() == 1


def test_rejected_proof_lets_the_buyer_upload_again(media, buyer, operator):
    payment = place([(make_variant(make_seller()), 1)], buyer=buyer)
    payment_upload_proof(payment=payment, upload=SimpleUploadedFile("b.png", png_bytes()), actor=buyer)
    with pytest.raises(ValidationError):
        payment_reject_proof(payment=payment, note=" ", actor=operator)
    payment_reject_proof(payment=payment, note="Nominal tidak sesuai", actor=operator)
    payment.refresh_from_db()
    assert (payment.status, payment.review_note) == (PaymentStatus.PENDING, "Nominal tidak sesuai")
    payment_upload_proof(payment=payment, upload=SimpleUploadedFile("b2.png", png_bytes()), actor=buyer)
    payment.refresh_from_db()
    assert (payment.status, payment.review_note) == (PaymentStatus.VERIFYING, "")


def test_unpaid_reservations_expire_and_stock_returns(buyer):
    v = make_variant(make_seller(), stock=10)
    transfer = place([(v, 3)])
    guest_cod = place([(v, 2)], method="cod")  # e-mail never confirmed: holds stock for 6 hours only
    account_cod = place([(v, 1)], method="cod", buyer=buyer)  # an account holder's: no deadline
    verifying = place([(v, 1)])
    Payment.objects.filter(pk=verifying.pk).update(status=PaymentStatus.VERIFYING)
    assert Variant.objects.get().stock == 3

    assert payments_expire_due(now=timezone.now() + timedelta(hours=5)) == 0
    assert payments_expire_due(now=timezone.now() + timedelta(hours=7)) == 1
    assert Variant.objects.get().stock == 5
    assert payments_expire_due(now=timezone.now() + timedelta(hours=23)) == 0
    assert payments_expire_due(now=timezone.now() + timedelta(hours=25)) == 1
    assert payments_expire_due(now=timezone.now() + timedelta(hours=26)) == 0  # idempotent
    assert Variant.objects.get().stock == 8
    assert Payment.objects.get(pk=transfer.pk).status == PaymentStatus.EXPIRED
    assert list(Order.objects.filter(payment=transfer).values_list("status", "stock_released")) == [
        (OrderStatus.CANCELLED, True)
    ]
    assert Payment.objects.get(pk=guest_cod.pk).status == PaymentStatus.EXPIRED
    assert list(Order.objects.filter(payment=guest_cod).values_list("status", "stock_released", "status_note")) == [
        (
            OrderStatus.CANCELLED,
            True,
            "E-mail tidak dikonfirmasi tepat waktu; pesanan bayar di tempat dibatalkan otomatis.",
        )
    ]
    assert Payment.objects.get(pk=account_cod.pk).status == PaymentStatus.COD
    assert Payment.objects.get(pk=verifying.pk).status == PaymentStatus.VERIFYING


def test_orders_expire_command(capsys):
    v = make_variant(make_seller(), stock=5)
    payment = place([(v, 5)])
    Payment.objects.filter(pk=payment.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    call_command("orders_expire")
    assert capsys.readouterr().out.strip() == "kedaluwarsa: 1, selesai otomatis: 0"
    assert Variant.objects.get().stock == 5


def test_expiry_job_runs_in_the_worker():
    from apps.jobs.models import Job
    from apps.jobs.services import job_enqueue, job_run_pending

    v = make_variant(make_seller(), stock=5)
    payment = place([(v, 2)])
    Payment.objects.filter(pk=payment.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    job_enqueue(kind="orders_expire", params={}, actor=None)
    job_run_pending()
    job = Job.objects.get()
    assert (job.status, job.result["summary"]) == ("done", "kedaluwarsa: 1, selesai otomatis: 0")
    assert Variant.objects.get().stock == 5


def test_buyer_cancels_an_unpaid_checkout(buyer):
    v = make_variant(make_seller(), stock=5)
    payment = place([(v, 2), (make_variant(make_seller(name="B"), stock=1), 1)], buyer=buyer)
    payment_cancel(payment=payment, reason="", actor=buyer)
    assert list(Variant.objects.order_by("pk").values_list("stock", flat=True)) == [5, 1]
    assert set(Order.objects.values_list("status", flat=True)) == {OrderStatus.CANCELLED}
    payment_cancel(payment=payment, reason="", actor=buyer)  # again: no change
    assert list(Variant.objects.order_by("pk").values_list("stock", flat=True)) == [5, 1]


def test_paid_checkout_cannot_be_cancelled_as_unpaid(buyer, operator, media):
    payment = place([(make_variant(make_seller()), 1)], buyer=buyer)
    payment_upload_proof(payment=payment, upload=SimpleUploadedFile("b.png", png_bytes()), actor=buyer)
    payment_verify(payment=payment, actor=operator)
    order_process(order=payment.orders.get(), actor=operator)
    with pytest.raises(ValidationError):
        payment_cancel(payment=payment, reason="", actor=buyer)
    assert Payment.objects.get().status == PaymentStatus.PAID
