from datetime import date

import pytest

from apps.umkm.selectors import naik_kelas_businesses, naik_kelas_by_district, umkm_breakdown, umkm_kpi
from apps.umkm.tests.factories import business_make

pytestmark = pytest.mark.django_db

JT = 1_000_000
MIKRO = (10 * JT, 100 * JT)
KECIL = (100 * JT, 1_000 * JT)
MENENGAH = (1_000 * JT, 10_000 * JT)
BESAR = (20_000 * JT, 60_000 * JT)
AS_OF = date(2020, 3, 9)

# (years of one business, status, village) -> what it adds to the 2019 figures of 33.03
CASES = [
    # id, years, status, village, counted in umkm_total as, naik kelas key in 2019
    ("mikro both years", {2018: MIKRO, 2019: MIKRO}, "aktif", "33.03.01.2001", "mikro", None),
    ("mikro to kecil", {2018: MIKRO, 2019: KECIL}, "aktif", "33.03.01.2001", "kecil", "mikro_kecil"),
    ("kecil to menengah", {2018: KECIL, 2019: MENENGAH}, "aktif", "33.03.05.1001", "menengah", "kecil_menengah"),
    ("menengah to besar", {2018: MENENGAH, 2019: BESAR}, "aktif", "33.03.05.1001", "besar", "menengah_besar"),
    ("jump mikro to menengah", {2018: MIKRO, 2019: MENENGAH}, "aktif", "33.03.05.1001", "menengah", "mikro_menengah"),
    ("down kecil to mikro", {2018: KECIL, 2019: MIKRO}, "aktif", "33.03.01.2001", "mikro", None),
    ("gap year 2017 to 2019", {2017: MIKRO, 2019: KECIL}, "aktif", "33.03.01.2001", "kecil", None),
    ("only 2018: latest ≤ Y", {2018: KECIL}, "aktif", "33.03.01.2001", "kecil", None),
    ("only 2020: not yet", {2020: KECIL}, "aktif", "33.03.01.2001", None, None),
    ("2019 and 2020: class of 2019", {2019: MIKRO, 2020: BESAR}, "aktif", "33.03.01.2001", "mikro", None),
    ("closed", {2018: MIKRO, 2019: KECIL}, "tutup", "33.03.01.2001", None, "mikro_kecil"),
    ("another regency", {2018: MIKRO, 2019: KECIL}, "aktif", "33.02.01.2001", None, None),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_each_business_alone(case):
    _id, years, status, village, counted, move = case
    business_make(years=years, status=status, village=village)
    kpi = umkm_kpi(regency_codes=["33.03"], year=2019, as_of=AS_OF)
    per_kelas = {"mikro": 0, "kecil": 0, "menengah": 0, "besar": 0}
    if counted:
        per_kelas[counted] = 1
    naik = {"mikro_kecil": 0, "kecil_menengah": 0, "menengah_besar": 0}
    if move:
        naik[move] = 1
    expected = {"umkm_total": 1 if counted else 0, "umkm_per_kelas": per_kelas, "naik_kelas": naik}
    assert kpi == {**expected, "naik_kelas_angka_tetap": 0}  # one law (UU 20/2008) both years


def test_all_cases_together_and_breakdowns():
    for _id, years, status, village, _c, _m in CASES:
        business_make(years=years, status=status, village=village, sector="batik" if "besar" in _id else "kopi")
    kpi = umkm_kpi(regency_codes=["33.03"], year=2019, as_of=AS_OF)
    assert kpi == {
        "umkm_total": 9,
        "umkm_per_kelas": {"mikro": 3, "kecil": 3, "menengah": 2, "besar": 1},
        "naik_kelas": {"mikro_kecil": 2, "kecil_menengah": 1, "menengah_besar": 1, "mikro_menengah": 1},
        "naik_kelas_angka_tetap": 0,
    }
    assert umkm_kpi(regency_codes=["33.02", "33.03"], year=2019, as_of=AS_OF)["umkm_total"] == 10
    assert umkm_kpi(regency_codes=["33.03"], year=2018, as_of=AS_OF)["umkm_total"] == 8

    by_district = umkm_breakdown(regency_codes=["33.03"], year=2019, by="kecamatan")
    assert [(r["key"], r["label"], r["count"]) for r in by_district] == [
        ("33.03.01", "Kemangkon", 6),
        ("33.03.05", "Purbalingga", 3),
    ]
    assert [(r["key"], r["count"]) for r in umkm_breakdown(regency_codes=["33.03"], year=2019, by="sektor")] == [
        ("batik", 1),
        ("kopi", 8),
    ]
    assert [(r["key"], r["count"]) for r in umkm_breakdown(regency_codes=["33.03"], year=2019, by="kelas")] == [
        ("besar", 1),
        ("kecil", 3),
        ("menengah", 2),
        ("mikro", 3),
    ]
    assert [(r["key"], r["count"]) for r in umkm_breakdown(regency_codes=["33.03"], year=2019, by="jenis_kelamin")] == [
        ("P", 9)
    ]

    naik = naik_kelas_by_district(regency_codes=["33.03"], year=2019)
    assert naik == [
        {
            "district": "33.03.01",
            "name": "Kemangkon",
            "moves": {"mikro_kecil": 2, "kecil_menengah": 0, "menengah_besar": 0},
            "total": 2,
        },
        {
            "district": "33.03.05",
            "name": "Purbalingga",
            "moves": {"mikro_kecil": 0, "kecil_menengah": 1, "menengah_besar": 1, "mikro_menengah": 1},
            "total": 3,
        },
    ]
    listed = naik_kelas_businesses(regency_codes=["33.03"], year=2019, district="33.03.01", move="mikro_kecil")
    assert sorted(r.business.status for r in listed) == ["aktif", "tutup"]
    assert naik_kelas_businesses(regency_codes=["33.03"], year=2019, move="kecil_besar").count() == 0
