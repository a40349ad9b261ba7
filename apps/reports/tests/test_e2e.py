"""A head of department reads the report on a phone: chooses the period, sees charts, opens the records
behind a number and downloads the PDF."""

import re

import pytest
from playwright.sync_api import expect

from apps.reports.tests.factories import make_business

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_head_reads_the_report(page, head):
    make_business(years={2018: "mikro", 2019: "kecil"}, gender="P", sector="Kuliner")
    make_business(years={2019: "mikro"}, gender="P", sector="Kuliner")
    make_business(years={2019: "mikro"}, gender="L", sector="Kerajinan")

    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill("kepala1")
    page.get_by_label("Kata sandi").fill("rahasia-kuat-123")
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(re.compile(r"/dasbor/$"))
    page.get_by_role("link", name="Buka laporan").click()

    # On a phone the last complete year's report opens with its form folded behind "Ubah laporan".
    expect(page.get_by_label("Tahun", exact=True)).to_be_hidden()
    expect(page.locator("#ringkasan")).to_be_visible()
    page.get_by_text("Ubah laporan").click()
    page.get_by_label("Tahun", exact=True).fill("2019")
    page.get_by_label("Posisi data per tanggal").fill("2020-03-09")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("#judul-laporan")).to_have_text("Kabupaten Purbalingga")

    # Chart.js drew the gender chart from the data island.
    gender = page.locator("#tabel-umkm_per_jenis_kelamin")
    expect(gender.locator("canvas")).to_be_visible()
    assert page.evaluate(
        "Chart.getChart(document.querySelector('canvas[data-chart=umkm_per_jenis_kelamin]')) !== undefined"
    )
    no_horizontal_scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_horizontal_scroll

    # The number of businesses owned by women opens the list of those businesses.
    women = gender.locator("tr", has_text="Perempuan").get_by_role("link")
    expect(women).to_have_text("2")
    women.click()
    expect(page.get_by_role("heading", name="UMKM terdaftar")).to_be_visible()
    expect(page.locator("#jumlah-baris")).to_contain_text("2 catatan")
    page.get_by_role("link", name=re.compile("Kembali ke laporan")).click()

    with page.expect_download() as info:
        page.get_by_role("button", name="Unduh PDF").click()
    download = info.value
    assert download.suggested_filename == "laporan-33.03-2019-2020-03-09.pdf"
    with open(download.path(), "rb") as fh:
        assert fh.read(4) == b"%PDF"


def test_a_province_report_with_many_regencies_to_compute_is_prepared_with_a_progress_bar(
    page, admin_user, monkeypatch
):
    from apps.jobs.services import job_run_pending
    from apps.reports import views

    make_business(regency="33.03", years={2019: "mikro"})
    make_business(regency="33.02", years={2019: "kecil"})
    make_business(regency="33.74", years={2018: "mikro", 2019: "kecil"})
    monkeypatch.setattr(views, "INLINE_ROLLUP_BUSINESSES", 1)  # three businesses count as "many" here

    page.goto("/akun/masuk/?next=/laporan/%3Fwilayah%3D33%26tahun%3D2019%26per%3D2020-03-09")
    page.get_by_label("Nama pengguna").fill("admin1")
    page.get_by_label("Kata sandi").fill("rahasia-kuat-123")
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(re.compile(r"/tugas/[0-9a-f-]+/$"))
    expect(page.locator("#job-progress")).to_be_visible()

    assert job_run_pending() == 1  # the worker, run here instead of in its own process

    expect(page.locator("#job-percent")).to_have_text("100", timeout=20000)
    page.locator("#job-links").get_by_role("link", name="Buka laporan").click()
    expect(page.locator("#judul-laporan")).to_have_text("Provinsi Jawa Tengah")
    expect(page.locator("#tabel-umkm_per_wilayah")).to_contain_text("Kota Semarang")
