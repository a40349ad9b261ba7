"""A guest checkout's address gets one mail (payment link, amount, account, deadline, confirmation link) and
nothing more until the link is used; an account holder's checkout is confirmed from the start."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.formatting import wib
from apps.orders.models import Payment
from apps.orders.services.checkout import contact_token
from apps.orders.services.payments import payment_cancel, payment_reject_proof, payment_upload_proof
from apps.orders.tests.factories import make_seller, make_variant, place
from apps.orders.tests.test_payments import png_bytes

pytestmark = pytest.mark.django_db
ACCOUNT = "Bank Jateng 1-234-56789-0 a.n. Dinkop UKM Kab. Purbalingga"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://toko.contoh.id"
    settings.ORDERS_BANK_ACCOUNT = ACCOUNT
    settings.ORDERS_COD_CONFIRM_HOURS = 6


def _checkout(method, buyer=None, capture=None):
    v = make_variant(make_seller(), price=45000, stock=5)
    with capture(execute=True):
        payment = place([(v, 2)], method=method, buyer=buyer)
    return Payment.objects.get(pk=payment.pk)


def test_guest_transfer_first_mail_has_everything_to_pay_and_the_confirmation_link(
    mailoutbox, django_capture_on_commit_callbacks
):
    payment = _checkout("transfer", capture=django_capture_on_commit_callbacks)
    assert [(m.to, m.subject) for m in mailoutbox] == [(["siti@contoh.id"], f"Pesanan {payment.code} diterima")]
    assert mailoutbox[0].body == "\n\n".join(
        [
            f"Terima kasih. Pesanan Anda {payment.code} senilai Rp90.000 sudah kami terima.",
            f"Halaman pembayaran: https://toko.contoh.id/pesanan/bayar/{payment.access_token}/",
            f"Transfer Rp90.000 ke {ACCOUNT} sebelum {wib(payment.expires_at)}, lalu unggah bukti transfer di "
            "halaman itu.",
            "Konfirmasi alamat e-mail ini agar kami bisa mengabarkan status pesanan: "
            f"https://toko.contoh.id/pesanan/konfirmasi/{contact_token(payment)}/",
        ]
    )


def test_guest_cod_first_mail_says_the_deadline_of_the_confirmation(mailoutbox, django_capture_on_commit_callbacks):
    payment = _checkout("cod", capture=django_capture_on_commit_callbacks)
    assert mailoutbox[0].body.split("\n\n")[2:] == [
        "Bayar Rp90.000 tunai saat barang diterima.",
        f"Konfirmasi alamat e-mail ini sebelum {wib(payment.expires_at)} agar penjual memproses pesanan; tanpa "
        "konfirmasi pesanan dibatalkan otomatis: "
        f"https://toko.contoh.id/pesanan/konfirmasi/{contact_token(payment)}/",
    ]


def test_no_second_mail_to_an_unconfirmed_address_then_mails_after_confirmation(
    client, operator, mailoutbox, django_capture_on_commit_callbacks
):
    payment = _checkout("transfer", capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        payment_upload_proof(payment=payment, upload=SimpleUploadedFile("b.png", png_bytes()), actor=None)
        payment_reject_proof(payment=payment, note="Nominal tidak sesuai", actor=operator)
    assert len(mailoutbox) == 1  # only the first mail
    page = client.get(f"/pesanan/konfirmasi/{contact_token(payment)}/")
    assert page.status_code == 200
    assert "Konfirmasi bahwa siti@contoh.id adalah alamat e-mail Anda" in page.content.decode()
    assert Payment.objects.get().contact_confirmed_at is None  # a GET (a mail scanner) confirms nothing
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/pesanan/konfirmasi/{contact_token(payment)}/").status_code == 302
        payment_cancel(payment=Payment.objects.get(), reason="Tidak jadi", actor=None)
    assert [m.subject for m in mailoutbox] == [f"Pesanan {payment.code} diterima", f"Pesanan {payment.code} dibatalkan"]


def test_account_holder_is_confirmed_and_gets_no_confirmation_link(
    buyer, mailoutbox, django_capture_on_commit_callbacks
):
    payment = _checkout("cod", buyer=buyer, capture=django_capture_on_commit_callbacks)
    assert payment.contact_confirmed_at is not None and payment.expires_at is None
    assert "konfirmasi" not in mailoutbox[0].body.lower()
    with django_capture_on_commit_callbacks(execute=True):
        payment_cancel(payment=payment, reason="Tidak jadi", actor=buyer)
    assert len(mailoutbox) == 2
