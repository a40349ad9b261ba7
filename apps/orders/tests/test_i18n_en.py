from django.urls import reverse


def test_cart_page_in_english(client, buyer):
    client.force_login(buyer)
    response = client.get(reverse("orders:cart"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Cart</h1>" in html
    assert "The cart is still empty." in html


def test_cart_page_stays_indonesian_by_default(client, buyer):
    client.force_login(buyer)
    response = client.get(reverse("orders:cart"))
    assert "<h1>Keranjang</h1>" in response.content.decode()
