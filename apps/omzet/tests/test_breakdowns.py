from datetime import date, datetime

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core.formatting import WIB
from apps.omzet.report import BREAKDOWNS, breakdown, records
from apps.omzet.selectors import omzet_kpi
from apps.omzet.services import omzet_record_return, omzet_record_sale
from apps.omzet.tests.factories import make_seller, make_variant

pytestmark = pytest.mark.django_db
REGION = "33.03"
ARGS = {"regency_codes": [REGION], "year": 2019, "as_of": date(2020, 3, 9)}


def sell(key, amount, when, channel="web", variant=None, regency="33.03"):
    omzet_record_sale(
        source_key=key,
        channel_code=channel,
        regency_code=regency,
        variant=variant,
        product_name="x",
        quantity=1,
        amount=amount,
        counted_at=datetime(*when, 12, 0, tzinfo=WIB),
        actor=None,
    )


@pytest.fixture
def ledger():
    kuliner = make_variant(seller=make_seller(district="33.03.05", sector="Kuliner"), sku="K-1")
    kriya = make_variant(seller=make_seller(district="33.03.01", sector="Kriya"), sku="R-1")
    blank = make_variant(seller=make_seller(district="33.03.01", sector=""), sku="B-1")
    sell("a", 100_000, (2018, 12, 31), "bukalapak", kuliner)
    sell("b", 50_000, (2019, 1, 15), "shopee", kuliner)
    sell("c", 30_000, (2019, 11, 2), "shopee", kriya)
    omzet_record_return(
        source_key="c:r",
        original_source_key="c",
        quantity=1,
        amount=10_000,
        counted_at=datetime(2019, 11, 2, 12, tzinfo=WIB),
        actor=None,
    )
    sell("d", 7_000, (2019, 11, 20), "tokopedia")  # unmapped marketplace product
    sell("e", 4_000, (2020, 2, 1), "opd", blank)
    sell("f", 999, (2020, 3, 10), "web", kuliner)  # after D
    sell("g", 555, (2019, 5, 5), "web", regency="33.02")  # another regency


@pytest.mark.parametrize(
    "by, expected",
    [
        (
            "kanal",
            [
                ("bukalapak", "Bukalapak", 100_000, 0),
                ("opd", "Pembelian OPD", 4_000, 0),
                ("shopee", "Shopee", 70_000, 70_000),
                ("tokopedia", "Tokopedia", 7_000, 7_000),
            ],
        ),
        (
            "wilayah",
            [
                ("-", "(tidak diisi)", 7_000, 7_000),
                ("33.03.01", "Kemangkon", 24_000, 20_000),
                ("33.03.05", "Purbalingga", 150_000, 50_000),
            ],
        ),
        (
            "sektor",
            [
                ("-", "(tidak diisi)", 11_000, 7_000),
                ("Kriya", "Kriya", 20_000, 20_000),
                ("Kuliner", "Kuliner", 150_000, 50_000),
            ],
        ),
        (
            "bulan",
            [("2019-01", "Januari 2019", None, 50_000)]
            + [(f"2019-{m:02d}", None, None, 0) for m in range(2, 11)]
            + [("2019-11", "November 2019", None, 27_000), ("2019-12", "Desember 2019", None, 0)],
        ),
    ],
)
def test_breakdowns_and_their_records(ledger, by, expected):
    """Each row of a breakdown (the report's, labelled and ordered as the page shows them) adds up to
    its records, and the rows to the KPI."""
    rows = breakdown(REGION, ARGS["year"], ARGS["as_of"], by)
    assert [
        (r["key"], r["label"] if e[1] else None, r.get("kumulatif"), r["tahun"])
        for r, e in zip(rows, expected, strict=True)
    ] == expected
    kpi = omzet_kpi(**ARGS)
    if by != "bulan":
        assert sum(r["kumulatif"] for r in rows) == kpi["tukatuku_omzet_kumulatif"] == 181_000
    assert sum(r["tahun"] for r in rows) == kpi["tukatuku_omzet_tahun"] == 77_000
    dimension = "area" if by == "wilayah" else by
    for r in rows:
        lines = records(REGION, ARGS["year"], ARGS["as_of"], "omzet", **{dimension: r["key"]}).queryset
        in_year = records(REGION, ARGS["year"], ARGS["as_of"], "omzet", periode="tahun", **{dimension: r["key"]})
        cumulative = lines.aggregate(s=Sum("amount"))["s"] or 0
        assert (cumulative if by != "bulan" else None, in_year.queryset.aggregate(s=Sum("amount"))["s"] or 0) == (
            r.get("kumulatif"),
            r["tahun"],
        )


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sales=st.lists(
        st.tuples(
            st.sampled_from(["web", "shopee", "opd"]),
            st.integers(min_value=0, max_value=10**8),
            st.dates(min_value=date(2018, 1, 1), max_value=date(2020, 12, 31)),
            st.booleans(),
        ),
        max_size=8,
    )
)
def test_every_breakdown_adds_up_to_the_kpi(sales):
    from apps.omzet.models import OmzetLine

    OmzetLine.objects.all().delete()
    variant = make_variant(seller=make_seller(), sku=f"H-{OmzetLine.objects.count()}-{len(sales)}-{id(sales)}")
    for i, (channel, amount, day, attributed) in enumerate(sales):
        sell(f"h{i}", amount, (day.year, day.month, day.day), channel, variant if attributed else None)
    kpi = omzet_kpi(**ARGS)
    for by in BREAKDOWNS:
        rows = breakdown(REGION, ARGS["year"], ARGS["as_of"], by)
        assert sum(r["tahun"] for r in rows) == kpi["tukatuku_omzet_tahun"]
        if by != "bulan":
            assert sum(r["kumulatif"] for r in rows) == kpi["tukatuku_omzet_kumulatif"]


def test_omzet_by_channel_lists_showroom_and_festival_with_indonesian_labels():
    """Showroom (quick-sale screen, offline sales) and festival booth sales are channels of the ledger, so
    the leadership report's omzet by channel shows them under their Indonesian names (issue #14)."""
    seller = make_seller(district="33.03.05")
    sell("room-1", 40_000, (2019, 6, 1), "showroom", make_variant(seller=seller, sku="SR-1"))
    sell("booth-1", 250_000, (2019, 8, 17), "festival")
    sell("web-1", 10_000, (2019, 9, 1), "web")
    rows = breakdown(REGION, ARGS["year"], ARGS["as_of"], "kanal")
    assert [(r["key"], r["label"], r["tahun"]) for r in rows] == [
        ("festival", "Festival/pameran", 250_000),
        ("showroom", "Showroom", 40_000),
        ("web", "Toko daring Tuka-Tuku", 10_000),
    ]
