"""Seller back office and curation pages: access for every kind of visitor, the flows, bad input."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from apps.audit.models import AuditEntry
from apps.core.nik import nik_decrypt
from apps.store.models import PriceChangeFlag, Product, ProductStatus, Seller, SellerStatus
from apps.store.tests.factories import image_bytes, make_business, make_category, make_product, make_seller

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(make_user):
    owner = make_user("bu_sri", role="mitra_umkm")
    seller = make_seller(owner=owner, shop_name="Rajut Bu Sri")
    product = make_product(seller=seller, name="Tas Rajutan", status=ProductStatus.DRAFT)
    return owner, seller, product


@pytest.fixture
def visitors(make_user, buyer, other_operator):
    other_seller_user = make_user("pak_darmo", role="mitra_umkm")
    make_seller(owner=other_seller_user)
    return {"anonymous": None, "buyer": buyer, "other_seller": other_seller_user, "other_operator": other_operator}


def _login(client, user):
    if user is not None:
        client.force_login(user)


REFUSED = {"anonymous": 302, "buyer": 404, "other_seller": 404, "other_operator": 404}


@pytest.mark.parametrize("who", list(REFUSED))
@pytest.mark.parametrize(
    ("method", "name"),
    [("get", "product_edit"), ("post", "product_edit"), ("post", "product_submit"), ("post", "photo_add")],
)
def test_product_management_refused(client, shop, visitors, who, method, name):
    _owner, _seller, product = shop
    _login(client, visitors[who])
    before = AuditEntry.objects.count()
    data = {"name": "Diretas", "category": product.category_id, "weight_grams": 1, "varian-TOTAL_FORMS": 0}
    response = getattr(client, method)(reverse(f"store:{name}", args=[product.pk]), data if method == "post" else None)
    assert response.status_code == REFUSED[who]
    product.refresh_from_db()
    assert (product.name, product.status, AuditEntry.objects.count()) == ("Tas Rajutan", "draf", before)


@pytest.mark.parametrize("who", list(REFUSED))
def test_shop_pages_refused(client, shop, visitors, who):
    _owner, seller, _product = shop
    _login(client, visitors[who])
    for name in ("manage_shop", "product_new"):
        assert client.get(reverse(f"store:{name}", args=[seller.pk])).status_code == REFUSED[who]
    assert client.get(reverse("store:export", args=[seller.pk, "shopee"])).status_code == REFUSED[who]


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("buyer", 403), ("other_seller", 403), ("other_operator", 404)]
)
def test_curation_refused(client, shop, visitors, who, status):
    _owner, seller, product = shop
    Product.objects.filter(pk=product.pk).update(status=ProductStatus.SUBMITTED)
    _login(client, visitors[who])
    response = client.post(reverse("store:curation_product", args=[product.pk]), {"action": "setujui"})
    assert response.status_code == status
    response = client.post(reverse("store:seller_action", args=[seller.pk]), {"action": "tangguhkan", "reason": "x"})
    assert response.status_code == status
    assert Product.objects.get().status == ProductStatus.SUBMITTED
    assert Seller.objects.get(pk=seller.pk).status == SellerStatus.VERIFIED


def test_curation_queue_shows_only_own_regions(client, operator, other_operator):
    mine = make_product(seller=make_seller(village="33.03.01.2001"), name="Gula Purbalingga", status="diajukan")
    make_product(seller=make_seller(village="33.02.01.2001"), name="Gula Banyumas", status="diajukan")
    client.force_login(operator)
    html = client.get(reverse("store:curation_queue")).content.decode()
    assert "Gula Purbalingga" in html and "Gula Banyumas" not in html
    assert reverse("store:curation_product", args=[mine.pk]) in html


def test_curation_queue_query_count(client, operator, django_assert_num_queries):
    seller = make_seller()
    for i in range(3):
        make_product(seller=seller, name=f"P{i}", status="diajukan")
    client.force_login(operator)
    client.get(reverse("store:curation_queue"))
    with django_assert_num_queries(8):  # 7 + the open large price changes
        client.get(reverse("store:curation_queue"))
    for i in range(10):
        product = make_product(seller=make_seller(), name=f"Q{i}", status="diajukan")
        variant = product.variants.get()
        PriceChangeFlag.objects.create(product=product, variant=variant, old_price=10_000, new_price=10)
    with django_assert_num_queries(8):
        client.get(reverse("store:curation_queue"))


def test_seller_creates_product_on_the_form_then_submits(client, shop):
    owner, seller, _product = shop
    client.force_login(owner)
    category = make_category("Kerajinan")
    response = client.post(
        reverse("store:product_new", args=[seller.pk]),
        {
            "name": "Dompet Rajut",
            "category": category.pk,
            "weight_grams": 120,
            "description": "Dompet kecil",
            "varian-TOTAL_FORMS": 2,
            "varian-INITIAL_FORMS": 0,
            "varian-0-name": "Merah",
            "varian-0-sku": "DR-M",
            "varian-0-price": "45000",
            "varian-0-stock": "3",
            "varian-1-name": "Biru",
            "varian-1-sku": "DR-B",
            "varian-1-price": "47000",
            "varian-1-stock": "0",
        },
    )
    product = Product.objects.get(name="Dompet Rajut")
    assert response.status_code == 302
    assert (product.status, product.min_price, sorted(product.variants.values_list("sku", "stock"))) == (
        "draf",
        45_000,
        [("DR-B", 0), ("DR-M", 3)],
    )
    upload = SimpleUploadedFile("foto.jpg", image_bytes("JPEG", (1000, 1000)), content_type="image/jpeg")
    client.post(reverse("store:photo_add", args=[product.pk]), {"photo": upload})
    client.post(reverse("store:product_submit", args=[product.pk]))
    product.refresh_from_db()
    assert (product.status, product.photos.count()) == ("diajukan", 1)


def test_bad_variant_input_keeps_the_form_and_saves_nothing(client, shop):
    owner, seller, _product = shop
    client.force_login(owner)
    response = client.post(
        reverse("store:product_new", args=[seller.pk]),
        {
            "name": "Dompet",
            "category": make_category().pk,
            "weight_grams": 120,
            "varian-TOTAL_FORMS": 1,
            "varian-INITIAL_FORMS": 0,
            "varian-0-sku": "X",
            "varian-0-price": "-5",
            "varian-0-stock": "1",
        },
    )
    assert response.status_code == 200
    assert "Jumlah rupiah tidak boleh negatif." in response.content.decode()
    assert Product.objects.filter(name="Dompet").count() == 0


def test_operator_approves_and_product_appears_in_store(client, shop, operator):
    _owner, _seller, product = shop
    Product.objects.filter(pk=product.pk).update(status=ProductStatus.SUBMITTED)
    client.force_login(operator)
    client.post(reverse("store:curation_product", args=[product.pk]), {"action": "setujui"})
    client.logout()
    assert "Tas Rajutan" in client.get("/toko/?q=rajut").content.decode()


def test_operator_rejects_with_reason(client, shop, operator):
    _owner, _seller, product = shop
    Product.objects.filter(pk=product.pk).update(status=ProductStatus.SUBMITTED)
    client.force_login(operator)
    client.post(reverse("store:curation_product", args=[product.pk]), {"action": "tolak", "reason": ""})
    assert Product.objects.get().status == ProductStatus.SUBMITTED
    client.post(reverse("store:curation_product", args=[product.pk]), {"action": "tolak", "reason": "Foto buram"})
    assert (Product.objects.get().status, Product.objects.get().rejection_reason) == ("ditolak", "Foto buram")


def test_business_owner_applies_by_nib(client, buyer):
    business = make_business(name="Knalpot Jaya")
    business.nib = "1234567890123"
    business.save()
    client.force_login(buyer)
    nik = nik_decrypt(business.owner.nik_ciphertext)
    client.post(reverse("store:seller_apply"), {"nib": "1234567890123", "nik": nik, "shop_name": "Knalpot Jaya"})
    seller = Seller.objects.get()
    assert (seller.status, list(seller.members.values_list("user__username", flat=True))) == ("diajukan", ["pembeli1"])
    response = client.post(reverse("store:seller_apply"), {"nib": "9999999999999", "nik": nik, "shop_name": "X"})
    assert "tidak cocok dengan registri UMKM" in response.content.decode()


def test_operator_enrols_seller(client, operator, make_user):
    business = make_business(name="Nopia Mas")
    owner = make_user("nopia", role="pembeli")
    client.force_login(operator)
    client.post(
        reverse("store:seller_enrol"), {"nib": str(business.pk), "shop_name": "Nopia Mas", "owner_username": "nopia"}
    )
    seller = Seller.objects.get()
    owner.refresh_from_db()
    assert (seller.status, owner.role) == ("terverifikasi", "mitra_umkm")


def test_export_shopee_and_tokopedia(client, shop, django_assert_num_queries):
    owner, seller, _draft = shop
    make_product(seller=seller, name="Gula Kelapa", prices=(12_000, 22_000))
    client.force_login(owner)
    for fmt, expected in [
        ("shopee", [("Gula Kelapa", 12_000), ("Gula Kelapa", 22_000)]),
        ("tokopedia", [("Gula Kelapa V0", 12_000), ("Gula Kelapa V1", 22_000)]),
    ]:
        response = client.get(reverse("store:export", args=[seller.pk, fmt]))
        ws = load_workbook(io.BytesIO(response.content)).active
        rows = list(ws.iter_rows(values_only=True))
        header = rows[0]
        name_col = header.index("Nama Produk")
        price_col = header.index("Harga" if fmt == "shopee" else "Harga (Rp)")
        assert [(r[name_col], r[price_col]) for r in rows[1:]] == expected


def test_export_query_count(client, shop, django_assert_num_queries):
    owner, seller, _draft = shop
    make_product(seller=seller, name="A")
    client.force_login(owner)
    url = reverse("store:export", args=[seller.pk, "shopee"])
    client.get(url)
    with django_assert_num_queries(7):
        client.get(url)
    for i in range(5):
        make_product(seller=seller, name=f"B{i}", prices=(1000, 2000))
    with django_assert_num_queries(7):
        client.get(url)
