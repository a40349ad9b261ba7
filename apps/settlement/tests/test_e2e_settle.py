"""Browser, the web-store path of the settlement (issue #14): a buyer pays by transfer, the order is
completed, the officer settles the month (generate, record a payout, close), and the seller downloads its
statement from its back office."""

import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from apps.core.formatting import today_wib
from apps.jobs.services import job_run_pending
from apps.orders.models import Order, OrderStatus
from apps.orders.tests.factories import BUYER_VILLAGE, make_seller, make_variant
from apps.orders.tests.test_payments import png_bytes
from apps.settlement.models import Statement
from apps.settlement.tests.factories import rule

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "rahasia-kuat-123"


def login(page, username):
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page).not_to_have_url(re.compile(r"/akun/masuk/"))


def new_page(browser, live_server, width=390, height=844):
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": width, "height": height})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    return pg


def test_buyer_pays_by_transfer_officer_settles_the_month_seller_downloads_statement(
    page, browser, live_server, make_user, operator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    make_user("pembeli1", role="pembeli", first_name="Siti")
    sri_user = make_user("penjual_sri", role="mitra_umkm")
    sri = make_seller(name="Keripik Bu Sri", user=sri_user, rate=12000)
    tempe = make_variant(sri, price=25000, stock=10, name="Keripik tempe")
    rule(percent_bp=1000, valid_from=date(2020, 1, 1))  # the department's 10%

    # The buyer buys two packs and pays by transfer with a proof.
    login(page, "pembeli1")
    page.goto(reverse("store:product", args=[tempe.product.pk, tempe.product.slug]))
    page.get_by_label("Jumlah").fill("2")
    page.get_by_role("button", name="Tambah ke keranjang").click()
    expect(page.get_by_role("status").first).to_contain_text("masuk keranjang")
    page.goto(reverse("orders:cart"))
    page.get_by_role("button", name="Lanjut ke pembayaran").click()
    page.get_by_label("Nama penerima").fill("Siti Aminah")
    page.get_by_label("Nomor HP").fill("081234567890")
    page.get_by_label("E-mail").fill("siti@contoh.id")
    page.get_by_label("Alamat (jalan, RT/RW)").fill("Jl. Raya Kemangkon 5 RT 01/02")
    page.get_by_label("Desa/kelurahan").select_option(BUYER_VILLAGE)
    page.get_by_role("button", name="Lanjut: pengiriman").click()
    page.get_by_label(re.compile(r"JNE REG — Rp12\.000")).check()
    page.get_by_label("Transfer bank").check()
    page.get_by_role("button", name="Buat pesanan").click()
    page.get_by_label(re.compile("Bukti transfer")).set_input_files(
        files=[{"name": "bukti.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.get_by_role("button", name="Kirim bukti transfer").click()
    expect(page.get_by_test_id("payment-status")).to_have_text("Menunggu verifikasi")

    # The operator verifies; the seller ships; the buyer confirms: the order is completed.
    op = new_page(browser, live_server, 1366, 900)
    login(op, "operator1")
    op.goto(reverse("orders:transfer_queue"))
    op.locator("table a").first.click()
    op.get_by_role("button", name="Dana sudah masuk: verifikasi").click()
    expect(op.get_by_text("diverifikasi")).to_be_visible()
    sp = new_page(browser, live_server)
    login(sp, "penjual_sri")
    sp.goto(reverse("orders:seller_orders"))
    sp.locator("table a").first.click()
    sp.get_by_role("button", name="Proses pesanan").click()
    sp.get_by_label("Nomor resi").fill("JP1000001")
    sp.get_by_role("button", name="Kirim pesanan").click()
    expect(sp.get_by_test_id("order-status")).to_have_text("Dikirim")
    order = Order.objects.get()
    page.goto(reverse("orders:buyer_order", args=[order.number]))
    page.get_by_role("button", name="Pesanan sudah saya terima").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Selesai")
    assert Order.objects.get().status == OrderStatus.COMPLETED

    # The officer settles the month: generate (background job), pay part, close.
    month = today_wib().strftime("%Y-%m")
    op.goto(reverse("settlement:period") + f"?bulan={month}")
    op.get_by_role("button", name=re.compile("Susun laporan")).click()
    expect(op).to_have_url(re.compile(r"/tugas/"))
    job_run_pending()  # the worker's part; the job page reloads itself when done
    op.get_by_role("link", name="Lihat laporan periode ini").click()
    op.get_by_role("link", name="Keripik Bu Sri").click()
    expect(op.get_by_text(f"Pesanan {order.number}")).to_be_visible()
    op.get_by_role("button", name="Catat pembayaran").click()
    op.get_by_label("Jumlah dibayarkan").fill("20.000")
    op.get_by_label("Referensi bank").fill("TRF-SRI-01")
    op.get_by_role("button", name="Simpan pembayaran").click()
    expect(op.get_by_text("Pembayaran ke penjual dicatat.")).to_be_visible()
    op.get_by_role("button", name=re.compile("Tutup laporan ini")).click()
    expect(op.get_by_text("Laporan ditutup")).to_be_visible()
    statement = Statement.objects.get()
    assert (statement.is_closed, statement.net, statement.payouts, statement.closing_balance) == (
        True,
        45_000,
        20_000,
        25_000,
    )

    # The seller finds its balance in its menu and downloads the statement.
    sp.goto("/")
    sp.locator("details.menu > summary").click()  # the phone menu
    sp.locator("details.menu").get_by_role("link", name="Saldo toko").click()
    expect(sp.get_by_text("Saldo terutang ke toko: Rp25.000")).to_be_visible()
    with sp.expect_download() as download:
        sp.get_by_role("link", name="PDF").first.click()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(Path(download.value.path()).read_bytes())).pages)
    assert "Keripik Bu Sri" in text and f"Pesanan {order.number}" in text and "Rp25.000" in text
    for p in (op, sp):
        p.context.close()
