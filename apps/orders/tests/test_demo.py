import io

import pytest

from apps.core.management.commands.demo import DemoContext
from apps.omzet.models import OmzetLine
from apps.orders import demo
from apps.orders.models import Order, OrderStatus, PaymentStatus
from apps.orders.tests.factories import make_seller, make_variant

pytestmark = pytest.mark.django_db


def run(users):
    ctx = DemoContext(seed=1, scale=1, stdout=io.StringIO())
    ctx["users"] = users
    demo.build(ctx)
    return ctx.stdout.getvalue()


def test_demo_orders_in_every_stage_and_idempotent(make_user, operator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pembeli = make_user("pembeli", role="pembeli", first_name="Pembeli Demo")
    penjual = make_user("penjual", role="mitra_umkm")
    shop = make_seller(name="Toko Demo", user=penjual)
    make_variant(shop, stock=20)
    make_variant(make_seller(name="Toko Lain"), stock=20)  # not the demo seller's: not used
    users = {"pembeli": pembeli, "penjual": penjual, "operator": operator}

    assert "7 dibuat" in run(users)
    got = sorted(Order.objects.values_list("note", "status", "payment__status"))
    assert got == [
        ("Pesanan demo (cod-diproses)", OrderStatus.PROCESSING, PaymentStatus.COD),
        ("Pesanan demo (dibatalkan)", OrderStatus.CANCELLED, PaymentStatus.CANCELLED),
        ("Pesanan demo (dibayar)", OrderStatus.PAID, PaymentStatus.PAID),
        ("Pesanan demo (dikirim)", OrderStatus.SHIPPED, PaymentStatus.PAID),
        ("Pesanan demo (menunggu-transfer)", OrderStatus.PLACED, PaymentStatus.PENDING),
        ("Pesanan demo (menunggu-verifikasi)", OrderStatus.PLACED, PaymentStatus.VERIFYING),
        ("Pesanan demo (selesai)", OrderStatus.COMPLETED, PaymentStatus.PAID),
    ]
    assert set(Order.objects.values_list("seller", flat=True)) == {shop.pk}
    assert set(Order.objects.values_list("buyer__username", flat=True)) == {"pembeli"}
    assert OmzetLine.objects.count() == 1

    assert "0 dibuat" in run(users)
    assert Order.objects.count() == 7
    assert OmzetLine.objects.count() == 1


def test_demo_without_catalogue_is_skipped(make_user):
    out = run({"pembeli": make_user("pembeli")})
    assert "dilewati" in out
    assert Order.objects.count() == 0


def test_demo_enrols_a_shop_for_penjual_when_there_is_no_catalogue(make_user, operator, settings, tmp_path):
    from apps.store.models import Seller
    from apps.umkm.models import Business, Owner

    settings.MEDIA_ROOT = tmp_path
    owner = Owner(name="Sri", gender="P")
    owner.set_nik("3303014404900001")
    owner.save()
    Business.objects.create(
        owner=owner,
        name="Keripik Bu Sri",
        name_normalized="keripik bu sri",
        regency_id="33.03",
        district_id="33.03.01",
        village_id="33.03.01.2001",
    )
    pembeli, penjual = make_user("pembeli"), make_user("penjual", role="mitra_umkm")
    out = run({"pembeli": pembeli, "penjual": penjual, "operator": operator})
    assert "7 dibuat" in out
    seller = Seller.objects.get()
    assert (seller.shop_name, list(seller.members.values_list("user__username", flat=True))) == (
        "Keripik Bu Sri",
        ["penjual"],
    )
    assert set(Order.objects.values_list("seller", flat=True)) == {seller.pk}
