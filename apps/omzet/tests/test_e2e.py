"""An operator imports a Shopee export on a phone, maps an unknown product, and reads the ledger; the
seller then sees the omzet on their dashboard chart."""

import csv
import re

import pytest
from playwright.sync_api import expect

from apps.jobs.services import job_run_pending
from apps.omzet.importers import FORMATS
from apps.omzet.tests.factories import make_seller, make_variant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def login(page, username):
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill("rahasia-kuat-123")
    page.get_by_role("button", name="Masuk").click()
    # a seller lands on its shop's home page, everyone else on the dashboard
    expect(page).to_have_url(re.compile(r"/(dasbor|pesanan/beranda-toko)/$"))


def test_operator_imports_maps_and_the_seller_sees_the_omzet(page, operator, make_user, tmp_path):
    owner = make_user("penjual1", role="mitra_umkm")
    seller = make_seller(name="Nopia Mino", district="33.03.05", user=owner)
    make_variant(seller=seller, sku="NP-10", name="Nopia isi 10", price=25000)
    make_variant(seller=seller, sku="SP-1", name="Sale Pisang", price=18000)
    path = tmp_path / "shopee.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(list(FORMATS["shopee"].columns))
        w.writerow(
            [
                "A1",
                "Selesai",
                "2019-11-01 10:00",
                "05-11-2019 09:00",
                "",
                "NP-10",
                "Nopia",
                "",
                "",
                "Rp25.000",
                "2",
                "0",
            ]
            + [""] * 5
        )
        w.writerow(
            [
                "A2",
                "Selesai",
                "2019-12-01 10:00",
                "2019-12-03 09:00",
                "",
                "",
                "Sale Pisang Ambon",
                "",
                "",
                "18.000",
                "3",
                "0",
            ]
            + [""] * 5
        )

    login(page, "operator1")
    page.goto("/impor/penjualan/unggah/")
    page.get_by_label("Marketplace").select_option("shopee")
    page.get_by_label("Berkas CSV atau XLSX").set_input_files(str(path))
    page.get_by_role("button", name="Unggah dan impor").click()
    expect(page).to_have_url(re.compile(r"/tugas/"))
    assert job_run_pending() == 1
    # The job page reloads itself when the job is done (static/js/job.js); reloading it here as well raced
    # with that reload (net::ERR_ABORTED under load).
    expect(page.locator("#job-summary")).to_have_text("baris: 2, baru: 2, diperbarui: 0, tidak berubah: 0, ditolak: 0")

    page.goto("/omzet/tak-terpetakan/")
    row = page.locator("tr", has_text="Sale Pisang Ambon")
    row.get_by_label("SKU produk katalog").fill("SP-1")
    row.get_by_role("button", name="Petakan").click()
    expect(page.get_by_text("1 baris dipetakan")).to_be_visible()
    expect(page.get_by_text("Semua produk marketplace sudah terpetakan.")).to_be_visible()

    page.goto("/omzet/")
    expect(page.get_by_text("Jumlah omzet terpilih: Rp104.000")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    page.context.clear_cookies()
    login(page, "penjual1")
    page.goto(f"/omzet/toko/{seller.pk}/?tahun=2019")
    expect(page.get_by_test_id("omzet-tahun")).to_have_text("Rp104.000")
    expect(page.locator("canvas[data-omzet-chart=months]")).to_be_visible()
    assert page.evaluate("Chart.getChart(document.querySelector('canvas[data-omzet-chart=months]')) !== undefined")
