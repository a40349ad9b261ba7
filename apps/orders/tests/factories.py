"""Test data for the sales flow: verified sellers with listed products, and checkouts."""

import itertools

from apps.orders.models import RateKind, ShippingRate
from apps.orders.services.checkout import Recipient, WantedLine, checkout_place
from apps.store.models import Category, Product, ProductStatus, SellerStatus, Variant
from apps.store.tests.factories import make_seller as make_store_seller
from apps.umkm.models import Business, Owner

_seq = itertools.count(1)
BUYER_VILLAGE = "33.03.01.2001"  # Kedungbenda, Kemangkon, Purbalingga


def make_seller(*, name="Keripik Bu Sri", regency="33.03", district=None, village=None, user=None, rate=None):
    n = next(_seq)
    district = district or f"{regency}.01"
    village = village or f"{district}.2001"
    owner = Owner(name=f"Pemilik {n}", gender="P")
    owner.set_nik(f"{regency.replace('.', '')}01{n:02d}0190{n:04d}"[:16].ljust(16, "1"))
    owner.save()
    business = Business.objects.create(
        owner=owner,
        name=f"{name} {n}",
        name_normalized=f"{name} {n}".lower(),
        regency_id=regency,
        district_id=district,
        village_id=village,
    )
    seller = make_store_seller(business=business, shop_name=name, slug=f"toko-{n}", owner=user)
    if rate is not None:
        ShippingRate.objects.create(seller=seller, courier="JNE", service="REG", kind=RateKind.FLAT, amount=rate)
    return seller


def make_variant(seller, *, price=25000, stock=10, weight=250, name="Keripik tempe", variant_name="200 g"):
    n = next(_seq)
    category, _ = Category.objects.get_or_create(slug="makanan", defaults={"name": "Makanan"})
    product = Product.objects.create(
        seller=seller,
        category=category,
        name=name,
        slug=f"produk-{n}",
        weight_grams=weight,
        status=ProductStatus.APPROVED,
        listed=seller.status == SellerStatus.VERIFIED,
        district_id=seller.district_id,
        min_price=price,
    )
    return Variant.objects.create(product=product, name=variant_name, sku=f"SKU-{n:05d}", price=price, stock=stock)


def recipient(**overrides):
    data = {
        "name": "Siti Aminah",
        "phone": "081234567890",
        "email": "siti@contoh.id",
        "address": "Jl. Raya 1 RT 01/02",
        "village_code": BUYER_VILLAGE,
    }
    data.update(overrides)
    return Recipient(**data)


def place(lines, *, method="transfer", buyer=None, shipping=None, actor=None):
    """Checkout of [(variant, quantity)], first shipping option (pickup if none given) per seller."""
    sellers = {v.product.seller_id for v, _q in lines}
    shipping = shipping or dict.fromkeys(sellers, "ambil")
    return checkout_place(
        lines=[WantedLine(v.pk, q) for v, q in lines],
        recipient=recipient(),
        shipping=shipping,
        method=method,
        buyer=buyer,
        actor=actor or buyer,
    )
