"""The scoring engine against the seeded `perdep-06-2016` table, computed by hand.

Each component is fed numerator/denominator pairs whose percentage sits exactly on, and one hundredth
above or below, every band boundary of ../shared/domain/penilaian-kesehatan-ksp.md."""

from decimal import Decimal
from fractions import Fraction as F

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.koperasi.models import ScoringTable
from apps.koperasi.scoring import (
    PredikatBand,
    assess,
    missing_fields,
    predikat_for,
    ratio_percent,
    score_component,
    shown,
    stored,
)
from apps.koperasi.selectors import table_def

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def tdef():
    return table_def(ScoringTable.objects.prefetch_related("components").get(versi="perdep-06-2016"))


def component(tdef, nomor):
    return next(c for c in tdef.components if c.nomor == nomor)


# Single-ratio components: (nomor, pembilang, penyebut, rasio %, nilai). Denominator 10 000 makes
# the numerator read as hundredths of a percent.
SIMPLE_FIELDS = {
    1: ("modal_sendiri", "total_aset"),
    2: ("modal_sendiri", "pinjaman_berisiko"),
    3: ("modal_sendiri", "atmr"),
    4: ("pinjaman_anggota", "pinjaman_diberikan"),
    7: ("pinjaman_berisiko", "pinjaman_diberikan"),
    9: ("beban_operasional_pelayanan", "partisipasi_bruto"),
    10: ("aktiva_tetap", "total_aset"),
    11: ("biaya_karyawan", "pinjaman_diberikan"),
    12: ("kas_bank", "kewajiban_lancar"),
    13: ("pinjaman_diberikan", "dana_diterima"),
    14: ("shu_sebelum_pajak", "total_aset"),
    15: ("shu_bagian_anggota", "modal_sendiri"),
    18: ("promosi_ekonomi_anggota", "simpanan_pokok_wajib"),
}
SIMPLE_CASES = [
    # 1: ≤20: 25; >20–40: 50; >40–60: 100; >60–80: 50; >80: 25
    (1, 0, 10000, "0.00", "25"),
    (1, 2000, 10000, "20.00", "25"),
    (1, 2001, 10000, "20.01", "50"),
    (1, 4000, 10000, "40.00", "50"),
    (1, 4001, 10000, "40.01", "100"),
    (1, 6000, 10000, "60.00", "100"),
    (1, 6001, 10000, "60.01", "50"),
    (1, 8000, 10000, "80.00", "50"),
    (1, 8001, 10000, "80.01", "25"),
    (1, 1, 0, None, "25"),  # penyebut nol: worst band
    # 2: percent capped at 100; no risky loans: 100
    (2, 0, 10000, "0.00", "0.00"),
    (2, 5050, 10000, "50.50", "50.50"),
    (2, 10000, 10000, "100.00", "100.00"),
    (2, 10001, 10000, "100.01", "100.00"),
    (2, 500, 0, None, "100"),
    (2, -100, 10000, "-1.00", "0.00"),  # negative equity scores 0
    # 3: <4: 0; 4–<6: 50; 6–<8: 75; ≥8: 100
    (3, 399, 10000, "3.99", "0"),
    (3, 400, 10000, "4.00", "50"),
    (3, 599, 10000, "5.99", "50"),
    (3, 600, 10000, "6.00", "75"),
    (3, 799, 10000, "7.99", "75"),
    (3, 800, 10000, "8.00", "100"),
    (3, 5, 0, None, "0"),
    # 4: ≤25: 25; >25–50: 50; >50–75: 75; >75: 100
    (4, 2500, 10000, "25.00", "25"),
    (4, 2501, 10000, "25.01", "50"),
    (4, 5000, 10000, "50.00", "50"),
    (4, 5001, 10000, "50.01", "75"),
    (4, 7500, 10000, "75.00", "75"),
    (4, 7501, 10000, "75.01", "100"),
    (4, 0, 0, None, "25"),
    # 7: >30: 25; >25–30: 50; >20–25: 75; ≤20: 100
    (7, 2000, 10000, "20.00", "100"),
    (7, 2001, 10000, "20.01", "75"),
    (7, 2500, 10000, "25.00", "75"),
    (7, 2501, 10000, "25.01", "50"),
    (7, 3000, 10000, "30.00", "50"),
    (7, 3001, 10000, "30.01", "25"),
    (7, 1, 0, None, "25"),
    # 9: ≥100: 25; 85–<100: 50; 70–<85: 75; <70: 100
    (9, 6999, 10000, "69.99", "100"),
    (9, 7000, 10000, "70.00", "75"),
    (9, 8499, 10000, "84.99", "75"),
    (9, 8500, 10000, "85.00", "50"),
    (9, 9999, 10000, "99.99", "50"),
    (9, 10000, 10000, "100.00", "25"),
    (9, 1, 0, None, "25"),
    # 10: >75: 25; >50–75: 50; >25–50: 75; ≤25: 100
    (10, 2500, 10000, "25.00", "100"),
    (10, 2501, 10000, "25.01", "75"),
    (10, 5000, 10000, "50.00", "75"),
    (10, 5001, 10000, "50.01", "50"),
    (10, 7500, 10000, "75.00", "50"),
    (10, 7501, 10000, "75.01", "25"),
    (10, 0, 0, None, "25"),
    # 11: <5: 100; 5–<10: 75; 10–<15: 50; ≥15: 25
    (11, 499, 10000, "4.99", "100"),
    (11, 500, 10000, "5.00", "75"),
    (11, 999, 10000, "9.99", "75"),
    (11, 1000, 10000, "10.00", "50"),
    (11, 1499, 10000, "14.99", "50"),
    (11, 1500, 10000, "15.00", "25"),
    (11, 1, 0, None, "25"),
    # 12: <10: 25; 10–15: 100; >15–20: 50; >20: 25
    (12, 999, 10000, "9.99", "25"),
    (12, 1000, 10000, "10.00", "100"),
    (12, 1500, 10000, "15.00", "100"),
    (12, 1501, 10000, "15.01", "50"),
    (12, 2000, 10000, "20.00", "50"),
    (12, 2001, 10000, "20.01", "25"),
    (12, 1, 0, None, "25"),
    # 13: <50: 25; 50–<75: 50; 75–<100: 75; ≥100: 100
    (13, 4999, 10000, "49.99", "25"),
    (13, 5000, 10000, "50.00", "50"),
    (13, 7499, 10000, "74.99", "50"),
    (13, 7500, 10000, "75.00", "75"),
    (13, 9999, 10000, "99.99", "75"),
    (13, 10000, 10000, "100.00", "100"),
    (13, 1, 0, None, "25"),
    # 14: <5: 25; 5–<7,5: 50; 7,5–<10: 75; ≥10: 100
    (14, 499, 10000, "4.99", "25"),
    (14, 500, 10000, "5.00", "50"),
    (14, 749, 10000, "7.49", "50"),
    (14, 750, 10000, "7.50", "75"),
    (14, 999, 10000, "9.99", "75"),
    (14, 1000, 10000, "10.00", "100"),
    (14, -500, 10000, "-5.00", "25"),  # a loss
    (14, 1, 0, None, "25"),
    # 15: <3: 25; 3–<4: 50; 4–<5: 75; ≥5: 100
    (15, 299, 10000, "2.99", "25"),
    (15, 300, 10000, "3.00", "50"),
    (15, 399, 10000, "3.99", "50"),
    (15, 400, 10000, "4.00", "75"),
    (15, 499, 10000, "4.99", "75"),
    (15, 500, 10000, "5.00", "100"),
    (15, 1, 0, None, "25"),
    # 18: <5: 25; 5–<7,5: 50; 7,5–<10: 75; ≥10: 100
    (18, 499, 10000, "4.99", "25"),
    (18, 500, 10000, "5.00", "50"),
    (18, 749, 10000, "7.49", "50"),
    (18, 750, 10000, "7.50", "75"),
    (18, 999, 10000, "9.99", "75"),
    (18, 1000, 10000, "10.00", "100"),
    (18, 1, 0, None, "25"),
]


