from datetime import date, datetime

import pytest
from django.urls import reverse
from pypdf import PdfReader

from apps.audit.models import AuditEntry
from apps.core.formatting import WIB
from apps.omzet.models import OfflineSale, OmzetLine
from apps.omzet.offline import SaleItem, offline_sale_cancel, offline_sale_record
from apps.omzet.selectors import omzet_kpi
from apps.omzet.services import OmzetError
from apps.omzet.tests.factories import make_seller, make_variant

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    seller = make_seller(name="Batik Purbalingga", district="33.03.05")
    return {
        "BT-1": make_variant(seller=seller, sku="BT-1", name="Batik Tulis", price=350000),
        "KR-1": make_variant(seller=make_seller(district="33.03.01"), sku="KR-1", name="Keripik", price=15000),
    }


def test_opd_purchase_recorded_on_the_sale_date_with_invoice_number(catalogue, operator):
    sale = offline_sale_record(
        regency_code="33.03",
        channel_code="opd",
        sale_date=date(2019, 12, 20),
        items=[SaleItem(catalogue["BT-1"], 10), SaleItem(catalogue["KR-1"], 40, unit_price=12500)],
        office_name="Dinas Pariwisata",
        actor=operator,
    )
    assert sale.invoice_number == "TT/33.03/2019/0001"
    lines = list(
        OmzetLine.objects.order_by("amount").values_list("amount", "channel__code", "district_id", "counted_at")
    )
    noon = datetime(2019, 12, 20, 12, 0, tzinfo=WIB)
    assert lines == [(500000, "opd", "33.03.01", noon), (3500000, "opd", "33.03.05", noon)]
    assert omzet_kpi(regency_codes=["33.03"], year=2019, as_of=date(2019, 12, 20)) == {
        "tukatuku_omzet_kumulatif": 4000000,
        "tukatuku_omzet_tahun": 4000000,
    }
    second = offline_sale_record(
        regency_code="33.03",
        channel_code="opd",
        sale_date=date(2019, 12, 21),
        items=[SaleItem(catalogue["KR-1"], 1)],
        office_name="Bappeda",
        actor=operator,
    )
    assert second.invoice_number == "TT/33.03/2019/0002"
    assert AuditEntry.objects.filter(action="omzet.offline_record").count() == 2


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"channel_code": "opd", "office_name": ""}, "Nama OPD wajib"),
        ({"channel_code": "web"}, "Kanal luring tidak dikenal"),
        ({"regency_code": "33.02"}, "bukan milik penjual"),
        ({"sale_date": date(2999, 1, 1)}, "masa depan"),
        ({"items": []}, "minimal satu"),
    ],
)
def test_offline_sale_rules(catalogue, operator, kwargs, message):
    args = {
        "regency_code": "33.03",
        "channel_code": "showroom",
        "sale_date": date(2020, 1, 5),
        "items": [SaleItem(catalogue["KR-1"], 2)],
        "actor": operator,
    } | kwargs
    with pytest.raises(OmzetError, match=message):
        offline_sale_record(**args)
    assert (OfflineSale.objects.count(), OmzetLine.objects.count()) == (0, 0)


def test_cancel_reverses_every_line(catalogue, operator):
    sale = offline_sale_record(
        regency_code="33.03",
        channel_code="showroom",
        sale_date=date(2020, 1, 5),
        items=[SaleItem(catalogue["KR-1"], 2), SaleItem(catalogue["BT-1"], 1)],
        actor=operator,
    )
    offline_sale_cancel(sale=sale, actor=operator, reason="salah catat")
    offline_sale_cancel(sale=sale, actor=operator, reason="salah catat")
    assert OmzetLine.objects.count() == 4
    assert omzet_kpi(regency_codes=["33.03"], year=2020, as_of=date(2020, 3, 9))["tukatuku_omzet_kumulatif"] == 0


def test_operator_records_an_opd_purchase_on_the_page_and_gets_the_invoice(client, catalogue, operator):
    client.force_login(operator)
    assert client.get(reverse("omzet:offline_new")).status_code == 200
    data = {
        "channel": "opd",
        "regency": "33.03",
        "sale_date": "2020-02-14",
        "office_name": "Sekretariat Daerah",
        "invoice_number": "",
        "note": "",
        "barang-TOTAL_FORMS": "5",
        "barang-INITIAL_FORMS": "0",
        "barang-MIN_NUM_FORMS": "0",
        "barang-MAX_NUM_FORMS": "50",
        "barang-0-sku": "BT-1",
        "barang-0-quantity": "2",
        "barang-1-sku": "KR-1",
        "barang-1-quantity": "10",
        "barang-1-unit_price": "14000",
    }
    response = client.post(reverse("omzet:offline_new"), data)
    sale = OfflineSale.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("omzet:offline_detail", kwargs={"pk": sale.pk})
    assert sum(OmzetLine.objects.values_list("amount", flat=True)) == 700000 + 140000
    pdf = client.get(reverse("omzet:offline_invoice", kwargs={"pk": sale.pk}))
    assert pdf["Content-Type"] == "application/pdf"
    import io

    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "TT/33.03/2020/0001" in text
    assert "Sekretariat Daerah" in text
    assert "Rp840.000" in text


def test_unknown_sku_on_the_page_records_nothing(client, catalogue, operator):
    client.force_login(operator)
    data = {
        "channel": "showroom",
        "regency": "33.03",
        "sale_date": "2020-02-14",
        "barang-TOTAL_FORMS": "1",
        "barang-INITIAL_FORMS": "0",
        "barang-MIN_NUM_FORMS": "0",
        "barang-MAX_NUM_FORMS": "50",
        "barang-0-sku": "NOPE",
        "barang-0-quantity": "2",
    }
    response = client.post(reverse("omzet:offline_new"), data)
    assert response.status_code == 200
    assert "SKU tidak ada di katalog: NOPE" in response.content.decode()
    assert OfflineSale.objects.count() == 0


@pytest.mark.parametrize(
    "who, status",
    [("anonymous", 302), ("buyer", 403), ("other_operator", 404), ("operator", 200)],
)
def test_offline_sale_access(client, request, catalogue, operator, who, status):
    sale = offline_sale_record(
        regency_code="33.03",
        channel_code="showroom",
        sale_date=date(2020, 1, 5),
        items=[SaleItem(catalogue["KR-1"], 2)],
        actor=operator,
    )
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    for name in ("omzet:offline_detail", "omzet:offline_invoice"):
        assert client.get(reverse(name, kwargs={"pk": sale.pk})).status_code == status
    client.post(reverse("omzet:offline_cancel", kwargs={"pk": sale.pk}), {"reason": "x"})
    sale.refresh_from_db()
    assert (sale.cancelled_at is None) == (who != "operator")


def test_offline_list_query_count(client, catalogue, operator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def record(n):
        for _ in range(n):
            offline_sale_record(
                regency_code="33.03",
                channel_code="showroom",
                sale_date=date(2020, 1, 5),
                items=[SaleItem(catalogue["KR-1"], 2), SaleItem(catalogue["BT-1"], 1)],
                actor=operator,
            )

    record(1)
    client.force_login(operator)
    client.get(reverse("omzet:offline_list"))
    with CaptureQueriesContext(connection) as first:
        response = client.get(reverse("omzet:offline_list"))
    assert response.context["page"][0].total == 30000 + 350000
    record(5)
    with CaptureQueriesContext(connection) as later:
        client.get(reverse("omzet:offline_list"))
    assert len(later.captured_queries) == len(first.captured_queries)
