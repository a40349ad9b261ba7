"""Issue #15 H4: a seller application is bound to the owner's identity (the NIK the registry holds for the
business's owner), registry numbers are not accepted in the public form, every refusal reads the same (no
oracle of which businesses exist), and a rejected application never blocks the business."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from apps.core.nik import nik_decrypt
from apps.store import services
from apps.store.models import Product, ProductStatus, Seller, SellerStatus
from apps.store.tests.factories import make_business, make_product

pytestmark = pytest.mark.django_db
APPLY = "/toko/kelola/daftar/"
MISMATCH = "tidak cocok dengan registri UMKM"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def nik_of(business) -> str:
    return nik_decrypt(business.owner.nik_ciphertext)


def with_nib(nib: str, name: str = "Knalpot Jaya"):
    business = make_business(name=name)
    business.nib = nib
    business.save()
    return business


def test_registry_number_or_a_wrong_nik_gets_the_same_answer_as_a_missing_business(client, buyer):
    business = with_nib("1234567890123")
    client.force_login(buyer)
    answers = [
        client.post(APPLY, data).content.decode()
        for data in [
            {"nib": str(business.pk), "nik": nik_of(business), "shop_name": "Squat"},  # registry number
            {"nib": "1234567890123", "nik": "3303010101900001", "shop_name": "Squat"},  # not the owner's NIK
            {"nib": "9999999999999", "nik": "3303010101900001", "shop_name": "Squat"},  # no such NIB
        ]
    ]
    assert "NIB terdiri dari 13 angka." in answers[0]
    assert MISMATCH in answers[1] and MISMATCH in answers[2]
    assert answers[1].count(MISMATCH) == answers[2].count(MISMATCH) == 1
    assert not Seller.objects.exists()


def test_owner_applies_with_nib_and_own_nik(client, buyer):
    business = with_nib("1234567890123")
    client.force_login(buyer)
    response = client.post(APPLY, {"nib": "1234567890123", "nik": nik_of(business), "shop_name": "Knalpot Jaya"})
    seller = Seller.objects.get()
    assert response.status_code == 302 and seller.status == SellerStatus.APPLIED
    assert list(seller.members.values_list("user", flat=True)) == [buyer.pk]


def test_owner_without_nib_applies_with_business_name_and_nik(client, buyer):
    business = make_business(name="Nopia Bu Sri")
    client.force_login(buyer)
    response = client.post(APPLY, {"business_name": "  NOPIA bu sri ", "nik": nik_of(business), "shop_name": "Nopia"})
    assert response.status_code == 302
    assert Seller.objects.get().business == business


def test_guessing_is_stopped_after_five_mismatches(client, buyer):
    business = with_nib("1234567890123")
    client.force_login(buyer)
    for i in range(5):
        client.post(APPLY, {"nib": "1234567890123", "nik": f"33030101019000{i:02d}", "shop_name": "X"})
    response = client.post(APPLY, {"nib": "1234567890123", "nik": nik_of(business), "shop_name": "X"})
    assert "Terlalu banyak percobaan" in response.content.decode()
    assert not Seller.objects.exists()


def test_rejected_application_does_not_block_the_business(client, make_user, operator):
    business = with_nib("1234567890123")
    squatter = make_user("penyerobot", role="pembeli")
    # a squatter who somehow had the NIK (e.g. a relative) applies; the operator rejects after checking the KTP
    seller = services.seller_apply(business=business, shop_name="Squat", actor=squatter, owner_nik=nik_of(business))
    make_product(seller=seller, name="Barang Palsu", status=ProductStatus.DRAFT)
    services.seller_reject(seller=seller, actor=operator, reason="bukan pemilik")
    # the rejected applicant keeps only the page with the reason
    client.force_login(squatter)
    assert client.get(reverse("store:manage_shop", args=[seller.pk])).status_code == 200
    assert client.get(f"/toko/kelola/toko/{seller.pk}/produk-baru/").status_code == 404
    # the operator can enrol the real owner's business, taking over the rejected shop row
    real_owner = make_user("pemilik_asli", role="pembeli")
    enrolled = services.seller_enrol(business=business, shop_name="Toko Asli", actor=operator, owner=real_owner)
    assert (enrolled.pk, enrolled.status, enrolled.shop_name) == (seller.pk, SellerStatus.VERIFIED, "Toko Asli")
    assert list(enrolled.members.values_list("user__username", flat=True)) == ["pemilik_asli"]
    assert client.get(reverse("store:manage_shop", args=[seller.pk])).status_code == 404
    assert not Product.objects.filter(seller=enrolled).exists()


def test_owner_may_apply_again_after_a_rejection(buyer, operator):
    business = with_nib("1234567890123")
    first = services.seller_apply(business=business, shop_name="A", actor=buyer, owner_nik=nik_of(business))
    services.seller_reject(seller=first, actor=operator, reason="foto KTP buram")
    again = services.seller_apply(business=business, shop_name="B", actor=buyer, owner_nik=nik_of(business))
    assert (again.pk, again.status, again.status_note) == (first.pk, SellerStatus.APPLIED, "")
