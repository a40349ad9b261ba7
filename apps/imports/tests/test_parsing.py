from datetime import date, datetime

import pytest

from apps.core.formatting import WIB
from apps.imports.parsing import normalize_header, parse_date, parse_datetime_wib, parse_int, parse_rupiah


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Rp12.500", 12500),
        ("12.500", 12500),
        ("12500", 12500),
        ("12500.0", 12500),
        ("12500,00", 12500),
        ("Rp 1.234.567", 1234567),
        ("Rp1.234.567,00", 1234567),
        ("12,500", 12500),
        ("1,234,567.00", 1234567),
        ("0", 0),
        ("-Rp5.000", -5000),
        ("  Rp 129.000.000 ", 129000000),
    ],
)
def test_parse_rupiah(text, value):
    assert parse_rupiah(text) == value


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "nilai rupiah kosong"),
        ("Rp", "nilai rupiah kosong"),
        ("12.5", "nilai rupiah harus bilangan bulat: 12.5"),
        ("1.234.567,50", "nilai rupiah harus bilangan bulat: 1.234.567,50"),
        ("dua ribu", "bukan nilai rupiah: dua ribu"),
        ("12.50.0", "bukan nilai rupiah: 12.50.0"),
    ],
)
def test_parse_rupiah_rejects(text, reason):
    with pytest.raises(ValueError) as exc:
        parse_rupiah(text)
    assert str(exc.value) == reason


@pytest.mark.parametrize(
    ("text", "kwargs", "value"),
    [("5", {}, 5), ("5.0", {}, 5), ("2019", {"minimum": 2000, "maximum": 2026}, 2019)],
)
def test_parse_int(text, kwargs, value):
    assert parse_int(text, **kwargs) == value


@pytest.mark.parametrize(
    ("text", "kwargs", "reason"),
    [
        ("5.5", {}, "harus bilangan bulat: 5.5"),
        ("-1", {"minimum": 0}, "tidak boleh kurang dari 0: -1"),
        ("1999", {"minimum": 2000}, "tidak boleh kurang dari 2000: 1999"),
        ("3000", {"maximum": 2026}, "tidak boleh lebih dari 2026: 3000"),
    ],
)
def test_parse_int_rejects(text, kwargs, reason):
    with pytest.raises(ValueError) as exc:
        parse_int(text, **kwargs)
    assert str(exc.value) == reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-11-02 14:05", datetime(2019, 11, 2, 14, 5)),
        ("02-11-2019 14:05", datetime(2019, 11, 2, 14, 5)),
        ("02/11/2019", datetime(2019, 11, 2, 0, 0)),
        ("2019-11-02", datetime(2019, 11, 2, 0, 0)),
        ("2019-11-02 14:05:33", datetime(2019, 11, 2, 14, 5, 33)),
        ("02/11/2019 23:59", datetime(2019, 11, 2, 23, 59)),
    ],
)
def test_parse_datetime_is_wib(text, expected):
    assert parse_datetime_wib(text) == expected.replace(tzinfo=WIB)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-03-09", date(2020, 3, 9)),
        ("09-03-2020", date(2020, 3, 9)),
        ("09/03/2020", date(2020, 3, 9)),
        ("2020-03-09 10:00:00", date(2020, 3, 9)),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2020", "2020-13-01", "kemarin", ""])
def test_parse_date_rejects(text):
    with pytest.raises(ValueError, match="tanggal tidak dikenali"):
        parse_date(text)


def test_normalize_header():
    assert normalize_header("\ufeff  No.  Pesanan ") == "no. pesanan"
