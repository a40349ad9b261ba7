"""The store in a phone browser: browse, filter, search (stemmed and misspelt), and curation until listed."""

import io
import re

import pytest
from playwright.sync_api import expect

from apps.accounts import demo as accounts_demo
from apps.core.management.commands.demo import DemoContext

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def store_demo(transactional_regions, settings, tmp_path):
    from apps.store import demo
    from apps.store.tests.conftest import forget_store_caches

    settings.MEDIA_ROOT = tmp_path / "media"
    forget_store_caches()
    ctx = DemoContext(1, 1, io.StringIO())
    accounts_demo.build(ctx)
    demo.build(ctx)
    return ctx


def names(page):
    return page.locator(".grid-products .pname").all_inner_texts()


def test_browse_filter_and_search(page, store_demo):
    page.goto("/")
    expect(page.get_by_role("heading", name="Produk terbaru")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Kerajinan")).first.click()
    expect(page.get_by_role("heading", name="Kerajinan")).to_be_visible()
    assert names(page) == ["Tas Rajutan Benang Nilon"]

    page.goto("/toko/")
    page.get_by_text("Filter dan urutan").click()
    page.get_by_label("Urutkan").select_option("termahal")
    page.get_by_role("button", name="Terapkan").click()
    expect(page.locator(".grid-products .pname").first).to_have_text("Kain Batik Tulis Purbalinggan")

    page.get_by_label("Cari produk").first.fill("rajutan")
    page.get_by_label("Cari produk").first.press("Enter")
    expect(page.locator(".grid-products .pname")).to_have_text(["Tas Rajutan Benang Nilon"])

    page.get_by_label("Cari produk").first.fill("kripik tempe")
    page.get_by_label("Cari produk").first.press("Enter")
    expect(page.locator(".grid-products .pname")).to_have_text(["Keripik Tempe Sagu"])
    page.get_by_role("link", name="Keripik Tempe Sagu").click()
    expect(page.get_by_role("heading", name="Keripik Tempe Sagu")).to_be_visible()
    expect(page.get_by_role("cell", name="Rp10.000")).to_be_visible()

    page.goto("/toko/produk-desa/")
    page.get_by_role("link", name="Kemangkon").click()
    expect(page.locator(".grid-products .pname")).to_have_text(["Tas Rajutan Benang Nilon"])


def test_operator_curates_submitted_product_until_listed(page, store_demo):
    page.goto("/toko/?q=dompet")
    expect(page.get_by_text("Tidak ada produk yang cocok")).to_be_visible()

    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill("operator")
    page.get_by_label("Kata sandi").fill(accounts_demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.goto("/toko/kurasi/")
    page.get_by_role("link", name="Dompet Rajut Mini").click()
    page.get_by_role("button", name="Setujui dan tayangkan").click()
    expect(page.get_by_text("Produk disetujui dan tayang di toko.")).to_be_visible()

    page.goto("/toko/?q=dompet")
    expect(page.locator(".grid-products .pname")).to_have_text(["Dompet Rajut Mini"])
