"""The product form a small seller uses (issue #18): SKU optional (generated, readable, unique), one row per
variant with its own weight, rows removed with "Hapus", and the photo added on the first save."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.store.models import Product, Variant
from apps.store.services import VariantData, product_create, product_update
from apps.store.services.products import sku_suggest
from apps.store.tests.factories import image_bytes, make_category, make_product, make_seller

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("product", "variant", "taken", "existing", "expected"),
    [
        ("Tas Rajut", "Krem", set(), [], "TAS-RAJUT-KREM"),
        ("Tas Rajut", "", set(), [], "TAS-RAJUT"),
        ("Gula Kelapa Kristal", "1 kg", set(), [], "GULA-KELAPA-KRISTAL-1-KG"),
        ("Tas Rajut", "Krem", {"TAS-RAJUT-KREM"}, [], "TAS-RAJUT-KREM-2"),
        ("Tas Rajut", "Krem", set(), ["TAS-RAJUT-KREM", "TAS-RAJUT-KREM-2"], "TAS-RAJUT-KREM-3"),
        ("Nopia Mino isi 10 — rasa cokelat & keju", "", set(), [], "NOPIA-MINO-ISI-10-RASA-COKELAT-KEJU"),
        ("!!!", "", set(), [], "PRODUK"),
        ("x" * 100, "", set(), [], "X" * 60),
    ],
)
def test_sku_suggest(product, variant, taken, existing, expected):
    seller = make_seller()
    for sku in existing:
        Variant.objects.create(product=make_product(seller=seller), sku=sku, price=1000)
    assert sku_suggest(product_name=product, variant_name=variant, taken=taken) == expected


def _post_new(client, seller, rows, **extra):
    data = {
        "name": "Tas Rajut",
        "category": make_category().pk,
        "weight_grams": 300,
        "varian-TOTAL_FORMS": len(rows),
        "varian-INITIAL_FORMS": 0,
        **extra,
    }
    for i, row in enumerate(rows):
        data.update({f"varian-{i}-{k}": v for k, v in row.items()})
    return client.post(reverse("store:product_new", args=[seller.pk]), data)


def test_new_product_without_skus_with_weights_and_a_photo(client, make_user):
    owner = make_user("bu_sri", role="mitra_umkm")
    seller = make_seller(owner=owner)
    client.force_login(owner)
    response = _post_new(
        client,
        seller,
        [
            {"name": "Krem", "price": "90.000", "stock": "4", "weight_grams": "250"},
            {"name": "Hitam", "price": "Rp95.000", "stock": "0"},
            {"name": "Biru", "price": "1", "stock": "1", "DELETE": "on"},  # removed with "Hapus"
            {},  # an empty row is skipped
        ],
        **{"foto-photo": SimpleUploadedFile("tas.png", image_bytes()), "foto-alt_text": "Tas krem"},
    )
    assert response.status_code == 302
    product = Product.objects.get(name="Tas Rajut")
    assert sorted(product.variants.values_list("sku", "name", "price", "stock", "weight_grams")) == [
        ("TAS-RAJUT-HITAM", "Hitam", 95_000, 0, None),
        ("TAS-RAJUT-KREM", "Krem", 90_000, 4, 250),
    ]
    assert [p.alt_text for p in product.photos.all()] == ["Tas krem"]


def test_a_refused_photo_keeps_the_product(client, make_user):
    owner = make_user("bu_sri", role="mitra_umkm")
    seller = make_seller(owner=owner)
    client.force_login(owner)
    response = _post_new(
        client,
        seller,
        [{"name": "", "price": "50000", "stock": "2"}],
        **{"foto-photo": SimpleUploadedFile("tas.png", b"bukan gambar")},
    )
    product = Product.objects.get(name="Tas Rajut")
    assert response.status_code == 302 and product.photos.count() == 0
    assert list(product.variants.values_list("sku", flat=True)) == ["TAS-RAJUT"]
    page = client.get(response.url).content.decode()
    assert "Foto tidak disimpan" in page


def test_generated_skus_are_unique_in_the_catalogue_and_kept_on_edit(make_user):
    owner = make_user("bu_sri", role="mitra_umkm")
    seller, other = make_seller(owner=owner), make_seller(owner=make_user("pak_darmo", role="mitra_umkm"))
    category = make_category()
    theirs = product_create(
        seller=other,
        category=category,
        name="Tas Rajut",
        weight_grams=300,
        variants=[VariantData(name="Krem", sku="", price=80_000, stock=1)],
        actor=other.members.get().user,
    )
    mine = product_create(
        seller=seller,
        category=category,
        name="Tas Rajut",
        weight_grams=300,
        variants=[
            VariantData(name="Krem", sku="", price=90_000, stock=1),
            VariantData(name="", sku="", price=90_000, stock=1),
            VariantData(name="", sku="", price=90_000, stock=1),
        ],
        actor=owner,
    )
    assert list(theirs.variants.values_list("sku", flat=True)) == ["TAS-RAJUT-KREM"]
    skus = sorted(mine.variants.values_list("sku", flat=True))
    assert skus == ["TAS-RAJUT", "TAS-RAJUT-2", "TAS-RAJUT-KREM-2"]
    # saving the form again with the SKUs it shows changes no variant
    rows = [VariantData(name=v.name, sku=v.sku, price=v.price, stock=v.stock) for v in mine.variants.all()]
    product_update(
        product=mine, actor=owner, name="Tas Rajut", description="", category=category, weight_grams=300, variants=rows
    )
    assert sorted(mine.variants.filter(is_active=True).values_list("sku", flat=True)) == skus


def test_form_shows_the_variant_table_and_the_photo_box(client, make_user):
    owner = make_user("bu_sri", role="mitra_umkm")
    seller = make_seller(owner=owner)
    client.force_login(owner)
    html = client.get(reverse("store:product_new", args=[seller.pk])).content.decode()
    assert 'id="variant-table"' in html and 'id="variant-empty-row"' in html
    assert 'name="varian-0-weight_grams"' in html and 'name="foto-photo"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "SKU (opsional)" in html
