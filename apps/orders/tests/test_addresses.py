"""Saved addresses for account holders at checkout (issue #18): save the typed address, pick it next time
(names of village, kecamatan and regency; no Kemendagri code), never someone else's, at most ten kept."""

import pytest
from django.urls import reverse

from apps.orders.models import SavedAddress
from apps.orders.services.addresses import MAX_SAVED_ADDRESSES, address_save
from apps.orders.tests.factories import BUYER_VILLAGE, make_seller, make_variant
from apps.orders.views.common import SESSION_RECIPIENT

pytestmark = pytest.mark.django_db

TYPED = {
    "name": "Siti Aminah",
    "phone": "081234567890",
    "email": "siti@contoh.id",
    "address": "Jl. Raya Kemangkon 5 RT 01/02",
    "village_code": BUYER_VILLAGE,
    "postal_code": "53381",
}


def _cart(client):
    client.post(reverse("orders:cart_add"), {"variant": make_variant(make_seller(), stock=5).pk, "quantity": 1})


def test_account_holder_saves_the_address_and_picks_it_next_time(client, buyer):
    client.force_login(buyer)
    _cart(client)
    html = client.get(reverse("orders:checkout_address")).content.decode()
    assert "Simpan alamat ini untuk pesanan berikutnya" in html and "Alamat tersimpan" not in html
    response = client.post(reverse("orders:checkout_address"), {**TYPED, "simpan_alamat": "on"})
    assert response.url == reverse("orders:checkout_shipping")
    saved = SavedAddress.objects.get(user=buyer)
    assert (saved.name, saved.address, saved.village_id, saved.postal_code) == (
        "Siti Aminah",
        "Jl. Raya Kemangkon 5 RT 01/02",
        BUYER_VILLAGE,
        "53381",
    )
    assert "simpan_alamat" not in client.session[SESSION_RECIPIENT]

    session = client.session
    del session[SESSION_RECIPIENT]
    session.save()
    html = client.get(reverse("orders:checkout_address")).content.decode()
    picker = html.split('id="alamat-tersimpan"')[1].split("</form>")[0]
    assert "Alamat tersimpan" in html and "Kedungbenda" in picker and "Kemangkon" in picker
    assert BUYER_VILLAGE not in picker  # names, never the Kemendagri code
    response = client.post(reverse("orders:checkout_address"), {"action": "pakai", "alamat": saved.pk})
    assert response.url == reverse("orders:checkout_shipping")
    assert client.session[SESSION_RECIPIENT]["village_code"] == BUYER_VILLAGE
    assert client.session[SESSION_RECIPIENT]["phone"] == "081234567890"


def test_unticked_box_saves_nothing_and_the_same_address_is_kept_once(client, buyer):
    client.force_login(buyer)
    _cart(client)
    client.post(reverse("orders:checkout_address"), TYPED)
    assert not SavedAddress.objects.exists()
    for _ in range(2):
        client.post(reverse("orders:checkout_address"), {**TYPED, "simpan_alamat": "on"})
    assert SavedAddress.objects.count() == 1


def test_guest_has_no_box_and_cannot_use_someone_elses_address(client, make_user):
    other = make_user("pembeli2")
    theirs = address_save(user=other, data=TYPED, actor=other)
    _cart(client)
    assert "simpan_alamat" not in client.get(reverse("orders:checkout_address")).content.decode()
    response = client.post(reverse("orders:checkout_address"), {"action": "pakai", "alamat": theirs.pk})
    assert response.url == reverse("orders:checkout_address")
    assert SESSION_RECIPIENT not in client.session
    client.post(reverse("orders:checkout_address"), {**TYPED, "simpan_alamat": "on"})
    assert SavedAddress.objects.count() == 1


def test_at_most_ten_addresses_are_kept(buyer):
    for n in range(MAX_SAVED_ADDRESSES + 2):
        address_save(user=buyer, data={**TYPED, "address": f"Jl. Nomor {n}"}, actor=buyer)
    kept = list(SavedAddress.objects.filter(user=buyer).values_list("address", flat=True))
    assert len(kept) == MAX_SAVED_ADDRESSES and "Jl. Nomor 0" not in kept and "Jl. Nomor 11" in kept
