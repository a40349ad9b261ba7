import json
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.formatting import WIB
from apps.omzet.services import omzet_record_return, omzet_record_sale
from apps.omzet.tests.factories import make_seller, make_variant

pytestmark = pytest.mark.django_db


def sell(key, *, variant=None, channel="web", regency="33.03", amount=10000, when=(2019, 11, 2)):
    return omzet_record_sale(
        source_key=key,
        channel_code=channel,
        regency_code=regency,
        variant=variant,
        product_name=str(variant) if variant else "Produk lepas",
        quantity=1,
        amount=amount,
        counted_at=datetime(*when, 10, 0, tzinfo=WIB),
        actor=None,
    )


@pytest.fixture
def shop(make_user):
    owner = make_user("penjual1", role="mitra_umkm")
    seller = make_seller(name="Nopia Mino", district="33.03.05", user=owner)
    variant = make_variant(seller=seller, sku="NP-1", name="Nopia")
    sell("web:1", variant=variant, amount=30000, when=(2019, 11, 2))
    sell("shopee:1:NP-1", variant=variant, channel="shopee", amount=45000, when=(2019, 12, 1))
    omzet_record_return(
        source_key="web:1:r",
        original_source_key="web:1",
        quantity=1,
        amount=5000,
        counted_at=datetime(2019, 11, 3, tzinfo=WIB),
        actor=None,
    )
    sell("web:2", variant=variant, amount=7000, when=(2020, 1, 4))
    sell("bukalapak:9:x", channel="bukalapak", amount=1000)
    sell("web:other", regency="33.02", amount=999)
    return {"owner": owner, "seller": seller, "variant": variant}


# --- seller dashboard -------------------------------------------------------------------------------


def test_seller_sees_omzet_by_month_channel_product(client, shop):
    client.force_login(shop["owner"])
    response = client.get(reverse("omzet:my_dashboard"))
    assert response.status_code == 302
    response = client.get(response["Location"] + "?tahun=2019")
    assert response.status_code == 200
    data = response.context["data"]
    assert (data["total_year"], data["total_all"]) == (70000, 77000)
    assert data["by_channel"] == [
        {"label": "Shopee", "amount": 45000, "quantity": 1},
        {"label": "Toko daring Tuka-Tuku", "amount": 25000, "quantity": 0},
    ]
    assert data["by_product"] == [{"label": "Nopia", "amount": 70000, "quantity": 1}]
    assert [m["amount"] for m in data["months"]] == [0] * 10 + [25000, 45000]
    chart = json.loads(
        response.content.decode().split('id="omzet-chart-data" type="application/json">')[1].split("<")[0]
    )
    assert chart["months"]["values"][10:] == [25000, 45000]
    assert "vendor/chart.umd.min.js" in response.content.decode()
    # the latest year is the default
    assert (
        client.get(reverse("omzet:seller_dashboard", kwargs={"pk": shop["seller"].pk})).context["data"]["year"] == 2020
    )


@pytest.mark.parametrize("who", ["anonymous", "buyer", "other_seller", "operator", "other_operator"])
def test_seller_dashboard_only_for_its_members(client, request, make_user, shop, who):
    if who == "other_seller":
        user = make_user("penjual2", role="mitra_umkm")
        make_seller(user=user)
        client.force_login(user)
    elif who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("omzet:seller_dashboard", kwargs={"pk": shop["seller"].pk}))
    assert response.status_code == (302 if who == "anonymous" else 404)


def test_seller_dashboard_query_count(client, shop, django_assert_num_queries):
    client.force_login(shop["owner"])
    url = reverse("omzet:seller_dashboard", kwargs={"pk": shop["seller"].pk}) + "?tahun=2019"
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    first = len(ctx.captured_queries)
    for i in range(20):
        sell(f"web:more:{i}", variant=shop["variant"], amount=100, when=(2019, 1 + i % 12, 5))
    with django_assert_num_queries(first):
        client.get(url)


# --- operators' ledger ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, keys",
    [
        ("", ["web:2", "shopee:1:NP-1", "web:1:r", "bukalapak:9:x", "web:1"]),
        ("?kanal=shopee", ["shopee:1:NP-1"]),
        ("?kecamatan=33.03.05&dari=2019-11-03&sampai=2019-12-31", ["shopee:1:NP-1", "web:1:r"]),
        ("?sampai=2019-11-02", ["bukalapak:9:x", "web:1"]),
        ("?penjual=SELLER", ["web:2", "shopee:1:NP-1", "web:1:r", "web:1"]),
        ("?penjual=999999", []),
    ],
)
def test_ledger_filters(client, operator, shop, query, keys):
    client.force_login(operator)
    query = query.replace("SELLER", str(shop["seller"].pk))
    response = client.get(reverse("omzet:ledger") + query)
    assert response.status_code == 200
    assert [line.source_key for line in response.context["page"]] == keys


@pytest.mark.parametrize(
    "who, status, rows",
    [
        ("anonymous", 302, None),
        ("buyer", 403, None),
        ("other_operator", 200, 1),
        ("operator", 200, 5),
        ("head", 200, 5),
    ],
)
def test_ledger_scoped_to_the_officers_regions(client, request, shop, who, status, rows):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("omzet:ledger"))
    assert response.status_code == status
    if rows is not None:
        assert len(response.context["page"].object_list) == rows
        csv_rows = b"".join(client.get(reverse("omzet:ledger_csv")).streaming_content).decode("utf-8-sig").splitlines()
        assert len(csv_rows) == rows + 1


def test_ledger_csv_content(client, operator, shop):
    client.force_login(operator)
    response = client.get(reverse("omzet:ledger_csv") + "?kanal=shopee")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[1] == "2019-12-01 10:00,33.03,Purbalingga,shopee,Nopia Mino,Nopia,1,45000,shopee:1:NP-1,"


def test_ledger_and_csv_query_counts(client, operator, shop, django_assert_num_queries):
    client.force_login(operator)
    client.get(reverse("omzet:ledger"))
    with CaptureQueriesContext(connection) as page_ctx:
        client.get(reverse("omzet:ledger"))
    with CaptureQueriesContext(connection) as csv_ctx:
        b"".join(client.get(reverse("omzet:ledger_csv")).streaming_content)
    other = make_seller(district="33.03.07")
    for i in range(15):
        sell(f"web:x:{i}", variant=make_variant(seller=other, sku=f"X-{i}"), amount=100)
    with django_assert_num_queries(len(page_ctx.captured_queries)):
        client.get(reverse("omzet:ledger"))
    with django_assert_num_queries(len(csv_ctx.captured_queries)):
        b"".join(client.get(reverse("omzet:ledger_csv")).streaming_content)


def test_ledger_page_in_english(client, operator):
    client.force_login(operator)
    response = client.get(reverse("omzet:ledger"), HTTP_ACCEPT_LANGUAGE="en")
    assert "<h1>Sales ledger</h1>" in response.content.decode()