@pytest.mark.parametrize("nomor,pembilang,penyebut,rasio,nilai", SIMPLE_CASES)
def test_single_ratio_components_at_every_band_boundary(tdef, nomor, pembilang, penyebut, rasio, nilai):
    num_field, den_field = SIMPLE_FIELDS[nomor]
    line = score_component(
        component(tdef, nomor), {num_field: pembilang, den_field: penyebut}, bobot_total=D(100), skala_manajemen=15
    )
    assert line["rasio"] == rasio
    assert D(line["nilai"]) == D(nilai)
    expected_score = (component(tdef, nomor).bobot * D(nilai) / 100).quantize(D("0.0001"))
    assert D(line["skor"]) == expected_score
    assert ("penyebut nol" in line["catatan"]) == (rasio is None)


# 5: risk = 50% kurang lancar + 75% diragukan + 100% macet, over pinjaman_diberikan.
# 0: 100; ≤10: 80; ≤20: 60; ≤30: 40; ≤40: 20; ≤45: 10; >45: 0
RISK_CASES = [
    ((0, 0, 0), 10000, "0.00", "100"),
    ((0, 0, 1), 10000, "0.01", "80"),
    ((0, 0, 1000), 10000, "10.00", "80"),
    ((0, 0, 1001), 10000, "10.01", "60"),
    ((0, 0, 2000), 10000, "20.00", "60"),
    ((0, 0, 2001), 10000, "20.01", "40"),
    ((0, 0, 3000), 10000, "30.00", "40"),
    ((0, 0, 3001), 10000, "30.01", "20"),
    ((0, 0, 4000), 10000, "40.00", "20"),
    ((0, 0, 4001), 10000, "40.01", "10"),
    ((0, 0, 4500), 10000, "45.00", "10"),
    ((0, 0, 4501), 10000, "45.01", "0"),
    ((1000, 1000, 250), 10000, "15.00", "60"),  # 500 + 750 + 250 = 1500
    ((2000, 0, 0), 10000, "10.00", "80"),  # 50% of 2000
    ((0, 0, 0), 0, None, "0"),  # no loans at all: worst band
]


