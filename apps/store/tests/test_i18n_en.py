import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_catalogue_in_english(client):
    response = client.get(reverse("store:catalogue"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Product catalogue</h1>" in html
    assert "Search products" in html


@pytest.mark.django_db
def test_catalogue_stays_indonesian_by_default(client):
    response = client.get(reverse("store:catalogue"))
    assert "<h1>Katalog produk</h1>" in response.content.decode()
