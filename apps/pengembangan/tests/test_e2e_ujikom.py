"""Browser journey of a competency test: the operator opens a session, the cooperative's officer
registers a manager and enrols them, the assessor scores on the phone/tablet page and decides, and the
certificate's verification page confirms it publicly."""

import os
import re
from datetime import date

import pytest
from playwright.sync_api import expect

from apps.koperasi.models import Keanggotaan
from apps.koperasi.tests.factories import make_koperasi
from apps.pengembangan.tests.factories import NIK_B, make_scheme

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOT_DIR")


def login(page, username):
    page.context.clear_cookies()
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill("rahasia-kuat-123")
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(re.compile(r"/dasbor/$"))


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}-{page.viewport_size['width']}.png", full_page=True)
        page.set_viewport_size({"width": 1366, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-1366.png", full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_session_register_score_certificate_verifies(page, make_user, operator):
    koperasi = make_koperasi(nama="KSP Tunas Mekar")
    officer = make_user("pengurus1", role="pengurus_koperasi")
    Keanggotaan.objects.create(user=officer, koperasi=koperasi)
    make_user("asesor1", role="asesor", first_name="Asesor", last_name="Satu")
    make_scheme(kode="pengelola-ksp")

    login(page, "operator1")
    page.goto("/pengembangan/uji-kompetensi/")
    page.get_by_role("button", name="Sesi uji baru").click()
    page.get_by_label("Nama sesi").fill("Uji Kompetensi Pengelola Maret")
    page.get_by_label("Tanggal uji").fill(date.today().isoformat())
    page.get_by_label("Kuota peserta").fill("20")
    page.get_by_label("Asesor Satu").check()
    page.get_by_role("button", name="Buat sesi").click()
    expect(page.get_by_role("heading", name="Uji Kompetensi Pengelola Maret")).to_be_visible()

    login(page, "pengurus1")
    page.goto("/pengembangan/uji-kompetensi/pengelola/")
    page.get_by_label("Nama lengkap").fill("Sri Lestari")
    page.get_by_label("NIK").fill(NIK_B)
    page.get_by_label("Jabatan").select_option("manajer")
    page.get_by_role("button", name="Simpan pengelola").click()
    expect(page.get_by_role("status")).to_contain_text("Pengelola Sri Lestari terdaftar")
    expect(page.get_by_text("3303**********02")).to_be_visible()
    page.get_by_role("button", name="Daftarkan ke sesi").click()
    expect(page.get_by_role("status")).to_contain_text("Sri Lestari didaftarkan ke Uji Kompetensi Pengelola Maret")
    no_sideways_scroll(page)
    shot(page, "ujikom-pengelola")

    login(page, "asesor1")
    page.goto("/pengembangan/uji-kompetensi/")
    page.get_by_role("link", name="Uji Kompetensi Pengelola Maret").click()
    page.get_by_role("button", name="Nilai").click()
    page.get_by_label("U1.1 Rencana kerja sesuai AD/ART").fill("85")
    page.get_by_label("U1.2 Anggaran disusun").fill("8")
    page.get_by_label("U2.1 Laporan keuangan").fill("75")
    no_sideways_scroll(page)
    shot(page, "ujikom-nilai")
    page.get_by_role("button", name="Simpan dan tetapkan hasil").click()
    expect(page.get_by_test_id("hasil")).to_have_text("Kompeten")
    expect(page.get_by_test_id("total")).to_contain_text("80,00")  # 0,4·85 + 2·8 + 0,4·75
    shot(page, "ujikom-hasil")
    with page.expect_download() as download:
        page.get_by_role("button", name="Unduh sertifikat (PDF)").click()
    assert download.value.suggested_filename.startswith("sertifikat-")

    page.context.clear_cookies()
    from apps.pengembangan.models import Certificate

    code = Certificate.objects.get().kode_verifikasi
    page.goto("/pengembangan/verifikasi/sertifikat/")
    page.get_by_label("Kode verifikasi").fill(code)
    page.get_by_role("button", name="Periksa").click()
    expect(page.get_by_test_id("verifikasi")).to_contain_text("Sertifikat asli dan masih berlaku")
    expect(page.get_by_test_id("verifikasi")).to_contain_text("Sri Lestari")
    no_sideways_scroll(page)
    shot(page, "ujikom-verifikasi")
