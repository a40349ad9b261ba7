import io

import pytest

from apps.core.management.commands.demo import DemoContext
from apps.konsinyasi import demo
from apps.konsinyasi.models import DayClosing, Location, Receipt, Sale, StockMovement
from apps.konsinyasi.tests.factories import make_seller, make_variant

pytestmark = pytest.mark.django_db


def test_demo_builds_a_showroom_day_and_is_idempotent(operator):
    for name in ("Nopia Mino", "Batik Lawet", "Gula Kelapa Bojong"):
        seller = make_seller(name=name)
        make_variant(seller, price=25000, name=f"{name} A")
        make_variant(seller, price=40000, name=f"{name} B")
    ctx = DemoContext(seed=1, scale=1, stdout=io.StringIO())
    ctx["users"] = {"operator": operator}
    demo.build(ctx)
    counts = (Location.objects.count(), Receipt.objects.count(), Sale.objects.count(), DayClosing.objects.count())
    assert counts == (2, 6, 3, 1)
    moves = StockMovement.objects.count()
    demo.build(ctx)
    assert (Location.objects.count(), Sale.objects.count(), StockMovement.objects.count()) == (2, 3, moves)
