from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.core.formatting import number_id, rupiah, tanggal, wib


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "Rp0"),
        (999, "Rp999"),
        (1000, "Rp1.000"),
        (1234567, "Rp1.234.567"),
        (129000000, "Rp129.000.000"),
        (-12500, "-Rp12.500"),
        (None, "–"),
    ],
)
def test_rupiah(amount, text):
    assert rupiah(amount) == text


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_rupiah_round_trips(amount):
    text = rupiah(amount)
    digits = text.replace("Rp", "").replace(".", "")
    assert int(digits) == amount


@pytest.mark.parametrize(("value", "text"), [(96592, "96.592"), (0, "0"), (239, "239"), (None, "–")])
def test_number_id(value, text):
    assert number_id(value) == text


def test_wib_converts_from_utc():
    # 07:05 UTC is 14:05 WIB (UTC+7, no daylight saving)
    assert wib(datetime(2020, 3, 9, 7, 5, tzinfo=UTC)) == "9 Maret 2020 14:05 WIB"


def test_wib_date_only_crosses_midnight():
    assert wib(datetime(2019, 12, 31, 18, 0, tzinfo=UTC), with_time=False) == "1 Januari 2020"


def test_tanggal():
    assert tanggal(date(2018, 8, 17)) == "17 Agustus 2018"


@pytest.mark.parametrize(
    ("language", "amount", "count", "day", "moment"),
    [
        ("id", "Rp1.234.567", "4.510", "9 Maret 2020", "9 Maret 2020 14:05 WIB"),
        ("en", "Rp1,234,567", "4,510", "9 March 2020", "9 March 2020 14:05 WIB"),
    ],
)
def test_english_pages_get_english_formats(language, amount, count, day, moment):
    from django.utils import translation

    with translation.override(language):
        assert rupiah(1_234_567) == amount
        assert number_id(4510) == count
        assert tanggal(date(2020, 3, 9)) == day
        assert wib(datetime(2020, 3, 9, 7, 5, tzinfo=UTC)) == moment
