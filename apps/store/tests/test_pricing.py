"""Rupiah prices typed the Indonesian way, and large price changes of listed products (apps.store.pricing)."""

import pytest
from django.urls import reverse

from apps.audit.models import AuditEntry
from apps.store import services
from apps.store.models import PriceChangeFlag, Product, ProductStatus, Variant
from apps.store.pricing import PriceJumpUnconfirmed, is_price_jump
from apps.store.services import VariantData
from apps.store.tests.factories import make_category, make_product, make_seller

pytestmark = pytest.mark.django_db

# (old, new, jump?) — more than half of the old price, down or up
JUMPS = [
    (85_000, 90, True),
    (85_000, 90_000, False),
    (100_000, 50_000, False),
    (100_000, 49_999, True),
    (100_000, 150_000, False),
    (100_000, 150_001, True),
    (85_000, 850_000, True),
    (3, 1, True),
    (3, 2, False),
    (0, 5_000, False),
]


@pytest.mark.parametrize(("old", "new", "jump"), JUMPS)
def test_price_jump_rule(old, new, jump):
    assert is_price_jump(old, new) is jump


@pytest.fixture
def listed(make_user):
    owner = make_user("bu_sri", role="mitra_umkm")
    seller = make_seller(owner=owner, shop_name="Rajut Bu Sri")
    product = make_product(seller=seller, name="Tas Rajutan", prices=(85_000, 40_000))
    return owner, seller, product


def _form_data(product, prices, **extra):
    data = {
        "name": product.name,
        "category": product.category_id,
        "weight_grams": product.weight_grams,
        "description": product.description,
        "varian-TOTAL_FORMS": len(prices),
        "varian-INITIAL_FORMS": len(prices),
    }
    variants = list(product.variants.order_by("pk"))
    for i, (variant, price) in enumerate(zip(variants, prices, strict=True)):
        data |= {
            f"varian-{i}-name": variant.name,
            f"varian-{i}-sku": variant.sku,
            f"varian-{i}-price": price,
            f"varian-{i}-stock": variant.stock,
        }
    return data | extra


def _prices(product):
    return list(product.variants.order_by("pk").values_list("price", flat=True))


