"""Property: whatever the sales, returns, fees, payouts and closings, each statement's closing balance is
its opening plus nets plus adjustments minus payouts, the balances chain, and a closed statement never
changes afterwards."""

from datetime import date

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.omzet.tests.factories import make_seller, make_variant
from apps.settlement.models import Statement
from apps.settlement.rules import month_start
from apps.settlement.selectors import statement_summary
from apps.settlement.services import adjustment_add, payout_record, statement_close, statements_generate
from apps.settlement.tests.factories import festival_sale, rule, showroom_sale, web_return, web_sale

pytestmark = pytest.mark.django_db

MONTHS = [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]

step = st.one_of(
    st.tuples(st.just("web"), st.integers(0, 2), st.integers(1, 28), st.integers(1, 5)),
    st.tuples(st.just("room"), st.integers(0, 2), st.integers(1, 28), st.integers(1, 5)),
    st.tuples(st.just("booth"), st.integers(0, 2), st.integers(1, 28), st.integers(0, 500_000)),
    st.tuples(st.just("return"), st.integers(0, 2), st.integers(1, 28), st.integers(1, 3)),
    st.tuples(st.just("fee"), st.integers(0, 2), st.integers(1, 28), st.integers(-200_000, 200_000)),
    st.tuples(st.just("pay"), st.integers(0, 2), st.integers(1, 28), st.integers(1, 300_000)),
    st.tuples(st.just("close"), st.integers(0, 2), st.just(1), st.just(0)),
)


def snapshot(statement):
    s = statement_summary(statement)
    return (
        s.opening,
        s.gross,
        s.commission,
        s.adjustments,
        s.payouts,
        s.closing,
        [(x.omzet_line_id, x.net) for x in s.items],
    )


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, max_size=10))
def test_balances_chain_and_closed_statements_never_change(steps, operator):
    with transaction.atomic():
        seller = make_seller(name="Toko Sifat")
        variant = make_variant(seller=seller, sku=f"PROP-{id(steps)}", price=12_345)
        rule(percent_bp=777, fee=150, valid_from=date(2026, 1, 1))
        rule(percent_bp=1500, valid_from=date(2026, 2, 10))
        sales = []
        frozen: dict[int, tuple] = {}
        for kind, m, day, value in steps:
            when = MONTHS[m].replace(day=day)
            if kind == "web":
                sales.append([web_sale(variant, day=when, quantity=value), value])
            elif kind == "room":
                showroom_sale(variant, day=when, quantity=value)
            elif kind == "booth":
                festival_sale(seller, day=when, amount=value, booth=f"B{m}")
            elif kind == "return" and sales:
                sale = sales[value % len(sales)]
                if sale[1] and sale[0].counted_at.date() <= when:
                    web_return(sale[0], day=when, quantity=1)
                    sale[1] -= 1
            elif kind in ("fee", "pay", "close"):
                for month in MONTHS[: m + 1]:
                    statements_generate(regency_code="33.03", period=month, actor=operator)
                target = (
                    Statement.objects.filter(seller=seller, status="terbuka", period__lte=MONTHS[m])
                    .order_by("period")
                    .first()
                )
                if target is None:
                    continue
                if kind == "fee" and value:
                    adjustment_add(statement=target, day=when, amount=value, reason="biaya", actor=operator)
                elif kind == "pay":
                    payout_record(statement=target, day=when, amount=value, reference="R", actor=operator)
                elif kind == "close":
                    statement_close(statement=target, actor=operator)
                    target.refresh_from_db()
                    frozen[target.pk] = snapshot(target)
        for month in MONTHS:
            if month <= month_start(date.today()):
                statements_generate(regency_code="33.03", period=month, actor=operator)
        for pk, snap in frozen.items():
            assert snapshot(Statement.objects.get(pk=pk)) == snap
        previous = 0
        for statement in Statement.objects.filter(seller=seller).order_by("period"):
            s = statement_summary(statement)
            assert s.opening == previous
            assert s.closing == s.opening + sum(x.net for x in s.items) + s.adjustments - s.payouts
            assert s.net == sum(x.net for x in s.items)
            previous = s.closing
        transaction.set_rollback(True)