@pytest.mark.parametrize("risk,diberikan,rasio,nilai", RISK_CASES)
def test_component_5_risk_weighted_problem_loans(tdef, risk, diberikan, rasio, nilai):
    kl, dr, macet = risk
    inputs = {
        "pinjaman_kurang_lancar": kl,
        "pinjaman_diragukan": dr,
        "pinjaman_macet": macet,
        "pinjaman_diberikan": diberikan,
    }
    line = score_component(component(tdef, 5), inputs, bobot_total=D(100), skala_manajemen=15)
    assert (line["rasio"], D(line["nilai"])) == (rasio, D(nilai))


# 6: cadangan_risiko / risk-weighted problem loans, percent capped at 100; no problem loans: 100
RESERVE_CASES = [
    (0, (0, 0, 1000), "0.00", "0.00"),
    (500, (0, 0, 1000), "50.00", "50.00"),
    (1000, (0, 0, 1000), "100.00", "100.00"),
    (1001, (0, 0, 1000), "100.10", "100.00"),
    (300, (1000, 0, 0), "60.00", "60.00"),  # risk 500
    (2, (0, 3, 0), "88.888888888888888", "88.888888888888888"),  # risk 2.25: 800/9 %, exact (cut at 15 places)
    (0, (0, 0, 0), None, "100"),
]


@pytest.mark.parametrize("cadangan,risk,rasio,nilai", RESERVE_CASES)
def test_component_6_reserve_cover(tdef, cadangan, risk, rasio, nilai):
    kl, dr, macet = risk
    inputs = {
        "cadangan_risiko": cadangan,
        "pinjaman_kurang_lancar": kl,
        "pinjaman_diragukan": dr,
        "pinjaman_macet": macet,
    }
    line = score_component(component(tdef, 6), inputs, bobot_total=D(100), skala_manajemen=15)
    assert (line["rasio"], D(line["nilai"])) == (rasio, D(nilai))


