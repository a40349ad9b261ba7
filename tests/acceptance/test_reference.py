"""The reference calculation itself, against hand-computed literal tables from the SPEC (so a wrong
expectation cannot hide behind the generator)."""

from datetime import date, datetime

import pytest

from . import profiles as P
from . import reference as R
from .generate import dt_styles, rp_styles

J, M = 1_000_000, 1_000_000_000


@pytest.mark.parametrize(
    ("year", "modal", "omzet", "kelas"),
    [
        # UU 20/2008: the lower of the two classes
        (2019, 50 * J, 60 * M, "mikro"),
        (2019, 50 * J + 1, 300 * J, "mikro"),
        (2019, 50 * J + 1, 300 * J + 1, "kecil"),
        (2019, 500 * J, 60 * M, "kecil"),
        (2019, 500 * J + 1, 2500 * J, "kecil"),
        (2019, 500 * J + 1, 2500 * J + 1, "menengah"),
        (2019, 10 * M, 60 * M, "menengah"),
        (2019, 10 * M + 1, 50 * M, "menengah"),
        (2019, 10 * M + 1, 50 * M + 1, "besar"),
        (2019, 20 * M, 100 * J, "mikro"),
        (2020, 0, 0, "mikro"),
        # PP 7/2021: sales first, capital when sales are missing
        (2021, 5 * M, 2 * M, "mikro"),
        (2021, 0, 2 * M + 1, "kecil"),
        (2021, 0, 15 * M, "kecil"),
        (2021, 0, 15 * M + 1, "menengah"),
        (2021, 0, 50 * M, "menengah"),
        (2021, 0, 50 * M + 1, "besar"),
        (2021, 1 * M, None, "mikro"),
        (2021, 1 * M + 1, None, "kecil"),
        (2021, 5 * M, None, "kecil"),
        (2021, 5 * M + 1, None, "menengah"),
        (2021, 10 * M, None, "menengah"),
        (2021, 10 * M + 1, None, "besar"),
    ],
)
def test_classification_table(year, modal, omzet, kelas):
    assert R.classify(year, modal, omzet) == kelas


@pytest.mark.parametrize(("name", "total", "predikat"), [
    ("P100", 100, "Sehat"), ("P100_nol", 100, "Sehat"), ("P92_5_nol", 92.5, "Sehat"), ("P80", 80, "Sehat"),
    ("P79", 79, "Cukup Sehat"), ("P66", 66, "Cukup Sehat"), ("P65_5", 65.5, "Dalam Pengawasan"),
    ("P65_5_nol", 65.5, "Dalam Pengawasan"), ("P51", 51, "Dalam Pengawasan"),
    ("P50_5", 50.5, "Dalam Pengawasan Khusus"), ("P47_25", 47.25, "Dalam Pengawasan Khusus"),
])  # fmt: skip
def test_health_profiles_hand_totals(name, total, predikat):
    t = R.health_total(P.PROFILES[name], lending=True)
    assert t == total == P.EXPECTED_KSP_TOTALS[name]
    assert R.predikat(t) == predikat


def test_non_lending_profiles_rescale_to_100():
    assert R.health_total(P.NON_LENDING_SEHAT["NL_tanpa_pinjaman"], lending=False) == 100
    assert R.health_total(P.PROFILES["P47_25"], lending=False) < 51


@pytest.mark.parametrize(("style", "text"), [(0, "Rp12.500"), (1, "12.500"), (2, "12500"), (3, "12500.0")])
def test_amount_styles_are_the_spec_ones(style, text):
    assert rp_styles(12500, style) == text


@pytest.mark.parametrize(("style", "text"), [(0, "2019-11-02 14:05"), (1, "02-11-2019 14:05"), (2, "02/11/2019")])
def test_date_styles_are_the_spec_ones(style, text):
    assert dt_styles(datetime(2019, 11, 2, 14, 5), style) == text


def test_three_year_window():
    assert R.minus_years(date(2020, 3, 9), 3) == date(2017, 3, 9)
    assert R.minus_years(date(2024, 2, 29), 3) == date(2021, 2, 28)


def test_omzet_reference_rules():
    d = date(2020, 3, 9)
    lines = [
        R.SaleLine("shopee", "1", "A", "a", False, None, 100),  # shipped
        R.SaleLine("shopee", "1", "A", "a", True, datetime(2020, 1, 2), 100),  # then completed: once, in 2020
        R.SaleLine("shopee", "2", "", "b", True, datetime(2019, 5, 1), 7),
        R.SaleLine("shopee", "2", "", "b", True, datetime(2019, 5, 1), 7),  # the same line again
        R.SaleLine("bukalapak", "2", "", "b", True, datetime(2018, 5, 1), 1000),  # another channel's order 2
        R.SaleLine("tokopedia", "3", "C", "c", True, datetime(2020, 3, 9, 23, 59), 10_000),
        R.SaleLine("tokopedia", "4", "C", "c", True, datetime(2020, 3, 10, 0, 1), 99_999),
    ]
    assert R.omzet_figures(lines, {"33.03"}, 2019, d) == {"tukatuku_omzet_kumulatif": 11_107,
                                                          "tukatuku_omzet_tahun": 7}  # fmt: skip
