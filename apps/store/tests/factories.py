"""Test factories for the store: registry businesses, sellers with users, categories, products."""

import io
import itertools

from PIL import Image

from apps.store import services
from apps.store.models import Category, Product, ProductStatus, Seller, SellerMember, SellerRole, SellerStatus
from apps.store.services import VariantData
from apps.umkm.models import Business, Gender, Owner

_seq = itertools.count(1)


def make_business(*, name: str = "", village: str = "33.03.01.2001") -> Business:
    n = next(_seq)
    owner = Owner(name=f"Pemilik {n}", gender=Gender.FEMALE)
    owner.set_nik(f"330301{n:010d}"[:16])
    owner.save()
    parts = village.split(".")
    return Business.objects.create(
        owner=owner,
        name=name or f"Usaha {n}",
        name_normalized=(name or f"usaha {n}").lower(),
        regency_id=".".join(parts[:2]),
        district_id=".".join(parts[:3]),
        village_id=village,
    )


def make_seller(
    *,
    business: Business | None = None,
    shop_name: str = "",
    slug: str = "",
    village: str = "33.03.01.2001",
    status: str = SellerStatus.VERIFIED,
    owner=None,
) -> Seller:
    """The one seller factory of the tests: a shop for `business` (a new registry business in `village`
    when none is given), at the business's address, with `owner` as its owning member when given."""
    business = business or make_business(name=shop_name, village=village)
    n = next(_seq)
    seller = Seller.objects.create(
        business=business,
        shop_name=shop_name or f"Toko {n}",
        slug=slug or f"toko-{n}",
        regency_id=business.regency_id,
        district_id=business.district_id,
        village_id=business.village_id,
        status=status,
    )
    if owner is not None:
        SellerMember.objects.create(seller=seller, user=owner, role=SellerRole.OWNER)
    return seller


def make_category(name: str = "Makanan", slug: str = "") -> Category:
    return Category.objects.get_or_create(slug=slug or name.lower().replace(" ", "-"), defaults={"name": name})[0]


def make_product(
    *,
    seller: Seller,
    name: str = "Produk",
    category: Category | None = None,
    description: str = "",
    prices: tuple[int, ...] = (10_000,),
    stock: int = 5,
    status: str = ProductStatus.APPROVED,
    actor=None,
) -> Product:
    """A product made through the services (so search_text is real), then put in `status` directly."""
    n = next(_seq)
    actor = actor or _system_curator(seller)
    product = services.product_create(
        seller=seller,
        category=category or make_category(),
        name=name,
        description=description,
        weight_grams=250,
        variants=[VariantData(name=f"V{i}", sku=f"SKU-{n}-{i}", price=p, stock=stock) for i, p in enumerate(prices)],
        actor=actor,
    )
    if status != ProductStatus.DRAFT:
        from django.utils import timezone

        approved = status == ProductStatus.APPROVED
        Product.objects.filter(pk=product.pk).update(
            status=status,
            listed=approved and seller.status == SellerStatus.VERIFIED,
            listed_at=timezone.now() if approved else None,
        )
        product.refresh_from_db()
    return product


def _system_curator(seller: Seller):
    from apps.accounts.models import User

    user = User.objects.filter(username="kurator_pabrik").first()
    if user is None:
        user = User.objects.create_user(username="kurator_pabrik", password="x", role="admin", is_superuser=True)
    return user


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (1200, 900), color: str = "#c84") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt)
    return out.getvalue()
