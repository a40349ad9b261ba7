"""Browser flow: a cooperative officer submits the annual report, the operator accepts it, and the
assessment page shows the predikat with the table version."""

import re

import pytest
from playwright.sync_api import expect

from apps.koperasi.models import Keanggotaan
from apps.koperasi.tests.factories import GOOD_FIGURES, make_koperasi

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def login(page, username):
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill("rahasia-kuat-123")
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(re.compile(r"/dasbor/$"))


def logout(page):
    page.context.clear_cookies()


def test_officer_submits_operator_accepts_assessment_shows_predikat(page, make_user, operator):
    koperasi = make_koperasi(nama="KSP Tunas Mekar")
    officer = make_user("pengurus1", role="pengurus_koperasi")
    Keanggotaan.objects.create(user=officer, koperasi=koperasi)

    login(page, "pengurus1")
    page.goto("/koperasi/saya/")
    page.get_by_role("button", name="Isi laporan tahunan").click()
    page.get_by_label("Tahun buku").fill("2019")
    page.get_by_label("Tanggal RAT").fill("2020-02-20")
    page.get_by_label("Jumlah anggota").fill("310")
    for name, value in GOOD_FIGURES.items():
        page.locator(f"input[name={name}]").fill(str(value))
    for group in ("umum", "kelembagaan", "permodalan", "aktiva"):
        for i in (1, 2, 3):
            page.locator(f"input[name=q_{group}_{i}]").check()
    page.get_by_role("button", name="Kirim laporan").click()
    expect(page.get_by_role("status")).to_contain_text("Laporan tahunan terkirim")
    expect(page.get_by_text("2019: Diajukan")).to_be_visible()
    logout(page)

    login(page, "operator1")
    page.goto("/koperasi/tinjauan/")
    page.get_by_role("link", name="2019").click()
    page.get_by_label("Keputusan").select_option("terima")
    page.get_by_role("button", name="Simpan keputusan").click()
    expect(page.get_by_test_id("predikat")).to_have_text("Cukup Sehat")
    expect(page.get_by_text("Dinilai dengan tabel versi perdep-06-2016")).to_be_visible()
    expect(page.get_by_text("Tahun buku 2019: 76,58")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"^6 Cadangan risiko"))).to_contain_text("66,67%")
