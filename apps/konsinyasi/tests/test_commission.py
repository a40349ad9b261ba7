"""The department's commission on a quick sale, as booked on the omzet line the settlement reads."""

from datetime import datetime

import pytest

from apps.core.actors import COMMAND_LINE
from apps.core.formatting import WIB
from apps.konsinyasi.services import CartItem, sale_create, sale_line_return
from apps.konsinyasi.tests.factories import make_location, make_seller, make_variant, receive
from apps.omzet.models import OmzetLine

NOON = datetime(2026, 11, 3, 12, 0, tzinfo=WIB)

# selling price, harga titip, commission %, units sold, units returned → (omzet amount, commission) of the
# sale, and of each return line in order
COMMISSIONS = [
    # harga titip: the sale less the agreed price to the seller
    (25000, 20000, None, 1, [], (25000, 5000), []),
    (25000, 20000, None, 3, [], (75000, 15000), []),
    (25000, 25000, None, 2, [], (50000, 0), []),  # sold at the agreed price: nothing for the department
    (18000, 15500, None, 4, [1], (72000, 10000), [(-18000, -2500)]),
    (18000, 15500, None, 4, [1, 3], (72000, 10000), [(-18000, -2500), (-54000, -7500)]),
    # percent of the sale, rounded down to the rupiah
    (25000, None, "10", 1, [], (25000, 2500), []),
    (15000, None, "12.5", 3, [], (45000, 5625), []),
    (9999, None, "15", 1, [], (9999, 1499), []),  # 1499.85 → 1499
    (9999, None, "15", 3, [1, 1, 1], (29997, 4499), [(-9999, -1499), (-9999, -1500), (-9999, -1500)]),
    (40000, None, "0", 2, [], (80000, 0), []),
    (40000, None, "100", 1, [], (40000, 40000), []),
]


@pytest.mark.parametrize(("price", "titip", "percent", "sold", "returns", "sale_line", "return_lines"), COMMISSIONS)
def test_commission_table(db, price, titip, percent, sold, returns, sale_line, return_lines):
    showroom = make_location()
    variant = make_variant(make_seller(), price=price)
    receive(showroom, variant, 10, price=price, titip=titip, percent=percent)
    sale = sale_create(
        location=showroom,
        items=[CartItem(variant, sold)],
        method="tunai",
        cash_given=10**7,
        actor=COMMAND_LINE,
        sold_at=NOON,
    )
    line = sale.lines.get()
    booked = OmzetLine.objects.get(source_key=f"konsinyasi:sale:{sale.pk}:line:1")
    assert (booked.amount, booked.commission) == sale_line
    assert (booked.channel.code, booked.quantity, booked.seller_id) == ("showroom", sold, variant.product.seller_id)
    assert line.commission == sale_line[1]
    for n in returns:
        sale_line_return(line=line, quantity=n, reason="rusak", actor=COMMAND_LINE, now=NOON)
    reversals = OmzetLine.objects.filter(reverses=booked).order_by("pk")
    assert [(r.amount, r.commission) for r in reversals] == return_lines
    if sum(returns) == sold:
        assert sum(r.commission for r in reversals) == -booked.commission


def test_outlet_books_on_channel_outlet(db):
    outlet = make_location(name="Outlet Owabong", kind="outlet")
    variant = make_variant(make_seller(), price=12000)
    receive(outlet, variant, 2, price=12000, titip=10000)
    sale = sale_create(
        location=outlet, items=[CartItem(variant, 1)], method="qris", qris_confirmed=True, actor=COMMAND_LINE
    )
    assert OmzetLine.objects.get(source_key=f"konsinyasi:sale:{sale.pk}:line:1").channel.code == "outlet"
