"""A showroom keeper's day on a tablet (1024×768): receive goods from a seller, sell two items on the
quick-sale screen (one by a typed/scanned SKU, one by name), pay cash, print the receipt, close the day;
then the officer settles the month and the seller downloads its statement (issue #14)."""

import io
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from apps.core.formatting import today_wib
from apps.jobs.services import job_run_pending
from apps.konsinyasi.models import DayClosing, Sale
from apps.konsinyasi.tests.factories import make_location, make_seller, make_variant
from apps.omzet.models import OmzetLine
from apps.settlement.models import Statement

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOT_DIR")


def shot(page, name):
    """Screenshots at the tablet size and, when SCREENSHOT_DIR is set, at phone and desktop widths; the
    page never scrolls sideways."""
    for width, height in ((1024, 768), (390, 844), (1366, 900)):
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (name, width)
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1024, "height": 768})


@pytest.fixture
def tablet(browser, live_server, transactional_regions):
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 1024, "height": 768})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


def login(page, username, lands_on=r"/dasbor/$"):
    page.context.clear_cookies()
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill("rahasia-kuat-123")
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(re.compile(lands_on))


def test_receive_sell_two_close_the_day_settle_the_month_seller_downloads(tablet, operator, make_user):
    page = tablet
    seller = make_seller(name="Nopia Mino", user=make_user("penjual_nopia", role="mitra_umkm"))
    nopia = make_variant(seller, price=25000, name="Nopia isi 10", variant_name="kotak", stock=7)
    sale_pisang = make_variant(seller, price=18000, name="Sale Pisang", variant_name="250 g", stock=7)
    showroom = make_location()

    login(page, "operator1")
    page.goto("/showroom/")
    page.get_by_role("link", name="Showroom Purbalingga").click()
    page.get_by_role("button", name="Terima titipan").click()
    page.get_by_label("Penjual").select_option(str(seller.pk))
    for n, (variant, titip) in enumerate([(nopia, "20.000"), (sale_pisang, "")]):
        page.locator(f"#id_baris-{n}-sku").fill(variant.sku)
        page.locator(f"#id_baris-{n}-quantity").fill("10")
        page.locator(f"#id_baris-{n}-selling_price").fill(f"{variant.price:,}".replace(",", "."))
        if titip:
            page.locator(f"#id_baris-{n}-consignment_price").fill(titip)
        else:
            page.locator(f"#id_baris-{n}-commission_percent").fill("15")
    page.locator("#id_baris-1-expires_on").fill("2027-01-31")
    page.get_by_role("button", name="Simpan tanda terima").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tanda terima titipan TTP/33.03/")
    expect(page.get_by_role("button", name="Cetak label barcode (PDF)")).to_be_visible()

    page.goto(f"/showroom/lokasi/{showroom.pk}/kasir/")
    search = page.get_by_label("Cari nama atau pindai barcode")
    search.fill(nopia.sku)  # what a USB scanner types, followed by Enter
    search.press("Enter")
    expect(page.locator(".kasir-cart")).to_contain_text("Nopia isi 10 kotak")
    page.get_by_label("Cari nama atau pindai barcode").fill("sale pisang")
    page.get_by_label("Cari nama atau pindai barcode").press("Enter")
    page.get_by_role("button", name="Tambah Sale Pisang 250 g").click()
    expect(page.locator("#kasir-total")).to_have_text("Rp43.000")
    shot(page, "kasir")
    page.get_by_label("Tunai").check()
    page.get_by_label("Uang diterima (Rp)").fill("50.000")
    expect(page.locator("#kasir-change")).to_have_text("Rp7.000")
    page.get_by_role("button", name="Bayar dan cetak struk").click()
    expect(page.locator(".struk")).to_contain_text("Rp43.000")
    expect(page.locator(".struk")).to_contain_text("Rp7.000")
    shot(page, "struk")
    sale = Sale.objects.get()
    assert sorted(
        OmzetLine.objects.filter(source_key__startswith=f"konsinyasi:sale:{sale.pk}:").values_list(
            "amount", "commission"
        )
    ) == [
        (18000, 2700),
        (25000, 5000),
    ]

    page.goto(f"/showroom/lokasi/{showroom.pk}/tutup-kasir/")
    page.get_by_label("Modal kas awal (Rp)").fill("100.000")
    page.get_by_label("Kas dihitung (Rp)").fill("143.000")
    page.get_by_role("button", name="Tutup kasir hari ini").click()
    expect(page.locator("#closing-result")).to_contain_text("Rp143.000")
    shot(page, "tutup-kasir")
    closing = DayClosing.objects.get()
    assert (closing.expected_cash, closing.counted_cash, closing.difference) == (143000, 143000, 0)
    page.goto(f"/showroom/lokasi/{showroom.pk}/kasir/")
    expect(page.locator(".kasir").get_by_role("alert")).to_contain_text("sudah ditutup")

    # The officer settles the month: the statement lists the receipt with the agreed commissions.
    page.goto(f"/penyelesaian/?bulan={today_wib():%Y-%m}")
    page.get_by_role("button", name=re.compile("Susun laporan")).click()
    expect(page).to_have_url(re.compile(r"/tugas/"))
    job_run_pending()  # the worker's part; the job page reloads itself when done
    page.get_by_role("link", name="Lihat laporan periode ini").click()
    page.get_by_role("link", name="Nopia Mino").click()
    expect(page.get_by_text(f"Struk {sale.number}").first).to_be_visible()
    page.get_by_role("button", name=re.compile("Tutup laporan ini")).click()
    expect(page.get_by_text("Laporan ditutup")).to_be_visible()
    statement = Statement.objects.get(seller=seller)
    assert (statement.gross, statement.commission, statement.closing_balance) == (43000, 7700, 35300)

    # The seller, on the same tablet, downloads its statement from its menu.
    login(page, "penjual_nopia", lands_on=r"/pesanan/beranda-toko/")
    page.get_by_role("link", name="Saldo toko").locator("visible=true").first.click()
    expect(page.get_by_text("Saldo terutang ke toko: Rp35.300")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").first.click()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(Path(download.value.path()).read_bytes())).pages)
    assert "Nopia Mino" in text and f"Struk {sale.number}" in text and "Rp35.300" in text
