import io
from datetime import date

import pytest

from apps.core.management.commands.demo import DemoContext
from apps.omzet import demo
from apps.omzet.models import OfflineSale, OmzetLine
from apps.omzet.selectors import omzet_kpi
from apps.omzet.tests.factories import make_seller, make_variant

pytestmark = pytest.mark.django_db


def run(operator, seller_user=None):
    ctx = DemoContext(seed=1, scale=1, stdout=io.StringIO())
    ctx["users"] = {"operator": operator} | ({"penjual": seller_user} if seller_user else {})
    demo.build(ctx)
    return ctx.stdout.getvalue()


@pytest.mark.parametrize("with_catalogue", [False, True])
def test_demo_gives_the_article_figure_and_is_idempotent(operator, make_user, with_catalogue):
    seller_user = None
    if with_catalogue:
        seller_user = make_user("penjual", role="mitra_umkm")
        seller = make_seller(name="Nopia Mino", district="33.03.05", user=seller_user)
        names = ["Nopia Bawang Merah", "Sale Pisang Goreng", "Mino Rasa Gula Jawa"]
        for i, (name, price) in enumerate(zip(names, [25_000, 40_000, 120_000], strict=True)):
            make_variant(seller=seller, sku=f"NM-{i}", name=name, price=price)
    run(operator, seller_user)
    figures = omzet_kpi(regency_codes=["33.03"], year=2019, as_of=date(2020, 3, 9))
    assert figures["tukatuku_omzet_kumulatif"] == 129_000_000
    assert OfflineSale.objects.count() == (4 if with_catalogue else 0)
    if with_catalogue:
        assert OmzetLine.objects.filter(seller__members__user=seller_user).count() > 10
    lines = sorted(OmzetLine.objects.values_list("source_key", "amount", "seller_id"))
    out = run(operator, seller_user)
    assert "created: 0, updated: 0" in out
    assert sorted(OmzetLine.objects.values_list("source_key", "amount", "seller_id")) == lines
    assert OfflineSale.objects.count() == (4 if with_catalogue else 0)


def test_demo_counts_web_sales_recorded_before_it(operator):
    from datetime import datetime

    from apps.core.formatting import WIB
    from apps.omzet.services import omzet_record_sale

    omzet_record_sale(
        source_key="order:1:item:1",
        channel_code="web",
        regency_code="33.03",
        product_name="Nopia",
        quantity=1,
        amount=2_345_000,
        counted_at=datetime(2020, 2, 1, 10, tzinfo=WIB),
        actor=None,
    )
    run(operator)
    run(operator)
    assert (
        omzet_kpi(regency_codes=["33.03"], year=2019, as_of=date(2020, 3, 9))["tukatuku_omzet_kumulatif"] == 129_000_000
    )


def test_demo_again_after_the_catalogue_appeared(operator, make_user):
    run(operator)
    seller_user = make_user("penjual", role="mitra_umkm")
    seller = make_seller(name="Nopia Mino", district="33.03.05", user=seller_user)
    for i, name in enumerate(["Nopia Bawang Merah", "Sale Pisang Goreng", "Mino Rasa Gula Jawa"]):
        make_variant(seller=seller, sku=f"NM-{i}", name=name, price=10_000)
    run(operator, seller_user)
    run(operator, seller_user)
    assert (
        omzet_kpi(regency_codes=["33.03"], year=2019, as_of=date(2020, 3, 9))["tukatuku_omzet_kumulatif"] == 129_000_000
    )
    assert OfflineSale.objects.count() == 4
    assert OmzetLine.objects.filter(seller=seller, channel__code="bukalapak").count() > 10


def test_demo_books_a_marketplace_line_only_to_the_shop_that_makes_the_product(operator, make_user):
    """The knitting shop comes first in the catalogue but makes none of the loose products: it gets no line."""
    seller_user = make_user("penjual", role="mitra_umkm")
    knitting = make_seller(name="Rajut Bu Sri", district="33.03.05", user=seller_user)
    make_variant(seller=knitting, sku="AAA-1", name="Tas Rajutan Benang Nilon", price=85_000)
    sugar = make_seller(name="Gula Kelapa Pak Darmo", district="33.03.05")
    make_variant(seller=sugar, sku="GKD-1", name="Gula Kelapa Kristal", price=42_000)
    run(operator, seller_user)
    marketplaces = ["bukalapak", "shopee", "tokopedia"]
    assert not OmzetLine.objects.filter(seller=knitting, channel__code__in=marketplaces).exists()
    sugar_lines = OmzetLine.objects.filter(seller=sugar, channel__code__in=marketplaces)
    sugar_names = set(sugar_lines.values_list("product_name", flat=True))
    assert sugar_names == {"Gula Kelapa Kristal 1 kg"}
