"""A payout recorded while an officer closes the same statement (PostgreSQL, real threads): either the
payout is in the closed statement's frozen totals, or it is refused; never stored beside a closed
statement without counting."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from apps.core.testing import POSTGRES_PARALLEL, run_parallel
from apps.omzet.tests.factories import make_seller, make_variant
from apps.settlement.models import Payout, Statement
from apps.settlement.services import payout_record, statement_close, statements_generate
from apps.settlement.tests.factories import rule, showroom_sale

pytestmark = POSTGRES_PARALLEL


@pytest.mark.parametrize("round_", range(3))
def test_payout_racing_the_close_is_counted_or_refused(transactional_regions, operator, round_):
    seller = make_seller(name=f"Toko Balapan {round_}")
    rule(percent_bp=1000, valid_from=date(2026, 1, 1))
    showroom_sale(make_variant(seller=seller, sku=f"RC-{round_}", price=100_000), day=date(2026, 2, 3), quantity=1)
    statements_generate(regency_code="33.03", period=date(2026, 2, 1), actor=operator)
    statement = Statement.objects.get(seller=seller)

    def work(i):
        if i == 0:
            return statement_close(statement=statement, actor=operator)
        return payout_record(statement=statement, day=date(2026, 2, 28), amount=30_000, reference="R", actor=operator)

    results = run_parallel(2, work)
    statement.refresh_from_db()
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)], results
    assert statement.is_closed
    stored = Payout.objects.filter(statement=statement).count()
    assert statement.payouts == 30_000 * stored
    assert statement.closing_balance == 90_000 - statement.payouts
