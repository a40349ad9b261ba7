"""What a buyer sees: the cart count in the header, no staff dashboard, no SKUs or region codes."""

import pytest
from django.urls import reverse

from apps.orders.models import Cart, CartItem
from apps.store.tests.factories import make_product, make_seller

pytestmark = pytest.mark.django_db


def test_buyer_lands_on_the_shop_not_a_staff_dashboard(client, buyer, operator):
    client.force_login(buyer)
    response = client.get(reverse("core:dashboard"))
    assert (response.status_code, response["Location"]) == (302, reverse("core:home"))
    client.force_login(operator)
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_cart_count_in_the_header(client, buyer):
    product = make_product(seller=make_seller(), name="Gula Kelapa", prices=(12_000, 22_000))
    cart = Cart.objects.create(user=buyer)
    for variant, quantity in zip(product.variants.order_by("pk"), (2, 1), strict=True):
        CartItem.objects.create(cart=cart, variant=variant, quantity=quantity)
    client.force_login(buyer)
    html = client.get(reverse("core:home")).content.decode()
    assert '<ul class="cart-phone">' in html
    assert 'aria-label="Keranjang, 3 barang"' in html
    assert '<span class="count" aria-hidden="true">3</span>' in html


def test_no_cart_link_for_officers_and_an_empty_one_for_a_first_visit(client, operator):
    client.force_login(operator)
    assert '<ul class="cart-phone">' not in client.get(reverse("core:home")).content.decode()
    client.logout()
    client.cookies.clear()
    html = client.get(reverse("core:home")).content.decode()
    assert '<ul class="cart-phone">' in html and 'class="count"' not in html