@pytest.mark.parametrize("typed", ["90.000", "90000", "Rp90.000", "Rp 90.000"])
def test_seller_types_price_the_indonesian_way(client, listed, typed):
    owner, _seller, product = listed
    client.force_login(owner)
    response = client.post(reverse("store:product_edit", args=[product.pk]), _form_data(product, [typed, "40.000"]))
    assert response.status_code == 302
    assert _prices(product) == [90_000, 40_000]
    assert PriceChangeFlag.objects.count() == 0
    product.refresh_from_db()
    assert (product.status, product.listed, product.min_price) == (ProductStatus.APPROVED, True, 40_000)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("90,5", "Rupiah ditulis tanpa sen (tanpa koma), misalnya 90.000."),
        ("90,000", "Pakai titik sebagai pemisah ribuan, misalnya 90.000."),
        ("sembilan puluh", "Tulis jumlah rupiah dengan angka, misalnya 90.000 atau Rp90.000."),
    ],
)
def test_unreadable_price_is_refused_in_indonesian_and_nothing_changes(client, listed, typed, message):
    owner, _seller, product = listed
    client.force_login(owner)
    response = client.post(reverse("store:product_edit", args=[product.pk]), _form_data(product, [typed, "40.000"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert f'value="{typed}"' in html  # what was typed stays in the box
    assert _prices(product) == [85_000, 40_000]


def test_large_price_drop_asks_for_confirmation_then_flags_curation(client, listed, operator):
    owner, _seller, product = listed
    client.force_login(owner)
    url = reverse("store:product_edit", args=[product.pk])
    response = client.post(url, _form_data(product, ["90", "40.000"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Harga berubah lebih dari separuh" in html
    assert "Rp85.000 → Rp90 (-99%)" in html
    assert 'name="konfirmasi_harga"' in html
    assert _prices(product) == [85_000, 40_000]
    assert PriceChangeFlag.objects.count() == 0

    response = client.post(url, _form_data(product, ["90", "40.000"], konfirmasi_harga="1"))
    assert response.status_code == 302
    assert _prices(product) == [90, 40_000]
    flag = PriceChangeFlag.objects.get()
    assert (flag.old_price, flag.new_price, flag.changed_by, flag.checked_at) == (85_000, 90, owner, None)
    entry = AuditEntry.objects.filter(action="product.update").latest("pk")
    assert "perubahan harga besar" in entry.changes

    client.force_login(operator)
    queue = client.get(reverse("store:curation_queue")).content.decode()
    assert "Perubahan harga besar" in queue and "Rp85.000 → <strong>Rp90</strong>" in queue
    response = client.post(reverse("store:price_flag_check", args=[flag.pk]))
    assert response.status_code == 302
    flag.refresh_from_db()
    assert (flag.checked_by, flag.checked_at is not None) == (operator, True)
    assert AuditEntry.objects.filter(action="product.price_checked").count() == 1
    assert "Perubahan harga besar" not in client.get(reverse("store:curation_queue")).content.decode()


def test_large_price_rise_needs_confirmation_too(listed):
    owner, _seller, product = listed
    variants = [VariantData(v.name, v.sku, v.price * 10, v.stock) for v in product.variants.order_by("pk")]
    kwargs = {
        "product": product,
        "actor": owner,
        "name": product.name,
        "description": "",
        "category": product.category,
        "weight_grams": product.weight_grams,
    }
    with pytest.raises(PriceJumpUnconfirmed) as exc:
        services.product_update(**kwargs, variants=variants)
    assert [(j.sku, j.old, j.new, j.percent) for j in exc.value.jumps] == [
        (variants[0].sku, 85_000, 850_000, 900),
        (variants[1].sku, 40_000, 400_000, 900),
    ]
    assert _prices(product) == [85_000, 40_000]
    services.product_update(**kwargs, variants=variants, price_jump_confirmed=True)
    assert _prices(product) == [850_000, 400_000]
    assert PriceChangeFlag.objects.count() == 2


def test_draft_products_change_price_without_confirmation(make_user):
    owner = make_user("pak_darmo", role="mitra_umkm")
    seller = make_seller(owner=owner)
    product = make_product(seller=seller, prices=(85_000,), status=ProductStatus.DRAFT)
    variant = product.variants.get()
    services.product_update(
        product=product,
        actor=owner,
        name=product.name,
        description="",
        category=product.category,
        weight_grams=product.weight_grams,
        variants=[VariantData(variant.name, variant.sku, 90, 1)],
    )
    assert Variant.objects.get(pk=variant.pk).price == 90
    assert PriceChangeFlag.objects.count() == 0


@pytest.mark.parametrize("who", ["anonymous", "buyer", "other_operator", "seller"])
def test_only_the_regions_curators_check_a_flag(client, listed, who, buyer, other_operator):
    owner, _seller, product = listed
    variant = product.variants.order_by("pk").first()
    flag = PriceChangeFlag.objects.create(product=product, variant=variant, old_price=85_000, new_price=90)
    user = {"anonymous": None, "buyer": buyer, "other_operator": other_operator, "seller": owner}[who]
    if user is not None:
        client.force_login(user)
    response = client.post(reverse("store:price_flag_check", args=[flag.pk]))
    assert response.status_code in (302, 403, 404)
    if who == "anonymous":
        assert "/masuk/" in response["Location"] or "login" in response["Location"]
    flag.refresh_from_db()
    assert flag.checked_at is None


def test_new_product_price_typed_with_dots(client, make_user):
    owner = make_user("bu_ani", role="mitra_umkm")
    seller = make_seller(owner=owner)
    client.force_login(owner)
    response = client.post(
        reverse("store:product_new", args=[seller.pk]),
        {
            "name": "Dompet Rajut",
            "category": make_category("Kerajinan").pk,
            "weight_grams": 120,
            "varian-TOTAL_FORMS": 1,
            "varian-INITIAL_FORMS": 0,
            "varian-0-sku": "DR-1",
            "varian-0-price": "75.000",
            "varian-0-stock": "3",
        },
    )
    assert response.status_code == 302
    assert Product.objects.get(name="Dompet Rajut").min_price == 75_000
