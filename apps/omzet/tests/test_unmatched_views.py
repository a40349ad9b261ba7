import csv

import pytest
from django.urls import reverse

from apps.jobs.services import job_run_pending
from apps.omzet.importers import FORMATS
from apps.omzet.models import MarketplaceLine, OmzetLine, ProductMapping
from apps.omzet.tests.factories import make_seller, make_variant

pytestmark = pytest.mark.django_db
BUKALAPAK = list(FORMATS["bukalapak"].columns)


def upload(client, tmp_path, rows, channel="bukalapak", regency="33.03"):
    path = tmp_path / "bl.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(BUKALAPAK)
        w.writerows(rows)
    with path.open("rb") as fh:
        return client.post(
            reverse("imports:upload", kwargs={"kind": "penjualan"}),
            {"file": fh, "channel": channel, "regency": regency},
        )


def test_web_upload_with_channel_select(client, operator, tmp_path):
    client.force_login(operator)
    page = client.get(reverse("imports:upload", kwargs={"kind": "penjualan"}))
    assert page.status_code == 200
    assert 'name="channel"' in page.content.decode()
    response = upload(client, tmp_path, [["B1", "2019-11-02", "Selesai", "Gula", "", "2", "Rp12.500"]])
    assert response.status_code == 302
    assert job_run_pending() == 1
    line = OmzetLine.objects.get()
    assert (line.source_key, line.amount, line.regency_id) == ("bukalapak:B1:gula", 25000, "33.03")


def test_web_upload_refuses_another_regency(client, operator, tmp_path):
    client.force_login(operator)
    response = upload(client, tmp_path, [["B1", "2019-11-02", "Selesai", "Gula", "", "2", "1000"]], regency="33.02")
    assert response.status_code == 200  # the form shows the error: 33.02 is not a choice
    assert job_run_pending() == 0
    assert OmzetLine.objects.count() == 0


@pytest.fixture
def unmatched_line(operator, client, tmp_path):
    client.force_login(operator)
    upload(client, tmp_path, [["B1", "2019-11-02", "Selesai", "Sale Pisang", "", "2", "15000"]])
    job_run_pending()
    client.logout()
    return MarketplaceLine.objects.get()


@pytest.mark.parametrize(
    "who, status", [("anonymous", 302), ("buyer", 403), ("other_operator", 200), ("operator", 200)]
)
def test_unmatched_page_access(client, request, unmatched_line, who, status):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("omzet:unmatched"))
    assert response.status_code == status
    shown = status == 200 and "Sale Pisang" in response.content.decode()
    assert shown == (who == "operator")


@pytest.mark.parametrize("who, status", [("anonymous", 302), ("buyer", 403), ("other_operator", 404)])
def test_mapping_refused(client, request, unmatched_line, who, status):
    seller = make_seller()
    make_variant(seller=seller, sku="SP-1")
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.post(
        reverse("omzet:map"),
        {"channel": unmatched_line.channel_id, "match_key": unmatched_line.match_key, "sku": "SP-1"},
    )
    assert response.status_code == status
    assert ProductMapping.objects.count() == 0
    assert OmzetLine.objects.get().seller_id is None


def test_operator_maps_a_product(client, operator, unmatched_line):
    seller = make_seller(district="33.03.09")
    variant = make_variant(seller=seller, sku="SP-1")
    client.force_login(operator)
    response = client.post(
        reverse("omzet:map"),
        {"channel": unmatched_line.channel_id, "match_key": unmatched_line.match_key, "sku": "SP-1"},
    )
    assert response.status_code == 302
    line = OmzetLine.objects.get()
    assert (line.seller_id, line.variant_id, line.district_id) == (seller.pk, variant.pk, "33.03.09")
    assert "Sale Pisang" not in client.get(reverse("omzet:unmatched")).content.decode()


def test_mapping_to_unknown_sku_changes_nothing(client, operator, unmatched_line):
    client.force_login(operator)
    response = client.post(
        reverse("omzet:map"),
        {"channel": unmatched_line.channel_id, "match_key": unmatched_line.match_key, "sku": "NOPE"},
        follow=True,
    )
    assert "SKU NOPE tidak ada di katalog." in response.content.decode()
    assert ProductMapping.objects.count() == 0


def test_unmatched_page_query_count(client, operator, django_assert_num_queries, tmp_path):
    client.force_login(operator)
    upload(client, tmp_path, [["B1", "2019-11-02", "Selesai", "A", "", "1", "1000"]])
    job_run_pending()
    client.get(reverse("omzet:unmatched"))  # warm caches (session, user)
    with django_assert_num_queries(4) as ctx:
        client.get(reverse("omzet:unmatched"))
    first = len(ctx.captured_queries)
    upload(client, tmp_path, [[f"B{i}", "2019-11-02", "Selesai", f"P{i}", "", "1", "1000"] for i in range(2, 12)])
    job_run_pending()
    with django_assert_num_queries(first):
        client.get(reverse("omzet:unmatched"))
