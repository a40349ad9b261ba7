"""Each breakdown of the report as a table of cases, and each adding up to its domain's KPI figure."""

from datetime import date, datetime

import pytest

from apps.core.formatting import WIB
from apps.reports.tests.factories import (
    district_and_village,
    domain_breakdowns,
    kpi_figures,
    make_business,
    make_seller,
    record_sale,
    report_breakdowns,
)

D = date(2020, 3, 9)


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


# (source key, channel, seller ("A": Kuliner in kecamatan 0, "B": Kerajinan in kecamatan 1, None), WIB time, amount)
SALES = [
    ("s1", "bukalapak", "A", wib(2018, 12, 31, 23, 59), 1_000_000),  # cumulative only
    ("s2", "bukalapak", "A", wib(2019, 1, 1, 0, 0), 2_000_000),  # first minute of Y: January
    ("s3", "web", "B", wib(2019, 6, 15, 10), 500_000),
    ("s4", "shopee", None, wib(2019, 12, 31, 23, 59), 300_000),  # no seller: no sector, no kecamatan
    ("s5", "web", "B", wib(2020, 3, 9, 23, 30), 700_000),  # last half hour of D: counted, not in Y
    ("s6", "web", "A", wib(2020, 3, 10, 0, 0), 900_000),  # after D: never counted
    ("s7", "bukalapak", "B", wib(2018, 3, 1), 50_000),
]
RETURNS = [("r1", "s2", wib(2019, 2, 1), 400_000)]  # part of s2 returned in February

EXPECTED_CHANNEL = [
    # (label, kumulatif, tahun)
    ("Bukalapak", 1_000_000 + 2_000_000 - 400_000 + 50_000, 2_000_000 - 400_000),
    ("Shopee", 300_000, 300_000),
    ("Toko daring Tuka-Tuku", 500_000 + 700_000, 500_000),
]
EXPECTED_SECTOR = [
    ("(tidak diisi)", 300_000, 300_000),
    ("Kerajinan", 500_000 + 700_000 + 50_000, 500_000),
    ("Kuliner", 1_000_000 + 2_000_000 - 400_000, 1_600_000),
]
EXPECTED_MONTHS = {1: 2_000_000, 2: -400_000, 6: 500_000, 12: 300_000}


@pytest.fixture
def ledger(db):
    from apps.omzet.services import omzet_record_return

    sellers = {
        "A": make_seller(make_business(sector="Kuliner", district_index=0)),
        "B": make_seller(make_business(sector="Kerajinan", district_index=1)),
        None: None,
    }
    for key, channel, seller, when, amount in SALES:
        record_sale(key=key, channel=channel, amount=amount, when=when, seller=sellers[seller])
    for key, original, when, amount in RETURNS:
        omzet_record_return(
            source_key=key, original_source_key=original, quantity=1, amount=amount, counted_at=when, actor=None
        )
    record_sale(key="other", channel="web", amount=10**9, when=wib(2019, 5, 1), regency="33.02")
    return sellers


def triples(rows):
    return [(r["label"], r["kumulatif"], r["tahun"]) for r in rows]


def test_omzet_by_channel_sector_month(ledger):
    b = domain_breakdowns("omzet", region_code="33.03", year=2019, as_of=D)
    assert triples(b["omzet_per_kanal"]) == EXPECTED_CHANNEL
    assert triples(b["omzet_per_sektor"]) == EXPECTED_SECTOR
    assert [(r["key"], r["tahun"]) for r in b["omzet_per_bulan"]] == [
        (f"2019-{m:02d}", EXPECTED_MONTHS.get(m, 0)) for m in range(1, 13)
    ]
    assert b["omzet_per_bulan"][2]["label"] == "Maret 2019"


def test_omzet_by_kecamatan(ledger):
    b = domain_breakdowns("omzet", region_code="33.03", year=2019, as_of=D)
    by_key = {r["key"]: (r["kumulatif"], r["tahun"]) for r in b["omzet_per_wilayah"]}
    k0, k1 = district_and_village("33.03", 0)[0], district_and_village("33.03", 1)[0]
    assert by_key == {k0: (2_600_000, 1_600_000), k1: (1_250_000, 500_000), "-": (300_000, 300_000)}


