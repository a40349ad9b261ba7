"""The last unit shared with the web store, bought at once by a web checkout and the quick-sale screen:
real threads, each with its own PostgreSQL connection."""

from apps.core.actors import COMMAND_LINE
from apps.core.testing import POSTGRES_PARALLEL, run_parallel
from apps.konsinyasi.models import Sale, StockMovement
from apps.konsinyasi.services import REFUSALS, CartItem, sale_create
from apps.konsinyasi.tests.factories import make_location, make_seller, make_variant, receive
from apps.omzet.models import OmzetLine
from apps.orders.models import Order
from apps.orders.services.checkout import OutOfStock
from apps.orders.tests.factories import place
from apps.store.models import Variant

pytestmark = POSTGRES_PARALLEL


def _race(variant, location, rounds):
    def work(i):
        if i % 2:
            return ("web", place([(variant, 1)]).pk)
        return (
            "kasir",
            sale_create(
                location=location, items=[CartItem(variant, 1)], method="qris", qris_confirmed=True, actor=COMMAND_LINE
            ).pk,
        )

    return run_parallel(rounds, work)


def test_last_item_shared_by_receipt_line_goes_to_exactly_one(transactional_regions):
    for attempt in range(5):
        variant = make_variant(make_seller(), stock=0)
        showroom = make_location(name=f"Showroom {attempt}")
        receive(showroom, variant, 1, shared=True)  # the one unit lives in the online stock
        results = _race(variant, showroom, 2)
        won = [r for r in results if isinstance(r, tuple)]
        lost = [r for r in results if isinstance(r, REFUSALS + (OutOfStock,))]
        assert [r for r in results if r not in won and r not in lost] == []
        assert (len(won), len(lost)) == (1, 1)
        assert Variant.objects.get(pk=variant.pk).stock == 0
        sold_web = Order.objects.filter(lines__variant=variant).count()
        sold_kasir = Sale.objects.filter(lines__variant=variant).count()
        assert sold_web + sold_kasir == 1
        assert OmzetLine.objects.filter(variant=variant, source_key__startswith="konsinyasi:").count() == sold_kasir


def test_many_racers_for_three_units_at_a_shared_location(transactional_regions):
    variant = make_variant(make_seller(), stock=0)
    showroom = make_location(shared=True)
    receive(showroom, variant, 3)
    results = _race(variant, showroom, 12)
    won = [r for r in results if isinstance(r, tuple)]
    assert [r for r in results if not isinstance(r, tuple) and not isinstance(r, REFUSALS)] == []
    assert len(won) == 3
    assert Variant.objects.get(pk=variant.pk).stock == 0
    kasir = [r for r in won if r[0] == "kasir"]
    assert StockMovement.objects.filter(kind="jual", variant=variant).count() == len(kasir)
