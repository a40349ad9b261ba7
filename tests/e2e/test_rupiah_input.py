"""A seller types a price the Indonesian way on a phone: the page shows what will be saved, a large change
of a listed product asks for confirmation and reaches the curators."""

import re

import pytest
from playwright.sync_api import expect

from apps.accounts import demo as accounts_demo
from tests.e2e.test_store import store_demo  # noqa: F401  (fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def login(page, username):
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(accounts_demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def test_price_preview_confirmation_and_curation(page, store_demo, artefacts):  # noqa: F811
    from apps.store.models import PriceChangeFlag, Product, Variant

    product = Product.objects.get(name="Tas Rajutan Benang Nilon")
    login(page, "penjual")
    page.goto(f"/toko/kelola/produk/{product.pk}/")
    price = page.locator("#id_varian-0-price")
    expect(price).to_have_value("85.000")
    expect(page.locator("#id_varian-0-price_rupiah")).to_have_text("Akan disimpan: Rp85.000")
    assert price.get_attribute("type") == "text"

    price.fill("90,5")
    expect(page.locator("#id_varian-0-price_rupiah")).to_have_text("Belum terbaca sebagai rupiah (contoh: 90.000).")
    price.fill("Rp 87.500")
    expect(page.locator("#id_varian-0-price_rupiah")).to_have_text("Akan disimpan: Rp87.500")
    price.fill("90")
    expect(page.locator("#id_varian-0-price_rupiah")).to_have_text("Akan disimpan: Rp90")
    page.get_by_role("button", name="Simpan", exact=True).click()

    warning = page.locator("#konfirmasi-harga")
    expect(warning).to_contain_text("Harga berubah lebih dari separuh")
    expect(warning).to_contain_text("Rp85.000 → Rp90 (-99%)")
    assert Variant.objects.get(sku="RBS-TAS-1").price == 85_000
    page.get_by_role("button", name=re.compile("Ya, harga baru benar")).click()
    expect(page.get_by_text("Perubahan tersimpan.")).to_be_visible()
    assert Variant.objects.get(sku="RBS-TAS-1").price == 90
    assert PriceChangeFlag.objects.filter(checked_at__isnull=True).count() == 1
    page.screenshot(path=artefacts / "rupiah-seller-phone.png", full_page=True)

    page.context.clear_cookies()
    login(page, "operator")
    page.goto("/toko/kurasi/")
    expect(page.get_by_role("heading", name="Perubahan harga besar (produk tayang)")).to_be_visible()
    page.get_by_role("button", name="Sudah diperiksa").click()
    expect(page.get_by_text("Perubahan harga ditandai sudah diperiksa.")).to_be_visible()
    assert PriceChangeFlag.objects.filter(checked_at__isnull=True).count() == 0


def test_catalogue_price_filter_reads_dots(page, store_demo):  # noqa: F811
    page.goto("/toko/")
    page.get_by_text("Filter dan urutan").click()
    page.get_by_label("Harga dari (Rp)").fill("80.000")
    expect(page.locator("#f-harga-min_rupiah")).to_have_text("Dibaca sebagai Rp80.000")
    page.get_by_role("button", name="Terapkan").click()
    prices = page.locator(".grid-products .price").all_inner_texts()
    assert prices and all(int(re.sub(r"\D", "", p)) >= 80_000 for p in prices)