# 16: pendapatan / (beban_usaha + beban_perkoperasian): ≤100: 25; >100–125: 75; >125: 100
@pytest.mark.parametrize(
    "pendapatan,usaha,perkoperasian,rasio,nilai",
    [
        (10000, 10000, 0, "100.00", "25"),
        (10001, 10000, 0, "100.01", "75"),
        (12500, 8000, 2000, "125.00", "75"),
        (12501, 8000, 2000, "125.01", "100"),
        (5, 0, 0, None, "25"),
    ],
)
def test_component_16_operational_self_reliance(tdef, pendapatan, usaha, perkoperasian, rasio, nilai):
    inputs = {"pendapatan": pendapatan, "beban_usaha": usaha, "beban_perkoperasian": perkoperasian}
    line = score_component(component(tdef, 16), inputs, bobot_total=D(100), skala_manajemen=15)
    assert (line["rasio"], D(line["nilai"])) == (rasio, D(nilai))


# 17: partisipasi_bruto / (partisipasi_bruto + pendapatan): <25: 25; 25–<50: 50; 50–<75: 75; ≥75: 100
@pytest.mark.parametrize(
    "bruto,pendapatan,rasio,nilai",
    [
        (2499, 7501, "24.99", "25"),
        (2500, 7500, "25.00", "50"),
        (4999, 5001, "49.99", "50"),
        (5000, 5000, "50.00", "75"),
        (7499, 2501, "74.99", "75"),
        (7500, 2500, "75.00", "100"),
        (0, 0, None, "25"),
    ],
)
def test_component_17_gross_participation(tdef, bruto, pendapatan, rasio, nilai):
    line = score_component(
        component(tdef, 17),
        {"partisipasi_bruto": bruto, "pendapatan": pendapatan},
        bobot_total=D(100),
        skala_manajemen=15,
    )
    assert (line["rasio"], D(line["nilai"])) == (rasio, D(nilai))


# 8: the questionnaire score itself (weight 15 of 15 points)
@pytest.mark.parametrize(
    "skor,nilai,score",
    [("0", "0.00", "0.00"), ("7.5", "50.00", "7.50"), ("11", "73.333333333333333", "11.00"), ("15", "100.00", "15.00")],
)
def test_component_8_management_score(tdef, skor, nilai, score):
    line = score_component(component(tdef, 8), {"skor_manajemen": D(skor)}, bobot_total=D(100), skala_manajemen=15)
    assert (line["nilai"], line["skor"]) == (nilai, score)


@pytest.mark.parametrize(
    "total,kode",
    [
        ("100", "sehat"),
        ("80.00", "sehat"),
        ("79.99", "cukup_sehat"),
        ("66.00", "cukup_sehat"),
        ("65.99", "dalam_pengawasan"),
        ("51.00", "dalam_pengawasan"),
        ("50.99", "dalam_pengawasan_khusus"),
        ("0", "dalam_pengawasan_khusus"),
    ],
)
def test_predikat_bands(tdef, total, kode):
    assert predikat_for(D(total), tdef.predikat).kode == kode


def test_ratio_percent_is_exact_and_zero_denominator_is_none():
    assert ratio_percent(D(1), D(3)) == F(100, 3)
    assert ratio_percent(D(2), D(3)) == F(200, 3)
    assert ratio_percent(D(1), D(8000)) == F(1, 80)  # 0.0125, not rounded
    assert ratio_percent(D(1), D(0)) is None


@pytest.mark.parametrize(
    ("value", "stored_as"),
    [(F(20), "20.00"), (F(20004, 1000), "20.004"), (F(100, 3), "33.333333333333333"), (F(-1, 3), "-0.333333333333333")],
)
def test_stored_values_are_exact_or_cut_never_rounded_up(value, stored_as):
    assert str(stored(value)) == stored_as


# shown: two decimals, more where two would cross a band edge (SPEC §5: 79,995 is Cukup Sehat)
SHOWN = [
    (F(79995, 1000), [80, 66, 51], "79.995"),
    (F(7999999, 100000), [80, 66, 51], "79.99999"),
    (F(80), [80, 66, 51], "80.00"),
    (F(76583, 1000), [80, 66, 51], "76.58"),
    (F(6599999, 100000), [80, 66, 51], "65.99999"),
    (F(20004, 1000), [20, 40, 60, 80], "20.004"),  # a ratio just above the 20% edge stays above it
    (F(19996, 1000), [20, 40, 60, 80], "19.996"),
    (F(240, 3), [80], "80.00"),
    (F(80) - F(1, 3 * 10**18), [80], "79.999999999999999"),
]


