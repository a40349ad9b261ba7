"""Who may open the showroom's pages, and the pages and papers a keeper uses."""

import pytest
from django.urls import reverse

from apps.core.actors import COMMAND_LINE
from apps.konsinyasi.models import StockMovement
from apps.konsinyasi.services import CartItem, sale_create
from apps.konsinyasi.tests.factories import make_location, make_seller, make_variant, receive

PAGES = ["location", "kasir", "closing", "movements", "count_new", "transfer_new", "return_new", "receipt_new"]


@pytest.fixture
def shop(db):
    location = make_location()
    variant = make_variant(make_seller(), price=20000)
    lot = receive(location, variant, 5, titip=16000)
    return location, variant, lot


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("buyer", 403), ("seller", 403), ("other_operator", 404), ("operator", 200), ("head", 200)],
)
@pytest.mark.parametrize("name", PAGES)
def test_page_access(client, make_user, shop, who, status, name):
    location, _variant, _lot = shop
    users = {
        "buyer": ("b1", "pembeli", ()),
        "seller": ("s1", "mitra_umkm", ()),
        "other_operator": ("op2", "operator", ("33.02",)),
        "operator": ("op1", "operator", ("33.03",)),
        "head": ("kd1", "kepala_dinas", ("33.03",)),
    }
    if who in users:
        username, role, regions = users[who]
        client.force_login(make_user(username, role=role, regions=regions))
    before = StockMovement.objects.count()
    response = client.get(reverse(f"konsinyasi:{name}", kwargs={"pk": location.pk}))
    assert response.status_code == status
    post = client.post(reverse("konsinyasi:kasir_cart", kwargs={"pk": location.pk}), {"variant": "1", "action": "add"})
    assert post.status_code == {"buyer": 403, "seller": 403, "other_operator": 404}.get(who, 302)
    assert StockMovement.objects.count() == before


def test_papers_are_pdfs(client, operator, shop):
    location, variant, lot = shop
    client.force_login(operator)
    sale = sale_create(
        location=location, items=[CartItem(variant, 2)], method="tunai", cash_given=50000, actor=COMMAND_LINE
    )
    for url in [
        reverse("konsinyasi:receipt_pdf", kwargs={"pk": lot.receipt_id}),
        reverse("konsinyasi:receipt_labels", kwargs={"pk": lot.receipt_id}),
        reverse("konsinyasi:sale_pdf", kwargs={"pk": sale.pk}),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.startswith(b"%PDF")
    for name in ["locations", "expiring", "reports"]:
        assert client.get(reverse(f"konsinyasi:{name}")).status_code == 200
    page = client.get(reverse("konsinyasi:sale", kwargs={"pk": sale.pk}))
    assert "Rp10.000" in page.content.decode()  # change of Rp50.000 for Rp40.000


def test_scanned_sku_goes_straight_into_the_cart(client, operator, shop):
    location, variant, _lot = shop
    client.force_login(operator)
    response = client.get(reverse("konsinyasi:kasir", kwargs={"pk": location.pk}), {"q": variant.sku.lower()})
    assert response.status_code == 302
    assert client.session[f"kasir:{location.pk}"] == {str(variant.pk): 1}
