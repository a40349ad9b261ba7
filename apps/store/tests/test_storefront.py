import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.store import services
from apps.store.models import ProductStatus, SellerStatus
from apps.store.tests.conftest import forget_store_caches
from apps.store.tests.factories import image_bytes, make_category, make_product, make_seller

pytestmark = pytest.mark.django_db


def _fill(n: int, *, seller=None, with_photo: bool = False, village: str = "33.03.01.2001") -> list:
    seller = seller or make_seller(village=village)
    made = []
    for i in range(n):
        p = make_product(
            seller=seller,
            name=f"Keripik Tempe Rasa {i} " + "Original Pedas Manis Gurih Renyah Khas Purbalingga"[: 30 + i % 20],
            category=make_category(["Makanan", "Kerajinan", "Minuman"][i % 3]),
            prices=(15_000 + 500 * i, 30_000),
        )
        if with_photo:
            upload = SimpleUploadedFile("f.jpg", image_bytes("JPEG", (400, 400)), content_type="image/jpeg")
            services.photo_add(product=p, upload=upload, actor=seller_owner_or_admin())
            p.refresh_from_db()
            from apps.store.models import Product

            Product.objects.filter(pk=p.pk).update(status=ProductStatus.APPROVED, listed=True)
        made.append(p)
    return made


def seller_owner_or_admin():
    from apps.accounts.models import User

    return User.objects.get(username="kurator_pabrik")