@pytest.mark.parametrize(("value", "edges", "text"), SHOWN)
def test_shown_values_never_cross_a_band_edge(value, edges, text):
    assert str(shown(value, [D(e) for e in edges])) == text


def test_predikat_bands_need_no_order():
    bands = [PredikatBand(D(0), "b", "B", False), PredikatBand(D(50), "a", "A", True)]
    assert predikat_for(D(50), bands).kode == "a"
    assert predikat_for(D("49.99"), bands).kode == "b"


# A whole KSP computed by hand (see the comment beside each figure for its line).
KSP = {
    "total_aset": 1_000_000_000,
    "modal_sendiri": 300_000_000,  # 1: 30% → 50 → 3.00
    "pinjaman_berisiko": 200_000_000,  # 2: 150% → 100 → 6.00; 7: 25% → 75 → 3.75
    "atmr": 5_000_000_000,  # 3: 6% → 75 → 2.25
    "pinjaman_diberikan": 800_000_000,
    "pinjaman_anggota": 600_000_000,  # 4: 75% → 75 → 7.50
    "pinjaman_kurang_lancar": 40_000_000,
    "pinjaman_diragukan": 20_000_000,
    "pinjaman_macet": 10_000_000,  # 5: (20+15+10)/800 = 5.63% → 80 → 4.00
    "cadangan_risiko": 30_000_000,  # 6: 30/45 = 66.67% → 66.67 → 3.3335
    "skor_manajemen": D("12"),  # 8: 80 → 12.00
    "beban_operasional_pelayanan": 90_000_000,
    "partisipasi_bruto": 120_000_000,  # 9: 75% → 75 → 3.00
    "aktiva_tetap": 100_000_000,  # 10: 10% → 100 → 4.00
    "biaya_karyawan": 40_000_000,  # 11: 5% → 75 → 1.50
    "kas_bank": 24_000_000,
    "kewajiban_lancar": 200_000_000,  # 12: 12% → 100 → 10.00
    "dana_diterima": 900_000_000,  # 13: 88.89% → 75 → 3.75
    "shu_sebelum_pajak": 60_000_000,  # 14: 6% → 50 → 1.50
    "shu_bagian_anggota": 12_000_000,  # 15: 4% → 75 → 2.25
    "pendapatan": 150_000_000,
    "beban_usaha": 100_000_000,
    "beban_perkoperasian": 20_000_000,  # 16: 125% → 75 → 3.00; 17: 120/270 = 44.44% → 50 → 3.50
    "promosi_ekonomi_anggota": 8_000_000,
    "simpanan_pokok_wajib": 100_000_000,  # 18: 8% → 75 → 2.25
}
KSP_LINES = [
    (1, "30.00", "50.00", "6", "3.00"),
    (2, "150.00", "100.00", "6", "6.00"),
    (3, "6.00", "75.00", "3", "2.25"),
    (4, "75.00", "75.00", "10", "7.50"),
    (5, "5.625", "80.00", "5", "4.00"),
    (6, "66.666666666666666", "66.666666666666666", "5", "3.333333333333333"),
    (7, "25.00", "75.00", "5", "3.75"),
    (8, None, "80.00", "15", "12.00"),
    (9, "75.00", "75.00", "4", "3.00"),
    (10, "10.00", "100.00", "4", "4.00"),
    (11, "5.00", "75.00", "2", "1.50"),
    (12, "12.00", "100.00", "10", "10.00"),
    (13, "88.888888888888888", "75.00", "5", "3.75"),
    (14, "6.00", "50.00", "3", "1.50"),
    (15, "4.00", "75.00", "3", "2.25"),
    (16, "125.00", "75.00", "4", "3.00"),
    (17, "44.444444444444444", "50.00", "7", "3.50"),
    (18, "8.00", "75.00", "3", "2.25"),
]


