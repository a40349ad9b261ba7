"""Settlement tables (issue #14): what a month's statement counts, line by line, to the rupiah."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from apps.audit.models import AuditEntry
from apps.omzet.models import OfflineSale
from apps.omzet.services import omzet_record_sale
from apps.omzet.tests.factories import make_seller, make_variant
from apps.settlement.models import Statement, StatementLine
from apps.settlement.rules import commission_of, return_commission, rule_for
from apps.settlement.selectors import statement_summary
from apps.settlement.services import adjustment_add, payout_record, statement_close, statements_generate
from apps.settlement.tests.factories import festival_sale, noon, rule, showroom_sale, web_return, web_sale

pytestmark = pytest.mark.django_db

FEB, MAR = date(2026, 2, 1), date(2026, 3, 1)


class R:
    def __init__(self, channel_code="", seller_id=None, percent_bp=0, fee_per_unit=0, valid_from=date(2026, 1, 1)):
        self.channel_code, self.seller_id = channel_code, seller_id
        self.percent_bp, self.fee_per_unit, self.valid_from = percent_bp, fee_per_unit, valid_from


RULES = [
    R(percent_bp=1000),  # default 10%
    R(percent_bp=1200, valid_from=date(2026, 2, 15)),  # changed mid-February
    R(channel_code="festival", percent_bp=500),
    R(seller_id=7, percent_bp=800),  # a seller's own rate
    R(seller_id=7, channel_code="showroom", fee_per_unit=2000, valid_from=date(2026, 3, 1)),
]


@pytest.mark.parametrize(
    "channel, seller, day, amount, quantity, expected",
    [
        ("web", 1, date(2026, 2, 14), 100_000, 4, 10_000),  # the day before the change
        ("web", 1, date(2026, 2, 15), 100_000, 4, 12_000),  # from the change's first day
        ("festival", 1, date(2026, 2, 20), 300_000, 1, 15_000),  # the channel's rule
        ("web", 7, date(2026, 2, 20), 100_000, 4, 8_000),  # the seller's rule beats the newer default
        ("showroom", 7, date(2026, 3, 2), 100_000, 4, 8_000),  # fee per unit only, seller's channel rule
        ("web", 1, date(2025, 12, 31), 100_000, 4, 0),  # no rule yet
        ("web", 1, date(2026, 2, 1), 9, 1, 0),  # 10% of Rp9 rounds down
    ],
)
def test_commission_rule_table(channel, seller, day, amount, quantity, expected):
    chosen = rule_for(RULES, channel_code=channel, seller_id=seller, day=day)
    assert commission_of(chosen, amount=amount, quantity=quantity) == expected


def test_returns_give_back_exactly_the_sales_commission_whatever_the_split():
    r = R(percent_bp=1250, fee_per_unit=300)
    sale = commission_of(r, amount=70_001, quantity=7)
    parts, before = [], (0, 0)
    for amount, qty in [(10_000, 1), (30_001, 3), (30_000, 3)]:
        parts.append(return_commission(r, before=before, this=(amount, qty)))
        before = (before[0] + amount, before[1] + qty)
    assert -sum(parts) == sale == 70_001 * 1250 // 10000 + 2100


@pytest.fixture
def shop():
    seller = make_seller(name="Nopia Mino", district="33.03.05")
    variant = make_variant(seller=seller, sku="NM-1", name="Nopia Bawang", price=25_000)
    rule(percent_bp=1000, valid_from=date(2026, 1, 1))
    rule(percent_bp=1200, valid_from=date(2026, 2, 15))
    return seller, variant


def table(statement):
    return [
        (x.counted_at.date(), x.kind, x.source, x.quantity, x.gross, x.commission, x.net)
        for x in statement_summary(statement).items
    ]


def test_a_month_settled_then_a_return_a_late_sale_and_a_correction_land_in_the_next(shop, operator):
    seller, variant = shop
    sold = web_sale(variant, day=date(2026, 2, 3), quantity=4, number="TT-A-1")
    room1 = showroom_sale(variant, day=date(2026, 2, 10), quantity=2)
    room2 = showroom_sale(variant, day=date(2026, 2, 20), quantity=2)
    web_sale(variant, day=date(2026, 2, 21), quantity=3, method="cod", number="TT-COD-1")  # the seller's cash
    booth = festival_sale(seller, day=date(2026, 2, 22), amount=300_000)
    showroom_sale(variant, day=date(2026, 2, 25), quantity=1, channel="opd")
    omzet_record_sale(  # marketplace money never passes the department
        source_key="shopee:X1:NM-1",
        channel_code="shopee",
        regency_code="33.03",
        variant=variant,
        product_name="Nopia",
        quantity=1,
        amount=25_000,
        counted_at=noon(date(2026, 2, 26)),
        actor=None,
    )
    invoice = OfflineSale.objects.get(channel__code="opd").invoice_number

    assert statements_generate(regency_code="33.03", period=FEB, actor=operator) == 1
    feb = Statement.objects.get(seller=seller, period=FEB)
    room = "Nota Showroom no. %s"
    assert table(feb) == [
        (date(2026, 2, 3), "penjualan", "Pesanan TT-A-1", 4, 100_000, 10_000, 90_000),
        (date(2026, 2, 10), "penjualan", room % room1.source_key.split(":")[1], 2, 50_000, 5_000, 45_000),
        (date(2026, 2, 20), "penjualan", room % room2.source_key.split(":")[1], 2, 50_000, 6_000, 44_000),
        (date(2026, 2, 22), "penjualan", "Penjualan stan A1, Festival UMKM", 1, 300_000, 36_000, 264_000),
        (date(2026, 2, 25), "penjualan", f"Faktur {invoice} (Dinas Pariwisata)", 1, 25_000, 3_000, 22_000),
    ]
    adjustment_add(statement=feb, day=date(2026, 2, 22), amount=-150_000, reason="Biaya stan festival", actor=operator)
    payout_record(statement=feb, day=date(2026, 2, 28), amount=200_000, reference="TRF-1", actor=operator)
    s = statement_summary(feb)
    assert (s.opening, s.gross, s.commission, s.net, s.adjustments, s.payouts, s.closing) == (
        0,
        525_000,
        60_000,
        465_000,
        -150_000,
        200_000,
        115_000,
    )
    feb = statement_close(statement=feb, actor=operator)
    frozen = table(feb)

    # after closing: a return, a sale of February booked late, the festival day re-entered lower
    web_return(sold, day=date(2026, 3, 2), quantity=1)
    showroom_sale(variant, day=date(2026, 2, 27), quantity=1)
    festival_sale(seller, day=date(2026, 2, 22), amount=280_000)
    feb.refresh_from_db()
    assert table(feb) == frozen and feb.closing_balance == 115_000
    with pytest.raises(ValidationError):
        payout_record(statement=feb, day=date(2026, 3, 1), amount=1, reference="X", actor=operator)

    statements_generate(regency_code="33.03", period=MAR, actor=operator)
    mar = Statement.objects.get(seller=seller, period=MAR)
    late = OfflineSale.objects.filter(sale_date=date(2026, 2, 27)).get().pk
    assert table(mar) == [
        (date(2026, 2, 22), "koreksi", "Penjualan stan A1, Festival UMKM", 0, -20_000, -2_400, -17_600),
        (date(2026, 2, 27), "penjualan", room % late, 1, 25_000, 3_000, 22_000),
        (date(2026, 3, 2), "retur", "Retur pesanan TT-A-1", -1, -25_000, -2_500, -22_500),  # 10%: the sale's rule
    ]
    s = statement_summary(mar)
    assert (s.opening, s.net, s.closing) == (115_000, -18_100, 96_900)
    statement_close(statement=mar, actor=operator)
    assert StatementLine.objects.filter(statement=mar).count() == 3
    assert booth.pk in StatementLine.objects.filter(statement=mar).values_list("omzet_line_id", flat=True)
    assert AuditEntry.objects.filter(action="settlement.statement_close").count() == 2


def test_a_cod_order_is_not_owed_and_makes_no_statement(shop, operator):
    _seller, variant = shop
    web_sale(variant, day=date(2026, 2, 3), quantity=2, method="cod")
    assert statements_generate(regency_code="33.03", period=FEB, actor=operator) == 0


def test_gateway_payment_is_owed_by_the_store_accounts_department(operator, other_operator, settings):
    settings.ORDERS_STORE_ACCOUNT_REGENCY = "33.03"
    seller = make_seller(name="Getuk Banyumas", regency="33.02", district="33.02.01")
    variant = make_variant(seller=seller, sku="GB-1", price=10_000)
    web_sale(variant, day=date(2026, 2, 3), quantity=2, method="gateway")
    assert statements_generate(regency_code="33.02", period=FEB, actor=other_operator) == 0
    assert statements_generate(regency_code="33.03", period=FEB, actor=operator) == 1
    assert statement_summary(Statement.objects.get(regency_id="33.03")).gross == 20_000


def test_an_agreed_commission_in_the_ledger_beats_the_rule(shop, operator):
    seller, variant = shop
    omzet_record_sale(
        source_key="konsinyasi:1:1",
        channel_code="showroom",
        regency_code="33.03",
        variant=variant,
        product_name="Nopia",
        quantity=2,
        amount=50_000,
        commission=7_500,
        counted_at=noon(date(2026, 2, 5)),
        actor=None,
    )
    statements_generate(regency_code="33.03", period=FEB, actor=operator)
    assert [(x.source, x.commission) for x in statement_summary(Statement.objects.get()).items] == [
        ("Showroom, 05-02-2026", 7_500)
    ]


def test_statements_close_in_order_and_twice_is_refused(shop, operator):
    _seller, variant = shop
    showroom_sale(variant, day=date(2026, 2, 10), quantity=1)
    showroom_sale(variant, day=date(2026, 3, 10), quantity=1)
    statements_generate(regency_code="33.03", period=FEB, actor=operator)
    statements_generate(regency_code="33.03", period=MAR, actor=operator)
    feb, mar = Statement.objects.order_by("period")
    # while February is open, March shows only March
    assert [x.counted_at.date() for x in statement_summary(mar).items] == [date(2026, 3, 10)]
    with pytest.raises(ValidationError):
        statement_close(statement=mar, actor=operator)
    statement_close(statement=feb, actor=operator)
    with pytest.raises(ValidationError):
        statement_close(statement=feb, actor=operator)
    statement_close(statement=mar, actor=operator)
    mar.refresh_from_db()
    assert (mar.opening_balance, mar.closing_balance) == (22_500, 44_500)


@pytest.mark.parametrize("reason, amount", [("", -1000), ("  ", 5000), ("Biaya", 0)])
def test_adjustment_needs_a_reason_and_an_amount(shop, operator, reason, amount):
    _seller, variant = shop
    showroom_sale(variant, day=date(2026, 2, 10), quantity=1)
    statements_generate(regency_code="33.03", period=FEB, actor=operator)
    with pytest.raises(ValidationError):
        adjustment_add(statement=Statement.objects.get(), day=FEB, amount=amount, reason=reason, actor=operator)
    assert not Statement.objects.get().adjustment_rows.exists()
