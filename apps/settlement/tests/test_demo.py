import io

import pytest

from apps.core.management.commands.demo import DemoContext
from apps.omzet.tests.factories import make_seller, make_variant
from apps.settlement import demo
from apps.settlement.models import CommissionRule, Statement
from apps.settlement.selectors import statement_summary

pytestmark = pytest.mark.django_db


def test_demo_builds_last_months_statements_in_purbalingga_once(operator, make_user):
    owner = make_user("penjual", role="mitra_umkm")
    seller = make_seller(name="Nopia Mino", district="33.03.05", user=owner)
    make_variant(seller=seller, sku="NM-1", price=25_000)
    for _ in range(2):
        ctx = DemoContext(seed=1, scale=1, stdout=io.StringIO())
        ctx["users"] = {"operator": operator, "penjual": owner}
        demo.build(ctx)
    statement = Statement.objects.get(seller=seller)
    summary = statement_summary(statement)
    assert CommissionRule.objects.count() == 2
    assert (summary.gross, summary.commission, summary.adjustments) == (75_000, 7_500, -150_000)
    assert statement.payout_rows.count() == 0  # nothing owed after the booth fee: no payout
