"""Browser: a buyer buys from two sellers, pays by transfer with a proof, the operator verifies, both
sellers ship, the buyer confirms, and each seller's omzet dashboard shows the sale."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from apps.omzet.models import OmzetLine
from apps.orders.models import Order, OrderStatus, Payment, PaymentStatus
from apps.orders.tests.factories import BUYER_VILLAGE, make_seller, make_variant
from apps.orders.tests.test_payments import png_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "rahasia-kuat-123"


def login(page, username):
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page).not_to_have_url(re.compile(r"/akun/masuk/"))


def new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    return pg


def product_url(variant):
    return reverse("store:product", args=[variant.product.pk, variant.product.slug])


def test_buy_from_two_sellers_pay_by_transfer_ship_confirm_and_see_omzet(
    page, browser, live_server, make_user, operator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    make_user("pembeli1", role="pembeli", first_name="Siti")
    sri_user = make_user("penjual_sri", role="mitra_umkm")
    batik_user = make_user("penjual_batik", role="mitra_umkm")
    sri = make_seller(name="Keripik Bu Sri", user=sri_user, rate=12000)
    batik = make_seller(name="Batik Wirasaba", user=batik_user, rate=15000)
    tempe = make_variant(sri, price=25000, stock=10, name="Keripik tempe")
    kain = make_variant(batik, price=150000, stock=2, name="Batik tulis", variant_name="2 m")

    # The buyer fills the cart from two shops' product pages.
    login(page, "pembeli1")
    page.goto(product_url(tempe))
    page.get_by_label("Jumlah").fill("2")
    page.get_by_role("button", name="Tambah ke keranjang").click()
    expect(page.get_by_role("status").first).to_contain_text("masuk keranjang")
    page.goto(product_url(kain))
    page.get_by_role("button", name="Tambah ke keranjang").click()
    expect(page.get_by_test_id("cart-total")).to_have_text("Rp200.000")

    # Address with a village code, then a courier per shop, transfer.
    page.get_by_role("button", name="Lanjut ke pembayaran").click()
    page.get_by_label("Nama penerima").fill("Siti Aminah")
    page.get_by_label("Nomor HP").fill("081234567890")
    page.get_by_label("E-mail").fill("siti@contoh.id")
    page.get_by_label("Alamat (jalan, RT/RW)").fill("Jl. Raya Kemangkon 5 RT 01/02")
    page.get_by_label("Desa/kelurahan").select_option(BUYER_VILLAGE)
    page.get_by_role("button", name="Lanjut: pengiriman").click()
    page.get_by_label(re.compile(r"JNE REG — Rp12\.000")).check()
    page.get_by_label(re.compile(r"JNE REG — Rp15\.000")).check()
    page.get_by_label("Transfer bank").check()
    page.get_by_role("button", name="Buat pesanan").click()
    expect(page.get_by_test_id("payment-status")).to_have_text("Menunggu pembayaran")
    expect(page.get_by_text("Rp227.000").first).to_be_visible()
    page.get_by_label(re.compile("Bukti transfer")).set_input_files(
        files=[{"name": "bukti.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.get_by_role("button", name="Kirim bukti transfer").click()
    expect(page.get_by_test_id("payment-status")).to_have_text("Menunggu verifikasi")
    payment = Payment.objects.get()

    # The operator verifies the transfer.
    op = new_page(browser, live_server)
    login(op, "operator1")
    op.goto(reverse("orders:transfer_queue"))
    op.get_by_role("link", name=payment.code).click()
    op.get_by_role("button", name="Dana sudah masuk: verifikasi").click()
    expect(op.get_by_text("diverifikasi")).to_be_visible()
    assert Payment.objects.get().status == PaymentStatus.PAID

    # Each seller processes and ships their own order with a resi.
    for username, resi in (("penjual_sri", "JP1000001"), ("penjual_batik", "JP2000002")):
        sp = new_page(browser, live_server)
        login(sp, username)
        sp.goto(reverse("orders:seller_orders"))
        sp.locator("table a").first.click()
        sp.get_by_role("button", name="Proses pesanan").click()
        sp.get_by_label("Nomor resi").fill(resi)
        sp.get_by_role("button", name="Kirim pesanan").click()
        expect(sp.get_by_test_id("order-status")).to_have_text("Dikirim")
        sp.context.close()

    # The buyer confirms both.
    for order in Order.objects.order_by("pk"):
        page.goto(reverse("orders:buyer_order", args=[order.number]))
        page.get_by_role("button", name="Pesanan sudah saya terima").click()
        expect(page.get_by_test_id("order-status")).to_have_text("Selesai")
    assert set(Order.objects.values_list("status", flat=True)) == {OrderStatus.COMPLETED}

    # The omzet: goods only (no shipping), one ledger line per order line, on each seller's dashboard.
    assert sorted(OmzetLine.objects.values_list("seller__shop_name", "amount")) == [
        ("Batik Wirasaba", 150000),
        ("Keripik Bu Sri", 50000),
    ]
    for username, amount in (("penjual_sri", "Rp50.000"), ("penjual_batik", "Rp150.000")):
        sp = new_page(browser, live_server)
        login(sp, username)
        sp.goto(reverse("omzet:my_dashboard"))
        expect(sp.get_by_test_id("omzet-total")).to_have_text(amount)
        sp.context.close()
    op.context.close()
