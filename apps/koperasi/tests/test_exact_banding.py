"""SPEC §5 made precise (issue 17): ratios, scores and the total are compared with the bands exactly, and
pages show two decimals, more where rounding would cross a band edge; a RAT dated exactly three years
before D counts."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse

from apps.koperasi.models import Assessment, ScoringTable
from apps.koperasi.scoring import assess, score_component, total_shown
from apps.koperasi.selectors import koperasi_kpi, status_on, table_def
from apps.koperasi.services import assessments_recompute
from apps.koperasi.tests.factories import GOOD_FIGURES, make_koperasi, make_laporan

pytestmark = pytest.mark.django_db


@pytest.fixture
def tdef():
    return table_def(ScoringTable.objects.prefetch_related("components").get(versi="perdep-06-2016"))


# GOOD_FIGURES with skor_manajemen 15 and SHU 10% of assets score 62,75 + cadangan_risiko / Rp9.000.000
# (component 6: 5 × cadangan / risk-weighted problem loans of Rp45.000.000), so the total is set to the
# exact thousandth by the reserve: Rp20.205.000 → 79,995; Rp20.250.000 → 80.
def figures_with_total(cadangan: int) -> dict:
    return {**GOOD_FIGURES, "shu_sebelum_pajak": 100_000_000, "cadangan_risiko": cadangan, "skor_manajemen": 15}


TOTALS = [
    # cadangan, exact total, shown, predikat
    (20_205_000, Fraction(79995, 1000), "79.995", "cukup_sehat"),
    (20_250_000, Fraction(80), "80.00", "sehat"),
    (20_204_910, Fraction(7999499, 100000), "79.99", "cukup_sehat"),  # 79,99 stays under 80: two decimals
    (20_205_090, Fraction(7999501, 100000), "79.995", "cukup_sehat"),  # 80,00 would cross: three decimals
    (19_800_000, Fraction(7995, 100), "79.95", "cukup_sehat"),
    (0, Fraction(7775, 100), "77.75", "cukup_sehat"),
]


@pytest.mark.parametrize(("cadangan", "total", "text", "predikat"), TOTALS)
def test_total_is_banded_exactly_and_shown_without_crossing_an_edge(tdef, cadangan, total, text, predikat):
    result = assess(tdef, {k: Decimal(v) for k, v in figures_with_total(cadangan).items()}, simpan_pinjam=True)
    assert result.total == total
    assert result.predikat.kode == predikat
    assert str(total_shown(result.total, tdef.predikat)) == text


def test_a_total_of_79_995_is_cukup_sehat_on_the_page(client, operator):
    k = make_koperasi(nama="KSP Tepi Batas")
    figures = figures_with_total(20_205_000)
    skor = figures.pop("skor_manajemen")
    laporan = make_laporan(k, 2019, date(2020, 2, 1), figures=figures, skor_manajemen=Decimal(skor))
    assessments_recompute(laporan_list=[laporan], actor=None)
    a = Assessment.objects.get()
    assert (a.predikat, a.sehat, a.total_tampil) == ("cukup_sehat", True, "79.995")  # sehat = Sehat or Cukup Sehat
    assert koperasi_kpi(regency_codes=["33.03"], year=2019, as_of=date(2020, 3, 9))["koperasi_sehat"] == 1
    client.force_login(operator)
    page = client.get(reverse("koperasi:assessment", args=[a.pk])).content.decode()
    assert '<span data-testid="total">79,995</span>' in page
    assert "Cukup Sehat" in page
    assert '<th class="num">79,995</th>' in page  # the table's total line


# A ratio one thousandth of a percent past a band edge is past it (component 1: ≤20%: 25; >20–40%: 50;
# component 3: <4%: 0; ≥4%: 50; component 12: 10–15%: 100, >15–20%: 50).
RATIOS = [
    (1, {"modal_sendiri": 20_004, "total_aset": 100_000}, "20.004", "50.00"),
    (1, {"modal_sendiri": 19_996, "total_aset": 100_000}, "19.996", "25.00"),
    (1, {"modal_sendiri": 20_000, "total_aset": 100_000}, "20.00", "25.00"),
    (3, {"modal_sendiri": 39_999, "atmr": 1_000_000}, "3.9999", "0.00"),
    (12, {"kas_bank": 150_001, "kewajiban_lancar": 1_000_000}, "15.0001", "50.00"),
    (12, {"kas_bank": 1, "kewajiban_lancar": 3}, "33.33", "25.00"),
]


@pytest.mark.parametrize(("nomor", "inputs", "rasio_tampil", "nilai"), RATIOS)
def test_ratios_are_banded_exactly(tdef, nomor, inputs, rasio_tampil, nilai):
    c = next(c for c in tdef.components if c.nomor == nomor)
    line = score_component(c, inputs, bobot_total=Decimal(100), skala_manajemen=15)
    assert (line["rasio_tampil"], line["nilai"]) == (rasio_tampil, nilai)


# RAT window [D − 3 years, D], 29 February included
WINDOW = [
    (date(2023, 2, 28), date(2020, 2, 28), True),
    (date(2023, 2, 28), date(2020, 2, 29), True),
    (date(2023, 2, 28), date(2020, 2, 27), False),
    (date(2024, 2, 29), date(2021, 2, 28), True),
    (date(2024, 2, 28), date(2021, 2, 28), True),
    (date(2024, 2, 28), date(2021, 2, 27), False),
    (date(2022, 3, 9), date(2019, 3, 9), True),
]


@pytest.mark.parametrize(("as_of", "rat", "active"), WINDOW)
def test_a_rat_exactly_three_years_before_counts(as_of, rat, active):
    k = make_koperasi(tanggal_badan_hukum=date(2000, 1, 1))
    make_laporan(k, rat.year - 1, rat)
    assert status_on(k, as_of) == ("aktif" if active else "tidak_aktif")
    assert koperasi_kpi(regency_codes=["33.03"], year=as_of.year - 1, as_of=as_of)["koperasi_aktif"] == int(active)