@pytest.mark.parametrize(
    "as_of, year, months",
    [
        (date(2019, 3, 9), 2019, 3),  # D inside Y: months up to D's month
        (date(2020, 3, 9), 2019, 12),
        (date(2019, 12, 31), 2019, 12),
        (date(2020, 1, 1), 2020, 1),
    ],
)
def test_months_shown(db, as_of, year, months):
    b = domain_breakdowns("omzet", region_code="33.03", year=year, as_of=as_of)
    assert len(b["omzet_per_bulan"]) == months


def test_omzet_breakdowns_add_up_to_the_domain_figures(ledger):
    figures = kpi_figures(region_code="33.03", year=2019, as_of=D)
    b = report_breakdowns(region_code="33.03", year=2019, as_of=D)
    assert figures["tukatuku_omzet_kumulatif"] == 4_150_000
    assert figures["tukatuku_omzet_tahun"] == 2_400_000
    for key in ("omzet_per_kanal", "omzet_per_wilayah", "omzet_per_sektor"):
        assert sum(r["kumulatif"] for r in b[key]) == figures["tukatuku_omzet_kumulatif"], key
        assert sum(r["tahun"] for r in b[key]) == figures["tukatuku_omzet_tahun"], key
    assert sum(r["tahun"] for r in b["omzet_per_bulan"]) == figures["tukatuku_omzet_tahun"]


def test_province_splits_by_regency(ledger):
    b = report_breakdowns(region_code="33", year=2019, as_of=D)
    assert b["area_label"] == "Kabupaten/kota"
    by_key = {r["label"]: r["kumulatif"] for r in b["omzet_per_wilayah"]}
    assert by_key == {"Kabupaten Banyumas": 10**9, "Kabupaten Purbalingga": 4_150_000}


# UMKM: (years recorded {year: kelas}, status, sector, gender, kecamatan index, counted in Y=2019?)
UMKM_CASES = [
    ({2019: "mikro"}, "aktif", "Kuliner", "P", 0, True),
    ({2017: "kecil"}, "aktif", "Kuliner", "L", 0, True),  # an old record still counts (≤ Y)
    ({2020: "mikro"}, "aktif", "Kuliner", "P", 1, False),  # recorded only after Y
    ({2019: "mikro"}, "tutup", "Kuliner", "P", 1, False),  # closed
    ({}, "aktif", "Kuliner", "P", 1, False),  # no yearly record at all
    ({2018: "mikro", 2019: "kecil"}, "aktif", "", "L", 1, True),  # sector not filled
    ({2019: "menengah"}, "aktif", "Kerajinan", "P", 2, True),
]


@pytest.mark.django_db
def test_umkm_breakdowns_table():
    for years, status, sector, gender, k, _counted in UMKM_CASES:
        make_business(years=years, status=status, sector=sector, gender=gender, district_index=k)
    make_business(regency="33.02", years={2019: "mikro"})
    b = domain_breakdowns("umkm", region_code="33.03", year=2019, as_of=D)
    counted = [c for c in UMKM_CASES if c[5]]
    assert [(r["label"], r["jumlah"]) for r in b["umkm_per_jenis_kelamin"]] == [("Laki-laki", 2), ("Perempuan", 2)]
    assert [(r["key"], r["label"], r["jumlah"]) for r in b["umkm_per_sektor"]] == [
        ("-", "(tidak diisi)", 1),
        ("Kerajinan", "Kerajinan", 1),
        ("Kuliner", "Kuliner", 2),
    ]
    districts = [district_and_village("33.03", i)[0] for i in range(3)]
    assert {r["key"]: r["jumlah"] for r in b["umkm_per_wilayah"]} == {districts[0]: 2, districts[1]: 1, districts[2]: 1}
    assert sum(r["jumlah"] for r in b["umkm_per_wilayah"]) == len(counted)
