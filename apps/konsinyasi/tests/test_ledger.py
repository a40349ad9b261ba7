"""The stock ledger as tables: each case is a sequence of operations on one lot in a showroom and a
warehouse, with the balances and the movements they must leave."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.audit.models import AuditEntry
from apps.core.actors import COMMAND_LINE
from apps.core.formatting import WIB
from apps.konsinyasi.models import LocationKind, MovementKind, StockMovement
from apps.konsinyasi.selectors import expiring_soon, lot_quantity
from apps.konsinyasi.services import (
    REFUSALS,
    CartItem,
    CountItem,
    StockError,
    sale_cancel,
    sale_create,
    seller_return_create,
    stock_count_record,
    transfer_create,
)
from apps.konsinyasi.tests.factories import make_location, make_seller, make_variant, receive
from apps.store.models import Variant

NOON = datetime(2026, 11, 3, 12, 0, tzinfo=WIB)

# (operations, showroom balance, warehouse balance, movement kinds and signed quantities in order)
# operations: ("receive", where, n) | ("transfer", from, to, n) | ("return", where, n) | ("count", where, n)
#             | ("sell", n) | ("cancel",)
CASES = [
    ([("receive", "S", 10)], 10, 0, [("terima", 10)]),
    (
        [("receive", "G", 10), ("transfer", "G", "S", 4)],
        4,
        6,
        [("terima", 10), ("pindah_keluar", -4), ("pindah_masuk", 4)],
    ),
    ([("receive", "S", 10), ("return", "S", 3)], 7, 0, [("terima", 10), ("retur", -3)]),
    ([("receive", "S", 10), ("count", "S", 8)], 8, 0, [("terima", 10), ("opname", -2)]),
    ([("receive", "S", 10), ("count", "S", 11)], 11, 0, [("terima", 10), ("opname", 1)]),
    ([("receive", "S", 10), ("count", "S", 10)], 10, 0, [("terima", 10)]),  # no difference, no movement
    ([("receive", "S", 5), ("sell", 2)], 3, 0, [("terima", 5), ("jual", -2)]),
    ([("receive", "S", 5), ("sell", 2), ("cancel",)], 5, 0, [("terima", 5), ("jual", -2), ("batal_jual", 2)]),
    (
        [("receive", "G", 6), ("transfer", "G", "S", 6), ("sell", 6), ("return", "G", 0)],
        0,
        0,
        [("terima", 6), ("pindah_keluar", -6), ("pindah_masuk", 6), ("jual", -6)],
    ),
]


@pytest.mark.parametrize(("operations", "showroom_left", "warehouse_left", "movements"), CASES)
def test_stock_ledger_table(db, operations, showroom_left, warehouse_left, movements):
    places = {"S": make_location(), "G": make_location(name="Gudang Kalimanah", kind=LocationKind.WAREHOUSE)}
    seller = make_seller()
    variant = make_variant(seller, stock=3)
    lot = None
    sale = None
    for op in operations:
        if op[0] == "receive":
            lot = receive(places[op[1]], variant, op[2])
        elif op[0] == "transfer":
            transfer_create(source=places[op[1]], target=places[op[2]], items=[(lot, op[3])], actor=COMMAND_LINE)
        elif op[0] == "return" and op[2]:
            seller_return_create(location=places[op[1]], seller=seller, items=[(lot, op[2])], actor=COMMAND_LINE)
        elif op[0] == "count":
            stock_count_record(
                location=places[op[1]], items=[CountItem(lot, op[2], reason="hitung ulang")], actor=COMMAND_LINE
            )
        elif op[0] == "sell":
            sale = sale_create(
                location=places["S"],
                items=[CartItem(variant, op[1])],
                method="tunai",
                cash_given=10**7,
                actor=COMMAND_LINE,
                sold_at=NOON,
            )
        elif op[0] == "cancel":
            sale_cancel(sale=sale, reason="salah input", actor=COMMAND_LINE)
    assert lot_quantity(location=places["S"], lot=lot) == showroom_left
    assert lot_quantity(location=places["G"], lot=lot) == warehouse_left
    assert list(StockMovement.objects.order_by("pk").values_list("kind", "quantity")) == movements
    assert AuditEntry.objects.filter(action="konsinyasi.stock_move").count() == len(movements)
    assert Variant.objects.get().stock == 3  # the online stock is another matter


REFUSED = [
    (
        "sell more than on hand",
        lambda s, g, lot, v: sale_create(
            location=s, items=[CartItem(v, 6)], method="tunai", cash_given=10**7, actor=COMMAND_LINE
        ),
    ),
    (
        "return more than on hand",
        lambda s, g, lot, v: seller_return_create(
            location=s, seller=v.product.seller, items=[(lot, 6)], actor=COMMAND_LINE
        ),
    ),
    (
        "transfer more than on hand",
        lambda s, g, lot, v: transfer_create(source=s, target=g, items=[(lot, 6)], actor=COMMAND_LINE),
    ),
    (
        "count difference without reason",
        lambda s, g, lot, v: stock_count_record(location=s, items=[CountItem(lot, 4)], actor=COMMAND_LINE),
    ),
    (
        "sell at a warehouse",
        lambda s, g, lot, v: sale_create(
            location=g, items=[CartItem(v, 1)], method="tunai", cash_given=10**7, actor=COMMAND_LINE
        ),
    ),
    (
        "cash short of the total",
        lambda s, g, lot, v: sale_create(
            location=s, items=[CartItem(v, 1)], method="tunai", cash_given=1, actor=COMMAND_LINE
        ),
    ),
    (
        "qris not confirmed",
        lambda s, g, lot, v: sale_create(location=s, items=[CartItem(v, 1)], method="qris", actor=COMMAND_LINE),
    ),
]


@pytest.mark.parametrize(("case", "attempt"), REFUSED, ids=[c for c, _a in REFUSED])
def test_refusals_change_nothing(db, case, attempt):
    showroom = make_location()
    warehouse = make_location(name="Gudang", kind=LocationKind.WAREHOUSE)
    variant = make_variant(make_seller())
    lot = receive(showroom, variant, 5)
    with pytest.raises(REFUSALS):
        attempt(showroom, warehouse, lot, variant)
    assert lot_quantity(location=showroom, lot=lot) == 5
    assert StockMovement.objects.count() == 1


def test_sale_takes_the_lot_that_expires_first(db, admin_user):
    showroom = make_location()
    variant = make_variant(make_seller())
    late = receive(showroom, variant, 3, expires_on=date(2027, 1, 31))
    early = receive(showroom, variant, 2, expires_on=date(2026, 12, 10))
    sale = sale_create(
        location=showroom, items=[CartItem(variant, 3)], method="tunai", cash_given=10**7, actor=COMMAND_LINE
    )
    assert [(line.lot_id, line.quantity) for line in sale.lines.order_by("position")] == [(early.pk, 2), (late.pk, 1)]
    assert list(expiring_soon(user=admin_user, today=date(2026, 12, 1), days=30)) == []  # early lot sold out
    assert [b.lot_id for b in expiring_soon(user=admin_user, today=date(2026, 12, 1), days=61)] == [late.pk]


def test_shared_receipt_line_lives_in_the_online_stock(db):
    showroom = make_location()
    variant = make_variant(make_seller(), stock=1)
    receive(showroom, variant, 4, shared=True)
    assert Variant.objects.get().stock == 5
    sale = sale_create(
        location=showroom, items=[CartItem(variant, 5)], method="qris", qris_confirmed=True, actor=COMMAND_LINE
    )
    assert [line.online for line in sale.lines.all()] == [True]
    assert Variant.objects.get().stock == 0
    assert StockMovement.objects.filter(kind=MovementKind.SALE).get().balance_after == 0


def test_closed_day_is_frozen(db):
    from apps.konsinyasi.services import day_close

    showroom = make_location()
    variant = make_variant(make_seller(), price=10000)
    receive(showroom, variant, 5)
    sale = sale_create(
        location=showroom,
        items=[CartItem(variant, 2)],
        method="tunai",
        cash_given=50000,
        actor=COMMAND_LINE,
        sold_at=NOON,
    )
    assert sale.change == 30000
    with pytest.raises(StockError):
        day_close(location=showroom, day=NOON.date(), counted_cash=15000, actor=COMMAND_LINE)
    closing = day_close(location=showroom, day=NOON.date(), counted_cash=15000, actor=COMMAND_LINE, reason="uang palsu")
    assert (closing.expected_cash, closing.difference, closing.sales_count) == (20000, -5000, 1)
    with pytest.raises(StockError):
        sale_create(
            location=showroom,
            items=[CartItem(variant, 1)],
            method="tunai",
            cash_given=10**6,
            actor=COMMAND_LINE,
            sold_at=NOON,
        )
    with pytest.raises(StockError):
        sale_cancel(sale=sale, reason="x", actor=COMMAND_LINE)
    with pytest.raises(StockError):
        day_close(location=showroom, day=NOON.date(), counted_cash=20000, actor=COMMAND_LINE)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["sell", "count", "return", "transfer"]), st.integers(0, 7)), max_size=8))
def test_stock_never_negative_and_movements_add_up(db, ops):
    """Whatever the operations, refused or not, each balance equals the sum of its movements, ≥ 0."""
    from django.db import transaction

    with transaction.atomic():
        showroom = make_location(name="S-hyp")
        warehouse = make_location(name="G-hyp", kind=LocationKind.WAREHOUSE)
        variant = make_variant(make_seller())
        lot = receive(showroom, variant, 5)
        for op, n in ops:
            try:
                with transaction.atomic():
                    if op == "sell":
                        sale_create(
                            location=showroom,
                            items=[CartItem(variant, n)],
                            method="tunai",
                            cash_given=10**8,
                            actor=COMMAND_LINE,
                        )
                    elif op == "count":
                        stock_count_record(location=showroom, items=[CountItem(lot, n, reason="r")], actor=COMMAND_LINE)
                    elif op == "return":
                        seller_return_create(
                            location=showroom, seller=variant.product.seller, items=[(lot, n)], actor=COMMAND_LINE
                        )
                    else:
                        transfer_create(source=showroom, target=warehouse, items=[(lot, n)], actor=COMMAND_LINE)
            except REFUSALS:
                pass
        for place in (showroom, warehouse):
            total = sum(StockMovement.objects.filter(location=place).values_list("quantity", flat=True))
            assert lot_quantity(location=place, lot=lot) == total >= 0
        transaction.set_rollback(True)


def test_decimal_percent_terms(db):
    showroom = make_location()
    variant = make_variant(make_seller(), price=15000)
    lot = receive(showroom, variant, 5, percent="12.5")
    assert lot.commission_percent == Decimal("12.50")
