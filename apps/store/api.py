"""Public catalogue API: `GET /api/v1/products` (search, filters, pages) and `GET /api/v1/products/{id}`.

Only listed products (approved, from a verified shop) are visible. Money is whole rupiah.
"""

from datetime import datetime

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from apps.store import selectors
from apps.store.cache import cached

router = Router(tags=["produk"])
PAGE_SIZE = 24


class ProductFilters(Schema):
    q: str = ""
    category: str = ""
    kecamatan: str = ""
    page: int = 1


class SellerOut(Schema):
    slug: str
    name: str


class ProductSummary(Schema):
    id: int
    name: str
    url: str
    min_price: int
    category: str
    kecamatan: str
    kecamatan_code: str
    seller: SellerOut
    thumbnail: str | None
    thumbnail_width: int | None
    thumbnail_height: int | None


class ProductPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ProductSummary]


class VariantOut(Schema):
    sku: str
    name: str
    price: int
    stock: int
    weight_grams: int


class PhotoOut(Schema):
    small: str
    small_width: int
    small_height: int
    large: str
    large_width: int
    large_height: int


class ProductOut(Schema):
    id: int
    name: str
    url: str
    description: str
    category: str
    weight_grams: int
    min_price: int
    kecamatan: str
    kecamatan_code: str
    village: str
    seller: SellerOut
    listed_at: datetime | None
    variants: list[VariantOut]
    photos: list[PhotoOut]


def _summary(p) -> dict:
    photo = p.cover_photos[0] if p.cover_photos else None
    return {
        "id": p.pk,
        "name": p.name,
        "url": reverse("store:product", args=[p.pk, p.slug]),
        "min_price": p.min_price,
        "category": p.category.name,
        "kecamatan": p.district.name,
        "kecamatan_code": p.district.code,
        "seller": {"slug": p.seller.slug, "name": p.seller.shop_name},
        "thumbnail": photo.image_small.url if photo else None,
        "thumbnail_width": photo.small_width if photo else None,
        "thumbnail_height": photo.small_height if photo else None,
    }


@router.get("/products", response=ProductPage, summary="Cari dan telusuri produk yang tayang")
def product_list(request: HttpRequest, filters: Query[ProductFilters]):
    """Listed products, 24 a page. `q` searches in Indonesian (stems, typo tolerance) and ranks;
    without `q` the newest come first. `category` is a category slug, `kecamatan` a district code
    (e.g. `33.03.01`)."""
    if filters.page < 1:
        raise HttpError(422, "page harus ≥ 1")
    wanted = selectors.CatalogueFilters(q=filters.q[:100], category=filters.category, kecamatan=filters.kecamatan)

    def compute() -> dict:
        paginator = Paginator(selectors.catalogue_products(wanted), PAGE_SIZE)
        if filters.page > max(paginator.num_pages, 1):
            return {"count": paginator.count, "page": filters.page, "pages": paginator.num_pages, "results": []}
        page = paginator.page(filters.page)
        return {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "results": [_summary(p) for p in page.object_list],
        }

    return cached("api-products", (wanted, filters.page), compute)


@router.get("/products/{product_id}", response=ProductOut, summary="Satu produk yang tayang, dengan varian")
def product_get(request: HttpRequest, product_id: int):
    try:
        p = selectors.product_detail(product_id)
    except Http404:
        raise HttpError(404, "Produk tidak ditemukan")
    return {
        "id": p.pk,
        "name": p.name,
        "url": reverse("store:product", args=[p.pk, p.slug]),
        "description": p.description,
        "category": p.category.name,
        "weight_grams": p.weight_grams,
        "min_price": p.min_price,
        "kecamatan": p.district.name,
        "kecamatan_code": p.district.code,
        "village": p.seller.village.name,
        "seller": {"slug": p.seller.slug, "name": p.seller.shop_name},
        "listed_at": p.listed_at,
        "variants": [
            {
                "sku": v.sku,
                "name": v.name,
                "price": v.price,
                "stock": v.stock,
                "weight_grams": v.weight_grams or p.weight_grams,
            }
            for v in p.variants.all()
        ],
        "photos": [
            {
                "small": ph.image_small.url,
                "small_width": ph.small_width,
                "small_height": ph.small_height,
                "large": ph.image_large.url,
                "large_width": ph.large_width,
                "large_height": ph.large_height,
            }
            for ph in p.photos.all()
        ],
    }
