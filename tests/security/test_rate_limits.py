"""Issue #15 M9: storefront search, the API and every file upload are rate-limited per signed-in user, else
per client address (the trusted-proxy rule), from settings; over the limit: 429 with an Indonesian page
(JSON for the API) and Retry-After."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limits_on(settings):
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMIT_SEARCH = "3/m"
    settings.RATE_LIMIT_API = "4/m"
    settings.RATE_LIMIT_UPLOAD = "2/m"
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("path", ["/", "/toko/"])
def test_storefront_search(client, path):
    statuses = [client.get(path, {"q": f"gula {i}"}).status_code for i in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    response = client.get(path, {"q": "lagi"})
    assert response["Retry-After"] == "60"
    assert "Terlalu banyak permintaan" in response.content.decode()
    assert client.get(path).status_code == 200  # browsing without a search is not counted


def test_search_counts_per_address_behind_the_trusted_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(3):
        client.get("/toko/", {"q": "x"}, HTTP_X_FORWARDED_FOR="198.51.100.1")
    # a client-written extra hop does not make a new address; another real client is counted apart
    assert client.get("/toko/", {"q": "x"}, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1").status_code == 429
    assert client.get("/toko/", {"q": "x"}, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200


def test_search_counts_per_user(client, buyer, make_user):
    client.force_login(buyer)
    assert [client.get("/toko/", {"q": "x"}).status_code for _ in range(4)] == [200, 200, 200, 429]
    client.force_login(make_user("pembeli2"))
    assert client.get("/toko/", {"q": "x"}).status_code == 200


def test_api(client):
    statuses = [client.get("/api/v1/products", {"q": str(i)}).status_code for i in range(6)]
    assert statuses == [200, 200, 200, 200, 429, 429]
    response = client.get("/api/v1/products")
    assert response.json() == {"detail": "Terlalu banyak permintaan. Tunggu sekitar satu menit, lalu coba lagi."}
    assert response["Retry-After"] == "60"


def test_every_upload_counts_whatever_the_view(client, operator):
    client.force_login(operator)

    def upload(path):
        return client.post(path, {"file": SimpleUploadedFile("a.csv", b"x\n")}).status_code

    statuses = [
        upload("/impor/umkm/unggah/"),
        upload("/toko/kelola/produk/999999/foto/"),
        upload("/impor/umkm/unggah/"),
    ]
    assert statuses[2] == 429 and 429 not in statuses[:2]
    form = client.post("/umkm/", "q=gula", content_type="application/x-www-form-urlencoded")
    assert form.status_code == 302  # a form without a file is not an upload


def test_limits_off_by_setting(client, settings):
    settings.RATELIMIT_ENABLE = False
    assert {client.get("/toko/", {"q": "x"}).status_code for _ in range(6)} == {200}
