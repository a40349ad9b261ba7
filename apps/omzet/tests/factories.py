"""Catalogue records for omzet tests (the store app's services are not needed to sell in a test)."""

from itertools import count

from apps.regions.models import Region
from apps.store.models import Category, Product, ProductStatus, Variant
from apps.store.tests.factories import make_seller as make_store_seller
from apps.umkm.models import Business, Owner

_seq = count(1)


def make_seller(
    *, name: str = "", regency: str = "33.03", district: str = "33.03.01", sector: str = "Kuliner", user=None
):
    n = next(_seq)
    name = name or f"Toko {n}"
    owner = Owner(name=f"Pemilik {n}", gender="P")
    owner.set_nik(f"3303014101{n:02d}{n:04d}"[:16])
    owner.save()
    village = Region.objects.filter(code__startswith=district + ".").order_by("code").values_list("code", flat=True)[0]
    business = Business.objects.create(
        owner=owner,
        name=name,
        name_normalized=name.lower(),
        sector=sector,
        regency_id=regency,
        district_id=district,
        village_id=village,
    )
    return make_store_seller(business=business, shop_name=name, slug=f"toko-{n}", owner=user)


def make_variant(*, seller, sku: str, name: str = "Produk", price: int = 10000, stock: int = 100):
    category, _ = Category.objects.get_or_create(slug="umum", defaults={"name": "Umum"})
    product = Product.objects.create(
        seller=seller,
        category=category,
        name=name,
        slug=f"{name.lower().replace(' ', '-')}-{next(_seq)}",
        weight_grams=250,
        status=ProductStatus.APPROVED,
        listed=seller.status == "terverifikasi",
        district_id=seller.district_id,
        min_price=price,
    )
    return Variant.objects.create(product=product, name="", sku=sku, price=price, stock=stock)