def test_whole_ksp_assessment_by_hand(tdef):
    result = assess(tdef, KSP, simpan_pinjam=True)
    lines = [(b["nomor"], b["rasio"], b["nilai"], D(b["bobot"]).normalize(), b["skor"]) for b in result.baris]
    assert lines == [(n, r, v, D(w), s) for n, r, v, w, s in KSP_LINES]
    # 3 + 6 + 2.25 + 7.5 + 4 + 10/3 + 3.75 + 12 + 3 + 4 + 1.5 + 10 + 3.75 + 1.5 + 2.25 + 3 + 3.5 + 2.25
    assert result.total == F(919, 12)
    assert result.predikat.kode == "cukup_sehat"
    assert result.catatan == []


def test_non_lending_cooperative_drops_lending_components_and_rescales_to_100(tdef):
    result = assess(tdef, KSP, simpan_pinjam=False)
    skipped = [b["nomor"] for b in result.baris if b["dilewati"]]
    assert skipped == [2, 3, 4, 5, 6, 7, 11, 13]
    # weights left: 6+15+4+4+10+3+3+4+7+3 = 59; score = weight × nilai / 59
    scores = {b["nomor"]: b["skor"] for b in result.baris if not b["dilewati"]}
    exact = {1: F(6 * 50, 59), 8: F(15 * 80, 59), 9: F(4 * 75, 59), 10: F(4 * 100, 59), 12: F(10 * 100, 59)}
    exact |= {14: F(3 * 50, 59), 15: F(3 * 75, 59), 16: F(4 * 75, 59), 17: F(7 * 50, 59), 18: F(3 * 75, 59)}
    assert scores == {n: str(stored(v)) for n, v in exact.items()}
    assert scores[1] == "5.084745762711864"
    assert {b["nomor"]: b["bobot"] for b in result.baris if b["nomor"] in (1, 8)} == {1: "10.17", 8: "25.42"}
    assert result.total == sum(exact.values()) == F(4450, 59)  # 75,42…
    assert result.predikat.kode == "cukup_sehat"
    assert result.catatan[0].startswith("Koperasi tidak memberi pinjaman: komponen 2, 3, 4, 5, 6, 7, 11, 13")


def test_zero_denominators_are_noted(tdef):
    inputs = dict(KSP, kewajiban_lancar=0, pinjaman_berisiko=0)
    result = assess(tdef, inputs, simpan_pinjam=True)
    by = {b["nomor"]: b for b in result.baris}
    assert (by[12]["nilai"], by[12]["skor"]) == ("25.00", "2.50")  # worst band
    assert (by[2]["nilai"], by[2]["skor"]) == ("100.00", "6.00")  # no risky loans: 100
    assert (by[7]["rasio"], by[7]["nilai"]) == ("0.00", "100.00")
    assert any(n.startswith("12. Kas dan bank / kewajiban lancar: penyebut nol") for n in result.catatan)
    assert any(n.startswith("2. Modal sendiri / pinjaman berisiko: penyebut nol") for n in result.catatan)
    # 919/12 − 10 + 2.5 (line 12) − 3.75 + 5 (line 7: 0% → 100)
    assert result.total == F(919, 12) - 10 + F(5, 2) - F(15, 4) + 5


def test_missing_figures_are_listed_for_the_applicable_components_only(tdef):
    inputs = dict(KSP, atmr=None, kas_bank=None)
    assert missing_fields(tdef, inputs, simpan_pinjam=True) == ["atmr", "kas_bank"]
    assert missing_fields(tdef, inputs, simpan_pinjam=False) == ["kas_bank"]


money = st.integers(min_value=0, max_value=10**13)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    figures=st.fixed_dictionaries({k: money for k in KSP if k != "skor_manajemen"}),
    skor=st.decimals(min_value=0, max_value=15, places=2),
    lending=st.booleans(),
)
def test_total_is_between_0_and_100_and_the_sum_of_its_lines(tdef, figures, skor, lending):
    result = assess(tdef, {**figures, "skor_manajemen": skor}, simpan_pinjam=lending)
    assert 0 <= result.total <= 100
    exact_sum = sum(F(*map(int, b["skor_pecahan"].split("/"))) for b in result.baris if not b["dilewati"])
    assert result.total == exact_sum
    assert result.predikat == predikat_for(exact_sum, tdef.predikat)
