"""Reads of the store: the public catalogue, a seller's own products, the curation queue, access helpers."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from apps.accounts.selectors import user_can_see_regency, user_regency_codes
from apps.core.nik import nik_hash
from apps.core.roles import STAFF
from apps.regions.models import Level, Region
from apps.store import search
from apps.store.models import (
    Category,
    Product,
    ProductPhoto,
    ProductStatus,
    Seller,
    SellerMember,
    SellerStatus,
    Variant,
)
from apps.umkm.models import Business, BusinessStatus
from apps.umkm.rules import normalize_business_name

SORTS = {
    "terbaru": ("-listed_at", "-id"),
    "termurah": ("min_price", "-id"),
    "termahal": ("-min_price", "-id"),
    "nama": ("name", "id"),
}
DEFAULT_SORT = "terbaru"


# The officers who curate the shops and products of their regions.


def is_curator_of(user: Any, regency_code: str) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.has_role(*STAFF) and user_can_see_regency(user, regency_code)
    )


def is_member_of(user: Any, seller: Seller) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return SellerMember.objects.filter(seller=seller, user=user).exists()


@dataclass
class CatalogueFilters:
    q: str = ""
    category: str = ""  # slug
    kecamatan: str = ""  # district code
    seller: str = ""  # slug
    price_min: int | None = None
    price_max: int | None = None
    sort: str = ""


def _cover_prefetch() -> Prefetch:
    return Prefetch(
        "photos",
        queryset=ProductPhoto.objects.filter(position=0).only(
            "id", "product_id", "image_small", "small_width", "small_height", "alt_text", "position"
        ),
        to_attr="cover_photos",
    )


def listed_products() -> QuerySet[Product]:
    """Products a buyer may see: approved, from a verified shop (`Product.listed`, kept by the services)."""
    return Product.objects.filter(listed=True)


def catalogue_products(filters: CatalogueFilters) -> QuerySet[Product]:
    """The storefront list: filtered, searched (ranked), sorted; with shop, district and cover photo."""
    qs = listed_products()
    if filters.category:
        qs = qs.filter(Q(category__slug=filters.category) | Q(category__parent__slug=filters.category))
    if filters.kecamatan:
        qs = qs.filter(district_id=filters.kecamatan)
    if filters.seller:
        qs = qs.filter(seller__slug=filters.seller)
    if filters.price_min is not None:
        qs = qs.filter(min_price__gte=filters.price_min)
    if filters.price_max is not None:
        qs = qs.filter(min_price__lte=filters.price_max)
    ordering: tuple[str, ...]
    if filters.q.strip():
        qs = search.apply_search(qs, filters.q)
        ordering = ("-rank", *SORTS[filters.sort]) if filters.sort in SORTS else ("-rank", "-listed_at", "-id")
    else:
        ordering = SORTS.get(filters.sort, SORTS[DEFAULT_SORT])
    return (
        qs.select_related("seller", "district", "category")
        .only(
            "id",
            "name",
            "slug",
            "min_price",
            "listed_at",
            "seller__id",
            "seller__shop_name",
            "seller__slug",
            "district__code",
            "district__name",
            "category__id",
            "category__name",
            "category__slug",
        )
        .prefetch_related(_cover_prefetch())
        .order_by(*ordering)
    )


def product_detail(product_id: int) -> Product:
    """A listed product with its active variants (in stock first) and photos; 404 otherwise."""
    product = (
        listed_products()
        .select_related("seller", "seller__village", "district", "category")
        .prefetch_related(
            Prefetch("variants", queryset=Variant.objects.filter(is_active=True).order_by("price", "id")),
            "photos",
        )
        .filter(pk=product_id)
        .first()
    )
    if product is None:
        raise Http404
    return product


def category_list() -> list[Category]:
    """Categories with their count of listed products (one query)."""
    return list(
        Category.objects.annotate(listed=Count("products", filter=Q(products__listed=True))).order_by(
            "position", "name"
        )
    )


def kecamatan_list(regency_code: str | None = None) -> list[Region]:
    """Kecamatan that have listed products, with their count (one query)."""
    qs = Region.objects.filter(level=Level.DISTRICT)
    if regency_code:
        qs = qs.filter(parent_id=regency_code)
    return _kecamatan_with_counts(qs)


def _kecamatan_with_counts(qs: QuerySet[Region]) -> list[Region]:
    counts = dict(listed_products().values_list("district_id").annotate(n=Count("id")).order_by())
    regions = list(qs.filter(code__in=list(counts)) if counts else qs.none())
    for region in regions:
        region.listed = counts[region.code]  # type: ignore[attr-defined]
    return sorted(regions, key=lambda r: r.name)


def seller_public(slug: str) -> Seller:
    seller = (
        Seller.objects.select_related("district", "village").filter(slug=slug, status=SellerStatus.VERIFIED).first()
    )
    if seller is None:
        raise Http404
    return seller


# --- seller back office -----------------------------------------------------------------------------


def sellers_of_user(user: Any) -> list[Seller]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Seller.objects.filter(members__user=user).select_related("district").order_by("shop_name"))


def access_seller(user: Any, pk: int, *, read_only: bool = False) -> Seller:
    """The shop a seller user works for, or (for a curator) a shop in their regions; 404 otherwise.
    The applicant of a rejected shop may only read its page (the reason); nothing else of it."""
    seller = Seller.objects.select_related("district", "regency").filter(pk=pk).first()
    if seller is None or not _can_manage(user, seller):
        raise Http404
    if seller.status == SellerStatus.REJECTED and not read_only and not is_curator_of(user, seller.regency_id):
        raise Http404
    return seller


def business_for_application(*, nib: str, business_name: str, owner_nik: str) -> Business | None:
    """The registry business an owner applies for: by its NIB, or without one by the owner's NIK and the
    business name (normalised, SPEC §4); only when the NIK is its owner's. None otherwise, whatever the
    reason (no business, another owner), so the answer reveals nothing."""

    owned = Business.objects.filter(owner__nik_hash=nik_hash(owner_nik), status=BusinessStatus.ACTIVE)
    if nib:
        return owned.filter(nib=nib).first()
    return owned.filter(nib="", name_normalized=normalize_business_name(business_name)).order_by("pk").first()


def _can_manage(user: Any, seller: Seller) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return SellerMember.objects.filter(seller=seller, user=user).exists() or is_curator_of(user, seller.regency_id)


def access_product(user: Any, pk: int) -> Product:
    """A product of one of the user's shops (any status), or of a curator's regions; 404 otherwise."""
    product = (
        Product.objects.select_related("seller", "seller__regency", "category", "district")
        .prefetch_related(Prefetch("variants", queryset=Variant.objects.order_by("-is_active", "id")), "photos")
        .filter(pk=pk)
        .first()
    )
    if product is None or not _can_manage(user, product.seller):
        raise Http404
    return product


def seller_products(*, seller: Seller, status: str = "") -> QuerySet[Product]:
    qs = (
        Product.objects.filter(seller=seller)
        .select_related("category")
        .prefetch_related(
            Prefetch("variants", queryset=Variant.objects.filter(is_active=True).order_by("id")), _cover_prefetch()
        )
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-updated_at", "-id")


def curation_queue(*, officer: Any, status: str = ProductStatus.SUBMITTED) -> QuerySet[Product]:
    """Products awaiting curation in the officer's regions, oldest first."""
    qs = Product.objects.filter(status=status)
    codes = user_regency_codes(officer)
    if codes is not None:
        qs = qs.filter(seller__regency_id__in=codes)
    return (
        qs.select_related("seller", "category", "district")
        .prefetch_related(
            Prefetch("variants", queryset=Variant.objects.filter(is_active=True).order_by("id")), _cover_prefetch()
        )
        .order_by("updated_at", "id")
    )


