import pytest

from apps.store.models import ProductStatus
from apps.store.tests.factories import make_category, make_product, make_seller

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    kemangkon, purbalingga = (
        make_seller(village="33.03.01.2001", shop_name="Rajut Bu Sri"),
        make_seller(village="33.03.05.1001", shop_name="Gula Pak Darmo"),
    )
    tas = make_product(seller=kemangkon, name="Tas Rajutan", category=make_category("Kerajinan"), prices=(85_000,))
    gula = make_product(seller=purbalingga, name="Gula Kelapa Kristal", prices=(12_000, 22_000))
    make_product(seller=purbalingga, name="Gula Draf", status=ProductStatus.DRAFT)
    return tas, gula


LIST_QUERIES = [
    ("", ["Gula Kelapa Kristal", "Tas Rajutan"]),
    ("?q=rajut", ["Tas Rajutan"]),
    ("?q=gula%20kelapa", ["Gula Kelapa Kristal"]),
    ("?category=kerajinan", ["Tas Rajutan"]),
    ("?kecamatan=33.03.05", ["Gula Kelapa Kristal"]),
    ("?q=gula&kecamatan=33.03.01", []),
    ("?page=2", []),
]


@pytest.mark.parametrize(("query", "names"), LIST_QUERIES)
def test_product_list(client, catalogue, query, names):
    body = client.get("/api/v1/products" + query).json()
    assert sorted(r["name"] for r in body["results"]) == sorted(names)
    assert body["count"] == (len(names) if "page=2" not in query else 2)


def test_product_list_item_shape(client, catalogue):
    tas, _gula = catalogue
    item = client.get("/api/v1/products?q=tas").json()["results"][0]
    assert item == {
        "id": tas.pk,
        "name": "Tas Rajutan",
        "url": f"/toko/produk/{tas.pk}/tas-rajutan/",
        "min_price": 85_000,
        "category": "Kerajinan",
        "kecamatan": "Kemangkon",
        "kecamatan_code": "33.03.01",
        "seller": {"slug": tas.seller.slug, "name": "Rajut Bu Sri"},
        "thumbnail": None,
        "thumbnail_width": None,
        "thumbnail_height": None,
    }


def test_product_detail(client, catalogue):
    _tas, gula = catalogue
    body = client.get(f"/api/v1/products/{gula.pk}").json()
    assert (body["name"], body["min_price"], body["kecamatan_code"]) == ("Gula Kelapa Kristal", 12_000, "33.03.05")
    assert [(v["price"], v["stock"], v["weight_grams"]) for v in body["variants"]] == [
        (12_000, 5, 250),
        (22_000, 5, 250),
    ]


def test_unlisted_product_is_404(client, catalogue):
    from apps.store.models import Product

    draft = Product.objects.get(name="Gula Draf")
    response = client.get(f"/api/v1/products/{draft.pk}")
    assert (response.status_code, response.json()) == (404, {"detail": "Produk tidak ditemukan"})


def test_bad_page_is_422(client):
    assert client.get("/api/v1/products?page=0").status_code == 422
    assert client.get("/api/v1/products?page=x").status_code == 422


def test_openapi_documents_both_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    params = {p["name"] for p in schema["paths"]["/api/v1/products"]["get"]["parameters"]}
    assert params == {"q", "category", "kecamatan", "page"}
    assert "/api/v1/products/{product_id}" in schema["paths"]
