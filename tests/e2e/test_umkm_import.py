"""An operator uploads a UMKM file, watches the progress bar reach 100% and reads the summary."""

import re

import pytest
from playwright.sync_api import expect

from apps.jobs.services import job_run_pending
from apps.umkm.tests.factories import umkm_csv, umkm_row

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_operator_uploads_umkm_file_and_sees_the_summary(page, operator, tmp_path, artefacts):
    path = umkm_csv(
        tmp_path / "umkm-purbalingga.csv",
        [
            umkm_row(),
            umkm_row(tahun_data="2018", omzet_tahunan="90000000"),
            umkm_row(nik="3303014404900002", nama_usaha="Nopia Bu Ani", kode_wilayah="33.03.05.1001"),
            umkm_row(nik="3303014404900003", nama_usaha="Getuk", kode_wilayah="33.02.01.2001"),
            umkm_row(nik="123", nama_usaha="NIK salah"),
        ],
    )
    page.goto("/akun/masuk/?next=/impor/umkm/unggah/")
    page.get_by_label("Nama pengguna").fill("operator1")
    page.get_by_label("Kata sandi").fill("rahasia-kuat-123")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Registri UMKM")).to_be_visible()
    page.get_by_label("Berkas CSV atau XLSX").set_input_files(str(path))
    page.get_by_label("Kabupaten/kota").select_option("33.03")
    page.get_by_role("button", name="Unggah dan impor").click()
    expect(page).to_have_url(re.compile(r"/tugas/[0-9a-f-]+/$"))

    assert job_run_pending() == 1  # the worker, run here instead of in its own process

    expect(page.locator("#job-percent")).to_have_text("100", timeout=20000)
    # a person reads the Indonesian summary under the importer's title; `import_data` keeps the SPEC §8 line
    expect(page.get_by_role("heading", name="Impor Registri UMKM")).to_be_visible()
    expect(page.locator("#job-summary")).to_have_text(
        re.compile(r"^baris: 5, baru: 3, diperbarui: 0, tidak berubah: 0, ditolak: 2")
    )
    expect(page.get_by_role("link", name="Unduh baris yang ditolak (XLSX)")).to_be_visible()
    expect(page.get_by_role("link", name="Unduh baris yang ditolak (CSV)")).to_be_visible()
    fits = "document.documentElement.scrollWidth <= window.innerWidth"
    for width, height in ((390, 844), (1366, 900)):
        page.set_viewport_size({"width": width, "height": height})
        page.reload()
        assert page.evaluate(fits)
        page.screenshot(path=str(artefacts / f"import-job-{width}.png"), full_page=True)
        page.goto("/impor/")
        expect(page.get_by_role("link", name="Unduh templat (XLSX)").first).to_be_visible()
        assert page.evaluate(fits)
        page.screenshot(path=str(artefacts / f"import-index-{width}.png"), full_page=True)
        page.go_back()
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto("/umkm/")
    expect(page.get_by_role("link", name="Nopia Bu Ani")).to_be_visible()
    expect(page.get_by_role("link", name="Gula Semut Sri")).to_be_visible()
    page.get_by_role("link", name="Gula Semut Sri").click()
    expect(page.get_by_text("3303**********01")).to_be_visible()
