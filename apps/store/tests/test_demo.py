import io

import pytest

from apps.accounts import demo as accounts_demo
from apps.core.management.commands.demo import DemoContext
from apps.store import demo
from apps.store.models import Product, ProductPhoto, Seller
from apps.store.selectors import CatalogueFilters, catalogue_products

pytestmark = pytest.mark.django_db


def test_demo_store_is_idempotent_and_searchable():
    ctx = DemoContext(1, 1, io.StringIO())
    accounts_demo.build(ctx)
    demo.build(ctx)
    counts = (Seller.objects.count(), Product.objects.count(), ProductPhoto.objects.count())
    demo.build(ctx)
    assert counts == (Seller.objects.count(), Product.objects.count(), ProductPhoto.objects.count()) == (7, 16, 16)
    assert sorted(Product.objects.values_list("status").distinct()) == [
        ("diajukan",),
        ("disetujui",),
        ("ditolak",),
        ("draf",),
    ]
    assert Seller.objects.get(members__user__username="penjual").shop_name == "Rajut Bu Sri"
    assert [p.name for p in catalogue_products(CatalogueFilters(q="rajut"))] == ["Tas Rajutan Benang Nilon"]
    assert [p.name for p in catalogue_products(CatalogueFilters(q="kripik tempe"))] == ["Keripik Tempe Sagu"]
