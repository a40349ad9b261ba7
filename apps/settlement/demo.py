"""Demo settlement for Purbalingga (33.03): the department's commission rule, a showroom sale of the demo
seller's goods last month, and last month's statements of every seller (with a festival booth fee and a
first payout on the demo seller's). Through the real services; running it again changes nothing."""

from datetime import date
from typing import Any

from apps.core.formatting import today_wib
from apps.omzet.models import OfflineSale
from apps.omzet.offline import SaleItem, offline_sale_record
from apps.settlement.models import CommissionRule, Statement
from apps.settlement.rules import month_start, previous_month
from apps.settlement.selectors import statement_summary
from apps.settlement.services import adjustment_add, commission_rule_save, payout_record, statements_generate
from apps.store.models import Variant

REGENCY = "33.03"
NOTE = "Demo penyelesaian: penjualan showroom"


def build(ctx: Any) -> None:
    users = ctx.get("users", {})
    operator = users.get("operator")
    if operator is None:
        return
    period = previous_month(month_start(today_wib()))
    if not CommissionRule.objects.filter(regency_id=REGENCY).exists():
        commission_rule_save(
            rule=CommissionRule(
                regency_id=REGENCY, percent_bp=1000, valid_from=date(2019, 1, 1), note="Komisi dinas 10%"
            ),
            actor=operator,
        )
        commission_rule_save(
            rule=CommissionRule(
                regency_id=REGENCY,
                channel_code="festival",
                percent_bp=500,
                valid_from=date(2019, 1, 1),
                note="Festival: 5% (biaya stan ditagih terpisah)",
            ),
            actor=operator,
        )
    seller_user = users.get("penjual")
    variant = (
        Variant.objects.filter(product__seller__members__user=seller_user, product__seller__regency_id=REGENCY)
        .select_related("product__seller")
        .order_by("pk")
        .first()
        if seller_user is not None
        else None
    )
    if variant is not None and not OfflineSale.objects.filter(regency_id=REGENCY, note=NOTE).exists():
        offline_sale_record(
            regency_code=REGENCY,
            channel_code="showroom",
            sale_date=period.replace(day=12),
            items=[SaleItem(variant, 3)],
            note=NOTE,
            actor=operator,
        )
    statements_generate(regency_code=REGENCY, period=period, actor=operator)
    if variant is None:
        return
    statement = Statement.objects.filter(regency_id=REGENCY, seller=variant.product.seller, period=period).first()
    if statement is None or statement.is_closed:
        return
    if not statement.adjustment_rows.exists():
        adjustment_add(
            statement=statement,
            day=period.replace(day=20),
            amount=-150_000,
            reason="Biaya stan festival",
            actor=operator,
        )
    if not statement.payout_rows.exists():
        owed = statement_summary(statement).closing
        if owed > 0:
            payout_record(
                statement=statement,
                day=period.replace(day=25),
                amount=max(owed // 2 // 1000 * 1000, 1),
                reference="TRF-DEMO-001",
                actor=operator,
            )
    ctx.stdout.write(f"penyelesaian: laporan {period:%m/%Y} Purbalingga\n")
