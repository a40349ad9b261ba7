"""Browser journey: the owner applies on a phone → the operator recommends → the bank approves and
disburses → repayments → the month's subsidy claim is verified and approved."""

import os
import re

import pytest
from playwright.sync_api import expect

from apps.pinjaman.models import Application, Loan, SubsidyClaim
from apps.pinjaman.tests.factories import bank_officer, nik_for, owner_with_shop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("LOAN_SHOTS", "")


def login(page, username):
    page.context.clear_cookies()
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill("rahasia-kuat-123")
    page.get_by_role("button", name="Masuk").click()
    # a seller lands on its shop's home page, everyone else on the dashboard
    expect(page).to_have_url(re.compile(r"/(dasbor|pesanan/beranda-toko)/$"))


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)
    # the page's content is never wider than the screen (no sideways scrolling); the site menu is the layout's
    assert page.evaluate(
        "(() => { const m = document.querySelector('main'); return m.scrollWidth <= m.clientWidth + 1 })()"
    ), name


def test_owner_to_approved_claim(page, make_user, operator, head):
    owner = make_user("sri", role="mitra_umkm")
    owner_with_shop(owner)
    bank_officer(make_user)

    login(page, "sri")
    page.goto("/kredit-mawar/ajukan/")
    page.get_by_label("NIK pemilik usaha").fill(nik_for(501))
    page.get_by_label("Jumlah pinjaman (Rp)").fill("Rp 2.500.000")
    expect(page.get_by_text("Akan disimpan: Rp2.500.000")).to_be_visible()  # the shared rupiah input's preview
    page.get_by_label("Keperluan").fill("Modal gula kelapa")
    page.get_by_label("Desa/kelurahan tempat tinggal").select_option("33.03.01.2001")
    page.get_by_label("Saya menyatakan tidak punya pinjaman di bank lain").check()
    shot(page, "01-ajukan-hp")
    page.get_by_role("button", name="Kirim permohonan").click()
    expect(page.get_by_test_id("status")).to_have_text("Diajukan")
    expect(page.get_by_text("NIK berbentuk benar")).to_be_visible()
    assert nik_for(501) not in page.content() and nik_for(501) not in page.url
    shot(page, "02-permohonan-hp")

    login(page, "operator1")
    page.goto("/kredit-mawar/rekomendasi/baru/")
    number = Application.objects.get().number
    page.get_by_label(re.compile(number)).check()
    page.get_by_role("button", name="Buat surat rekomendasi").click()
    expect(page.get_by_role("cell", name="REK-KM/33.03/2026/0001")).to_be_visible()

    login(page, "bank1")
    page.goto("/kredit-mawar/")
    shot(page, "03-meja-bank-hp")
    page.get_by_role("link", name=number).first.click()
    page.get_by_label("Hasil SLIK").select_option("bersih")
    page.get_by_role("radio", name="Setujui").check()
    page.get_by_label("Jumlah disetujui (Rp)").fill("2.000.000")
    page.get_by_role("button", name="Simpan keputusan").click()
    expect(page.get_by_test_id("status")).to_have_text("Disetujui bank")
    page.get_by_label("Nomor rekening").fill("0012-MAWAR-01")
    page.get_by_label("Tanggal pencairan").fill("2026-10-15")
    page.get_by_role("button", name="Cairkan").click()
    expect(page.get_by_role("heading", name="Pinjaman 0012-MAWAR-01")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"^12 "))).to_contain_text("Rp174.000")
    page.get_by_label("Nomor transaksi").fill("TRX-1")
    page.get_by_label("Tanggal bayar").fill("2026-11-15")
    page.get_by_label("Jumlah (Rp)").fill("166000")
    expect(page.get_by_text("Akan disimpan: Rp166.000")).to_be_visible()
    page.get_by_role("button", name="Simpan pembayaran").click()
    expect(page.get_by_role("row", name=re.compile(r"^1 "))).to_contain_text("lunas")
    shot(page, "04-pinjaman-hp")
    assert Loan.objects.get().repayments.count() == 1

    login(page, "sri")
    page.goto("/kredit-mawar/saya/")
    expect(page.get_by_text("dicairkan ke rekening 0012-MAWAR-01")).to_be_visible()
    shot(page, "05-saya-hp")

    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "operator1")
    page.goto("/kredit-mawar/tagihan/")
    page.get_by_text("Buat tagihan bulan").click()
    page.get_by_label("Tahun").fill("2026")
    page.get_by_label("Bulan").fill("10")
    page.get_by_role("button", name="Buat dan hitung").click()
    # 15–31 October: 17 days × 2.000.000 × 12% / 360 = 17 × 666,67 = 11.333,33 → Rp11.333
    expect(page.locator(".cards .value").first).to_have_text("Rp11.333")
    page.get_by_role("button", name="Verifikasi").click()
    expect(page.get_by_text("Diverifikasi operator")).to_be_visible()
    shot(page, "06-tagihan-kantor")

    login(page, "kepala1")
    page.goto(f"/kredit-mawar/tagihan/{SubsidyClaim.objects.get().pk}/")
    page.get_by_role("button", name="Setujui").click()
    expect(page.get_by_text("Disetujui kepala dinas")).to_be_visible()
    assert SubsidyClaim.objects.get().status == "disetujui"