def seller_queue(*, officer: Any, status: str = "") -> QuerySet[Seller]:
    qs = Seller.objects.all()
    codes = user_regency_codes(officer)
    if codes is not None:
        qs = qs.filter(regency_id__in=codes)
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("business", "district", "village")
        .annotate(product_count=Count("products"))
        .order_by("status", "shop_name")
    )


def access_seller_for_curator(user: Any, pk: int) -> Seller:
    seller = Seller.objects.select_related("business", "district", "village").filter(pk=pk).first()
    if seller is None or not is_curator_of(user, seller.regency_id):
        raise Http404
    return seller


def access_product_for_curator(user: Any, pk: int) -> Product:
    product = (
        Product.objects.select_related("seller", "category", "district")
        .prefetch_related(Prefetch("variants", queryset=Variant.objects.order_by("id")), "photos")
        .filter(pk=pk)
        .first()
    )
    if product is None or not is_curator_of(user, product.seller.regency_id):
        raise Http404
    return product


def export_products(*, seller: Seller | None = None, regency_codes: set[str] | None = None) -> QuerySet[Product]:
    """Approved products for the marketplace templates, with variants and photos (three queries)."""
    qs = Product.objects.filter(status=ProductStatus.APPROVED)
    if seller is not None:
        qs = qs.filter(seller=seller)
    if regency_codes is not None:
        qs = qs.filter(seller__regency_id__in=regency_codes)
    return (
        qs.select_related("category", "seller")
        .prefetch_related(
            Prefetch("variants", queryset=Variant.objects.filter(is_active=True).order_by("id")), "photos"
        )
        .order_by("seller_id", "id")
    )


# A variant this low is shown on the seller's home page ("stok menipis"), as Shopee's seller centre does.
LOW_STOCK = 3


def low_stock_variants(*, seller: Seller, limit: int = 8) -> tuple[int, list[Variant]]:
    """The active variants of the shop's listed or submitted products with at most `LOW_STOCK` left, fewest
    first, and how many there are in all."""
    qs = (
        Variant.objects.filter(
            product__seller=seller,
            is_active=True,
            stock__lte=LOW_STOCK,
            product__status__in=(ProductStatus.APPROVED, ProductStatus.SUBMITTED),
        )
        .select_related("product")
        .order_by("stock", "product__name", "name", "pk")
    )
    return qs.count(), list(qs[:limit])


def curation_counts(*, seller: Seller) -> dict[str, int]:
    """How many of the shop's products wait for a curator (submitted) and how many came back rejected."""
    counts = dict(
        Product.objects.filter(seller=seller, status__in=(ProductStatus.SUBMITTED, ProductStatus.REJECTED))
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {"submitted": counts.get(ProductStatus.SUBMITTED, 0), "rejected": counts.get(ProductStatus.REJECTED, 0)}
