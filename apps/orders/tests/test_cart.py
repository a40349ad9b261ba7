import pytest
from django.urls import reverse

from apps.orders.models import Cart, CartItem, Payment
from apps.orders.tests.factories import BUYER_VILLAGE, make_seller, make_variant

pytestmark = pytest.mark.django_db


def test_guest_cart_is_merged_into_the_account_cart_at_login(client, buyer):
    v1 = make_variant(make_seller(), stock=5)
    v2 = make_variant(make_seller(name="Lain"), stock=5)
    mine = Cart.objects.create(user=buyer)
    CartItem.objects.create(cart=mine, variant=v1, quantity=1)

    client.post(reverse("orders:cart_add"), {"variant": v1.pk, "quantity": 3})
    client.post(reverse("orders:cart_add"), {"variant": v2.pk, "quantity": 1})
    guest = Cart.objects.get(user__isnull=True)
    assert sorted(guest.items.values_list("variant_id", "quantity")) == [(v1.pk, 3), (v2.pk, 1)]

    client.login(username="pembeli1", password="rahasia-kuat-123")
    response = client.get(reverse("orders:cart"))
    assert response.status_code == 200
    assert sorted(mine.items.values_list("variant_id", "quantity")) == [(v1.pk, 4), (v2.pk, 1)]
    assert not Cart.objects.filter(user__isnull=True).exists()


def test_cart_refuses_more_than_the_stock(client):
    v = make_variant(make_seller(), stock=2)
    client.post(reverse("orders:cart_add"), {"variant": v.pk, "quantity": 3})
    assert CartItem.objects.count() == 0
    response = client.post(reverse("orders:cart_add"), {"variant": v.pk, "quantity": 2}, follow=True)
    assert CartItem.objects.get().quantity == 2
    assert "masuk keranjang" in response.content.decode()


def test_guest_checks_out_through_the_pages(client):
    sri = make_seller(name="Keripik Bu Sri", rate=15000)
    v = make_variant(sri, price=25000, stock=4)
    client.post(reverse("orders:cart_add"), {"variant": v.pk, "quantity": 2})
    page = client.get(reverse("orders:checkout_address"))
    assert BUYER_VILLAGE in page.content.decode()
    bad = client.post(
        reverse("orders:checkout_address"),
        {"name": "Siti", "phone": "12", "email": "siti@contoh.id", "address": "Jl. 1", "village_code": BUYER_VILLAGE},
    )
    assert "Tulis nomor HP seperti 081234567890." in bad.content.decode()
    ok = client.post(
        reverse("orders:checkout_address"),
        {
            "name": "Siti",
            "phone": "081234567890",
            "email": "siti@contoh.id",
            "address": "Jl. 1",
            "village_code": BUYER_VILLAGE,
        },
    )
    assert ok.status_code == 302
    page = client.get(reverse("orders:checkout_shipping"))
    html = page.content.decode()
    assert "JNE REG" in html
    # goods + shipping + grand total before "Buat pesanan" (the first option is checked by default)
    summary = html[html.index('id="ringkasan-bayar"') : html.index("Buat pesanan")]
    assert "Rp50.000" in summary and "Rp15.000" in summary
    assert 'data-testid="grand-total">Rp65.000</strong>' in summary
    assert f"({BUYER_VILLAGE})" not in html  # no Kemendagri code shown to the buyer
    rate = sri.shipping_rates.get()
    done = client.post(
        reverse("orders:checkout_shipping"), {f"kirim_{sri.pk}": f"tarif-{rate.pk}", "method": "transfer"}
    )
    payment = Payment.objects.get()
    assert done.url == reverse("orders:payment", args=[payment.access_token])
    assert payment.amount == 65000
    assert CartItem.objects.count() == 0
    assert "Rp65.000" in client.get(done.url).content.decode()


def test_changing_the_regency_keeps_what_was_typed_and_shows_names_not_codes(client):
    v = make_variant(make_seller(), stock=4)
    client.post(reverse("orders:cart_add"), {"variant": v.pk, "quantity": 1})
    typed = {"name": "Siti Aminah", "phone": "081234567890", "email": "siti@contoh.id", "address": "Jl. Mawar 3"}
    page = client.post(reverse("orders:checkout_address"), {**typed, "kab": "33.02", "action": "wilayah"})
    assert page.status_code == 200
    html = page.content.decode()
    for value in typed.values():
        assert f'value="{value}"' in html
    assert "errorlist" not in html  # nothing validated yet: the buyer is still filling in the form
    villages = page.context["form"].fields["village_code"].choices
    groups = [label for label, options in villages[1:]]
    assert groups[0].startswith("Kecamatan ") and groups == sorted(groups)
    codes = [code for _label, options in villages[1:] for code, _name in options]
    assert codes and all(code.startswith("33.02.") for code in codes)
    assert not any(name[:2].isdigit() for _label, options in villages[1:] for _code, name in options)
    provinces = [label for label, _options in page.context["regencies"]]
    assert provinces[0] == "Jawa Tengah"
    jateng = dict(page.context["regencies"][0][1])
    assert list(jateng.values()) == sorted(jateng.values()) and jateng["33.02"] == "Kabupaten Banyumas"
