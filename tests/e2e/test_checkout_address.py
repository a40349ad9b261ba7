import pytest
from playwright.sync_api import expect

from apps.orders.tests.factories import make_seller, make_variant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_address_picker_keeps_what_was_typed_and_finds_a_village_by_name(page, artefacts):
    """Choosing another regency reloads its villages without wiping the form; typing narrows the village list."""
    variant = make_variant(make_seller(), stock=5)
    product = variant.product
    page.goto(f"/toko/produk/{product.pk}/{product.slug}/")
    page.get_by_role("button", name="Tambah ke keranjang").click()
    page.goto("/pesanan/checkout/")
    page.get_by_label("Nama penerima").fill("Siti Aminah")
    page.get_by_label("Nomor HP").fill("081234567890")
    with page.expect_navigation():
        page.get_by_label("Kabupaten/kota").select_option(label="Kabupaten Banyumas")
    expect(page.get_by_label("Nama penerima")).to_have_value("Siti Aminah")
    expect(page.get_by_label("Nomor HP")).to_have_value("081234567890")
    expect(page.locator(".errorlist")).to_have_count(0)
    search = page.get_by_label("Cari nama desa atau kecamatan")
    search.fill("karangklesem")  # two villages of that name: the first kecamatan's (Pekuncen) comes first
    expect(page.locator("#id_village_code").locator("option:checked")).to_have_text("Karangklesem")
    assert page.locator("#id_village_code").evaluate("s => s.value") == "33.02.16.2003"
    search.fill("karangklesem purwokerto")
    village = page.locator("#id_village_code")
    expect(village.locator("option:checked")).to_have_text("Karangklesem")
    assert village.evaluate("s => s.value") == "33.02.24.1001"
    assert "33.02" not in page.locator("main").inner_text()  # no Kemendagri code shown to the buyer
    page.screenshot(path=artefacts / "checkout-address-390.png", full_page=True)
    page.get_by_label("E-mail").fill("siti@contoh.id")
    page.get_by_label("Alamat (jalan, RT/RW)").fill("Jl. Mawar 3")
    page.get_by_role("button", name="Lanjut: pengiriman").click()
    expect(page.get_by_text("Karangklesem, Purwokerto Selatan, Kabupaten Banyumas")).to_be_visible()