PAGES = [
    ("core:home", {}),
    ("store:catalogue", {}),
    ("store:categories", {}),
    ("store:produk_desa", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_public_pages_render(client, name, kwargs):
    _fill(3)
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200


def test_catalogue_shows_only_listed_products_of_verified_shops(client):
    listed = make_product(seller=make_seller(), name="Gula Kelapa Kristal")
    make_product(seller=make_seller(), name="Gula Draf", status=ProductStatus.DRAFT)
    make_product(seller=make_seller(), name="Gula Diajukan", status=ProductStatus.SUBMITTED)
    make_product(seller=make_seller(), name="Gula Diturunkan", status=ProductStatus.DELISTED)
    make_product(seller=make_seller(status=SellerStatus.SUSPENDED), name="Gula Toko Ditangguhkan")
    html = client.get(reverse("store:catalogue")).content.decode()
    assert re.findall(r'class="pname">([^<]+)<', html) == [listed.name]


FILTERS = [
    # query string → expected names (newest first unless sorted)
    ("", ["Madu Hutan", "Kopi Robusta", "Gula Kelapa"]),
    ("?urut=termurah", ["Gula Kelapa", "Kopi Robusta", "Madu Hutan"]),
    ("?urut=termahal", ["Madu Hutan", "Kopi Robusta", "Gula Kelapa"]),
    ("?urut=nama", ["Gula Kelapa", "Kopi Robusta", "Madu Hutan"]),
    ("?kategori=minuman", ["Kopi Robusta"]),
    ("?kecamatan=33.03.05", ["Madu Hutan"]),
    ("?harga_min=20000&harga_max=60000", ["Kopi Robusta"]),
    ("?harga_min=abc", ["Madu Hutan", "Kopi Robusta", "Gula Kelapa"]),
    ("?q=gula+kelapa", ["Gula Kelapa"]),
]


@pytest.mark.parametrize(("query", "expected"), FILTERS)
def test_filters_and_sort(client, query, expected):
    from datetime import timedelta

    from django.utils import timezone

    from apps.store.models import Product

    kemangkon, purbalingga = make_seller(village="33.03.01.2001"), make_seller(village="33.03.05.1001")
    now = timezone.now()
    for i, (seller, name, cat, price) in enumerate(
        [
            (kemangkon, "Gula Kelapa", "Makanan", 12_000),
            (kemangkon, "Kopi Robusta", "Minuman", 35_000),
            (purbalingga, "Madu Hutan", "Makanan", 90_000),
        ]
    ):
        p = make_product(seller=seller, name=name, category=make_category(cat), prices=(price,))
        Product.objects.filter(pk=p.pk).update(listed_at=now - timedelta(days=10 - i))
    html = client.get(reverse("store:catalogue") + query).content.decode()
    assert re.findall(r'class="pname">([^<]+)<', html) == expected


def test_pagination_24_a_page(client):
    _fill(30)
    first = client.get(reverse("store:catalogue")).content.decode()
    second = client.get(reverse("store:catalogue") + "?page=2").content.decode()
    assert (first.count('class="pname"'), second.count('class="pname"')) == (24, 6)
    assert "Halaman 1 dari 2" in first


def test_catalogue_page_is_under_150_kb_with_lazy_sized_thumbnails(client):
    _fill(24, with_photo=True)
    forget_store_caches()
    response = client.get(reverse("store:catalogue"))
    html = response.content.decode()
    images = re.findall(r"<img [^>]+>", html)
    assert len(images) == 24
    assert all('loading="lazy"' in img and 'width="320"' in img and 'height="320"' in img for img in images)
    assert all(re.search(r'src="/media/produk/\d+/\d+-[0-9a-f]{32}-320\.webp"', img) for img in images)
    from django.contrib.staticfiles import finders

    css = sum(Path(finders.find(p)).stat().st_size for p in ("vendor/pico.min.css", "css/tukatuku.css"))
    assert len(response.content) + css < 150 * 1024


def _queries_for(django_assert_num_queries, client, url: str, n: int) -> None:
    forget_store_caches()
    with django_assert_num_queries(n):
        assert client.get(url).status_code == 200


COUNTED = [
    # url, queries on a cache miss (anonymous visitor)
    ("/", 6),  # categories, kecamatan counts, kecamatan rows, count, page, cover photos
    ("/toko/", 6),
    ("/toko/?q=keripik+tempe", 7),  # + the search vocabulary
    ("/toko/kategori/makanan/", 6),
    ("/toko/produk-desa/33.03.01/", 6),
    ("/api/v1/products?q=keripik", 4),
]


@pytest.mark.parametrize(("url", "queries"), COUNTED)
def test_query_count_stays_the_same_as_rows_grow(django_assert_num_queries, client, url, queries):
    _fill(3, with_photo=True)
    _queries_for(django_assert_num_queries, client, url, queries)
    _fill(30, with_photo=True, village="33.03.01.2002")
    _queries_for(django_assert_num_queries, client, url, queries)


WARM = ["/", "/toko/", "/toko/?q=keripik+tempe&urut=termurah", "/toko/kategori/makanan/", "/toko/produk-desa/33.03.01/"]


@pytest.mark.parametrize("url", WARM)
def test_a_cached_listing_needs_no_query_and_is_the_same_page(django_assert_num_queries, client, url):
    """The filter form, count and grid come rendered from the cache: a repeat view is layout only."""
    _fill(3, with_photo=True)
    first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url)
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub(b"", again.content) == token.sub(b"", first.content)


def test_product_and_seller_pages_query_count(django_assert_num_queries, client):
    seller = make_seller(shop_name="Rajut Bu Sri")
    product = _fill(1, seller=seller, with_photo=True)[0]
    for url, n in [
        # 4: the product, its variants, its photos, and the packaging aid it received (apps.program)
        (reverse("store:product", args=[product.pk, product.slug]), 4),
        (reverse("store:seller", args=[seller.slug]), 7),
    ]:
        _queries_for(django_assert_num_queries, client, url, n)
        _fill(5, seller=seller, with_photo=True)
        _queries_for(django_assert_num_queries, client, url, n)


def test_cached_grid_changes_when_a_product_is_delisted(client, operator):
    product = make_product(seller=make_seller(), name="Nopia Bawang")
    assert "Nopia Bawang" in client.get("/toko/").content.decode()
    services.product_delist(product=product, actor=operator, reason="Stok habis lama")
    assert "Nopia Bawang" not in client.get("/toko/").content.decode()


def test_unlisted_product_page_is_404(client):
    product = make_product(seller=make_seller(), status=ProductStatus.SUBMITTED)
    assert client.get(reverse("store:product", args=[product.pk, product.slug])).status_code == 404


def test_product_page_shows_variants(client):
    product = make_product(seller=make_seller(), name="Sale Pisang", prices=(18_000, 32_000))
    html = client.get(reverse("store:product_short", args=[product.pk]), follow=True).content.decode()
    assert "Rp18.000" in html and "Rp32.000" in html and "mulai" in html
