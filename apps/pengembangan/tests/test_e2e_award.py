"""Browser journey of the Koperasi Award: the operator sets up a category and nominates eligible
cooperatives (the excluded ones with their reasons), judges score and one recuses, the department head
approves, and the public winners page shows the winners."""

import os
import re

import pytest
from playwright.sync_api import expect

from apps.pengembangan.tests.award_factories import healthy, unhealthy

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
        page.screenshot(path=f"{SHOTS}/{name}-390.png", full_page=True)
        page.set_viewport_size({"width": 1366, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-1366.png", full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def score(page, entry, a, b):
    page.get_by_role("link", name=f"Nilai {entry}").click()
    page.get_by_label("1. Tata kelola").fill(a)
    page.get_by_label("2. Pelayanan anggota").fill(b)
    page.get_by_role("button", name="Simpan nilai").click()
    expect(page.get_by_role("status")).to_contain_text(f"Nilai untuk {entry} disimpan")


def test_award_nominate_judge_approve_public_winners(page, make_user, operator, head):
    for name in ("KSP Alfa", "KSP Beta", "KSP Gama"):
        healthy(name)
    unhealthy("KSP Lemah")
    make_user("juri1", role="juri", first_name="Juri Satu")
    make_user("juri2", role="juri", first_name="Juri Dua")

    login(page, "operator1")
    page.goto("/pengembangan/award/")
    page.get_by_role("button", name="Kategori baru").click()
    page.get_by_label("Nama kategori").fill("Koperasi Simpan Pinjam Terbaik")
    page.get_by_label("Tahun award").fill("2025")
    page.get_by_label("Koperasi Simpan Pinjam (KSP)").check()
    page.get_by_label("Aktif pada tanggal").fill("2025-11-01")
    page.get_by_label("RAT diadakan pada tahun").fill("2025")
    page.get_by_label("Bobot komponen objektif (%)").fill("20")
    page.get_by_label("Jumlah pemenang").fill("2")
    page.get_by_label("Kriteria penilaian juri").fill("Tata kelola; 60\nPelayanan anggota; 40")
    page.get_by_label("Juri Satu").check()
    page.get_by_label("Juri Dua").check()
    page.get_by_role("button", name="Buat kategori").click()
    expect(page.get_by_role("heading", name="Koperasi Simpan Pinjam Terbaik 2025")).to_be_visible()
    page.get_by_text("Tidak memenuhi syarat, dengan alasannya").click()
    expect(page.get_by_test_id("tidak-layak")).to_contain_text("KSP Lemah: predikat kesehatan terakhir")
    for name in ("KSP Alfa", "KSP Beta", "KSP Gama"):
        page.get_by_label("Koperasi yang memenuhi syarat").select_option(label=name)
        page.get_by_role("button", name="Nominasikan").click()
        expect(page.get_by_role("status")).to_contain_text(f"{name} dinominasikan")
    no_sideways_scroll(page)
    shot(page, "award-kategori")
    page.get_by_role("button", name="Tutup nominasi dan mulai penjurian").click()
    expect(page.get_by_test_id("status")).to_have_text("Penjurian")

    login(page, "juri1")
    page.goto("/pengembangan/award/")
    page.get_by_role("link", name="Koperasi Simpan Pinjam Terbaik").click()
    score(page, "KSP Alfa", "90", "80")
    score(page, "KSP Beta", "70", "60")
    score(page, "KSP Gama", "50", "50")

    login(page, "juri2")
    page.goto("/pengembangan/award/")
    page.get_by_role("link", name="Koperasi Simpan Pinjam Terbaik").click()
    page.get_by_role("link", name="Nilai KSP Alfa").click()
    no_sideways_scroll(page)
    shot(page, "award-nilai")
    page.get_by_text("Konflik kepentingan? Mengundurkan diri dari entri ini").click()
    page.get_by_label("Alasan mengundurkan diri (konflik kepentingan)").fill("Kerabat ketua koperasi")
    page.get_by_role("button", name="Mengundurkan diri").click()
    expect(page.get_by_role("status")).to_contain_text("Anda mengundurkan diri dari penilaian KSP Alfa")
    score(page, "KSP Beta", "85", "85")
    score(page, "KSP Gama", "95", "95")

    login(page, "kepala1")
    page.goto("/pengembangan/award/")
    page.get_by_role("link", name="Koperasi Simpan Pinjam Terbaik").click()
    page.get_by_role("button", name="Setujui dan bekukan hasil").click()
    expect(page.get_by_test_id("status")).to_have_text("Disetujui (final)")
    ranking = page.get_by_test_id("peringkat")
    expect(ranking).to_contain_text("KSP Gama")
    no_sideways_scroll(page)
    shot(page, "award-hasil")
    page.get_by_role("row", name=re.compile("KSP Gama")).get_by_role("link", name="Rincian").click()
    expect(page.get_by_test_id("normalisasi")).to_contain_text("76,4607")
    expect(page.get_by_test_id("peringkat-entri")).to_have_text("2")
    shot(page, "award-rincian")

    page.context.clear_cookies()
    page.goto("/pengembangan/award/pemenang/2025/")
    winners = page.get_by_test_id("kategori")
    expect(winners).to_contain_text("Koperasi Simpan Pinjam Terbaik")
    expect(winners.get_by_role("listitem")).to_have_count(2)
    expect(winners.get_by_role("listitem").nth(1)).to_contain_text("KSP Gama")
    no_sideways_scroll(page)
    shot(page, "award-pemenang")
