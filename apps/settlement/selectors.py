"""Reads of the settlement: which ledger lines a statement counts, its totals, the lists and access.

Which lines: every omzet line of the seller whose money the department collected (channel not a
marketplace; a web-store line only when its order was paid by transfer or gateway: cash on delivery is
collected by the seller itself), attributed to the department that collected it (a web-store payment
reaches the store account's department, `ORDERS_STORE_ACCOUNT_REGENCY`; any other sale the regency that
booked it), dated before the end of the statement's month, less what closed statements already counted of
it. A line never counted is a sale or a return; a line counted before whose value changed since is a
correction of the difference.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from apps.core.actors import user_regency_codes
from apps.core.formatting import WIB
from apps.core.roles import OFFICERS
from apps.konsinyasi.models import Sale as ConsignmentSale
from apps.omzet.models import ChannelKind, OfflineSale, OmzetLine
from apps.orders.conf import store_account_regency
from apps.orders.models import Order, PaymentMethod
from apps.settlement.models import (
    CommissionRule,
    LineKind,
    Statement,
    StatementLine,
    StatementStatus,
)
from apps.settlement.rules import commission_of, period_until, return_commission, rule_for
from apps.store.models import Seller


@dataclass
class Item:
    """One line of a statement (live from the ledger, or as a closed statement stored it)."""

    omzet_line_id: int
    kind: str
    counted_at: datetime
    channel_name: str
    source: str
    product_name: str
    quantity: int
    gross: int
    commission: int

    @property
    def net(self) -> int:
        return self.gross - self.commission

    @property
    def kind_label(self) -> str:
        return str(LineKind(self.kind).label)


@dataclass
class Summary:
    opening: int = 0
    gross: int = 0
    commission: int = 0
    net: int = 0
    adjustments: int = 0
    payouts: int = 0
    items: list[Item] = field(default_factory=list)

    @property
    def closing(self) -> int:
        return self.opening + self.net + self.adjustments - self.payouts


# --- which lines -------------------------------------------------------------------------------------


def _sale_of(line: OmzetLine) -> OmzetLine:
    """The sale a line is, or reverses."""
    return line.reverses if line.reverses is not None else line


def _web_order_number(line: OmzetLine) -> str | None:
    key = _sale_of(line).source_key
    if not key.startswith("web:"):
        return None
    return key[len("web:") :].rsplit(":", 1)[0]


def _offline_sale_id(line: OmzetLine) -> int | None:
    key = _sale_of(line).source_key
    parts = key.split(":")
    if len(parts) >= 2 and parts[0] == "luring" and parts[1].isdigit():
        return int(parts[1])
    return None


def _consignment_sale_id(line: OmzetLine) -> int | None:
    parts = _sale_of(line).source_key.split(":")
    if len(parts) >= 3 and parts[:2] == ["konsinyasi", "sale"] and parts[2].isdigit():
        return int(parts[2])
    return None


def _receipt_numbers(ids: set[int]) -> dict[int, str]:
    """Receipt numbers of showroom quick sales (`apps.konsinyasi`)."""
    if not ids:
        return {}
    return dict(ConsignmentSale.objects.filter(pk__in=ids).values_list("pk", "number"))


@dataclass
class _Context:
    """What the lines of one seller need from other tables, read once per computation."""

    cod_orders: set[str]
    offline: dict[int, Any]
    receipts: dict[int, str]
    rules: dict[str, list[CommissionRule]]
    store_regency: str


def _context(lines: list[OmzetLine]) -> _Context:
    numbers = {n for n in (_web_order_number(x) for x in lines) if n}
    cod = set(
        Order.objects.filter(number__in=numbers, payment__method=PaymentMethod.COD).values_list("number", flat=True)
    )
    sale_ids = {s for s in (_offline_sale_id(x) for x in lines) if s}
    offline = {
        s["pk"]: s
        for s in OfflineSale.objects.filter(pk__in=sale_ids).values("pk", "invoice_number", "office_name", "sale_date")
    }
    rules: dict[str, list[CommissionRule]] = defaultdict(list)
    for rule in CommissionRule.objects.filter(regency_id__in={x.regency_id for x in lines}):
        rules[rule.regency_id].append(rule)
    receipts = _receipt_numbers({s for s in (_consignment_sale_id(x) for x in lines) if s})
    return _Context(
        cod_orders=cod, offline=offline, receipts=receipts, rules=rules, store_regency=store_account_regency()
    )


def collector_of(line: OmzetLine, ctx: _Context) -> str | None:
    """The regency whose department received the money of the line, or None when no department did."""
    kind = line.channel.kind
    if kind == ChannelKind.MARKETPLACE:
        return None
    if kind == ChannelKind.WEB:
        number = _web_order_number(line)
        if number is None or number in ctx.cod_orders:
            return None
        return ctx.store_regency
    return line.regency_id


def source_of(line: OmzetLine, ctx: _Context) -> str:
    """Where the line came from, as a person finds it: order number, invoice or receipt, festival booth."""
    reversed_ = line.reverses_id is not None
    number = _web_order_number(line)
    if number is not None:
        return (_("Retur pesanan %(n)s") if reversed_ else _("Pesanan %(n)s")) % {"n": number}
    sale_id = _offline_sale_id(line)
    if sale_id is not None:
        sale = ctx.offline.get(sale_id)
        if sale and sale["invoice_number"]:
            label = _("Faktur %(f)s") % {"f": sale["invoice_number"]}
            if sale["office_name"]:
                label += f" ({sale['office_name']})"
        else:
            label = _("Nota %(c)s no. %(n)s") % {"c": line.channel.name, "n": sale_id}
        return _("Pembatalan %(s)s") % {"s": label} if reversed_ else label
    receipt = ctx.receipts.get(_consignment_sale_id(line) or 0)
    if receipt:
        return (_("Retur struk %(n)s") if reversed_ else _("Struk %(n)s")) % {"n": receipt}
    if line.channel.code == "festival":
        return line.product_name
    return _("%(c)s, %(d)s") % {"c": line.channel.name, "d": line.counted_at.astimezone(WIB).strftime("%d-%m-%Y")}


def _commissions(lines: list[OmzetLine], ctx: _Context) -> dict[int, int]:
    """Commission of each line: the agreed one stored in the ledger (consigned goods), else the rule of the
    sale's date; a return gives back its cumulative share (`rules.return_commission`)."""
    out: dict[int, int] = {}
    returned: dict[int, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for line in sorted(lines, key=lambda x: (x.counted_at, x.pk)):
        if line.commission is not None:
            out[line.pk] = line.commission
            continue
        sale = _sale_of(line)
        rule = rule_for(
            ctx.rules.get(sale.regency_id, []),
            channel_code=line.channel.code,
            seller_id=line.seller_id,
            day=sale.counted_at.astimezone(WIB).date(),
        )
        if line.reverses_id is None:
            out[line.pk] = commission_of(rule, amount=line.amount, quantity=line.quantity)
        else:
            this = (-line.amount, -line.quantity)
            before = returned[line.reverses_id]
            out[line.pk] = return_commission(rule, before=before, this=this)
            returned[line.reverses_id] = (before[0] + this[0], before[1] + this[1])
    return out


def pending_items(*, regency_code: str, seller: Seller, until: datetime) -> list[Item]:
    """The lines the department `regency_code` owes `seller` for, dated before `until`, that no closed
    statement has counted yet (or has counted at another value: a correction of the difference)."""
    settled: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in (
        StatementLine.objects.filter(
            statement__regency_id=regency_code, statement__seller=seller, statement__status=StatementStatus.CLOSED
        )
        .values("omzet_line_id")
        .annotate(g=Sum("gross"), c=Sum("commission"))
    ):
        settled[row["omzet_line_id"]] = [row["g"], row["c"]]
    lines = list(
        OmzetLine.objects.filter(Q(seller=seller, counted_at__lt=until) | Q(pk__in=list(settled)))
        .exclude(channel__kind=ChannelKind.MARKETPLACE)
        .select_related("channel", "reverses")
        .order_by("counted_at", "pk")
    )
    ctx = _context(lines)
    commissions = _commissions([x for x in lines if x.seller_id == seller.pk and x.counted_at < until], ctx)
    items = []
    for line in lines:
        if line.counted_at >= until:
            continue  # a later month's (also a counted line since re-dated: corrected when its month comes)
        counts = line.seller_id == seller.pk and collector_of(line, ctx) == regency_code
        gross, commission = (line.amount, commissions[line.pk]) if counts else (0, 0)
        if line.pk in settled:
            gross, commission = gross - settled[line.pk][0], commission - settled[line.pk][1]
            kind = LineKind.CORRECTION
        else:
            kind = LineKind.RETURN if line.reverses_id else LineKind.SALE
        if not counts and line.pk not in settled:
            continue
        if gross == 0 and commission == 0:
            continue
        items.append(
            Item(
                omzet_line_id=line.pk,
                kind=kind,
                counted_at=line.counted_at,
                channel_name=line.channel.name,
                source=source_of(line, ctx),
                product_name=line.product_name,
                quantity=line.quantity if kind != LineKind.CORRECTION else 0,
                gross=gross,
                commission=commission,
            )
        )
    return items


# --- statements --------------------------------------------------------------------------------------


def previous_statement(statement: Statement) -> Statement | None:
    return (
        Statement.objects.filter(
            regency_id=statement.regency_id, seller_id=statement.seller_id, period__lt=statement.period
        )
        .order_by("-period")
        .first()
    )


def statement_items(statement: Statement) -> list[Item]:
    """The statement's lines: the stored snapshot once closed; while open, the pending ledger lines dated
    in its month or before (those dated up to the end of an earlier open statement belong to that one)."""
    if statement.is_closed:
        return [
            Item(
                omzet_line_id=x.omzet_line_id,
                kind=x.kind,
                counted_at=x.counted_at,
                channel_name=x.channel_name,
                source=x.source,
                product_name=x.product_name,
                quantity=x.quantity,
                gross=x.gross,
                commission=x.commission,
            )
            for x in statement.lines.order_by("counted_at", "pk")
        ]
    items = pending_items(
        regency_code=statement.regency_id, seller=statement.seller, until=period_until(statement.period)
    )
    earlier_open = (
        Statement.objects.filter(
            regency_id=statement.regency_id,
            seller_id=statement.seller_id,
            period__lt=statement.period,
            status=StatementStatus.OPEN,
        )
        .order_by("-period")
        .first()
    )
    if earlier_open is not None:
        after = period_until(earlier_open.period)
        items = [x for x in items if x.counted_at >= after]
    return items


def statement_summary(statement: Statement) -> Summary:
    """Opening balance, lines, totals and closing balance: frozen when closed, from the ledger when open."""
    items = statement_items(statement)
    if statement.is_closed:
        return Summary(
            opening=statement.opening_balance,
            gross=statement.gross,
            commission=statement.commission,
            net=statement.net,
            adjustments=statement.adjustments,
            payouts=statement.payouts,
            items=items,
        )
    previous = previous_statement(statement)
    opening = statement_summary(previous).closing if previous is not None else 0
    gross = sum(x.gross for x in items)
    commission = sum(x.commission for x in items)
    return Summary(
        opening=opening,
        gross=gross,
        commission=commission,
        net=gross - commission,
        adjustments=int(statement.adjustment_rows.aggregate(s=Sum("amount"))["s"] or 0),
        payouts=int(statement.payout_rows.aggregate(s=Sum("amount"))["s"] or 0),
        items=items,
    )


def candidate_sellers(*, regency_code: str, until: datetime) -> QuerySet[Seller]:
    """Sellers who may have lines collected by the department of `regency_code` before `until`, or a
    statement there already."""
    collected = Q(regency_id=regency_code) & ~Q(channel__kind__in=[ChannelKind.MARKETPLACE, ChannelKind.WEB])
    if regency_code == store_account_regency():
        collected |= Q(channel__kind=ChannelKind.WEB)
    with_lines = OmzetLine.objects.filter(collected, counted_at__lt=until, seller__isnull=False).values("seller_id")
    with_statements = Statement.objects.filter(regency_id=regency_code).values("seller_id")
    return Seller.objects.filter(Q(pk__in=with_lines) | Q(pk__in=with_statements)).order_by("shop_name", "pk")


@dataclass
class ListFilters:
    search: str = ""
    status: str = ""
    only_owed: bool = False


def statement_rows(*, user: Any, period: date, filters: ListFilters | None = None) -> list[dict[str, Any]]:
    """The statements of `period` in the officer's regencies, each with its summary."""
    filters = filters or ListFilters()
    qs = scoped_statements(user).filter(period=period).select_related("seller", "regency")
    if filters.search:
        qs = qs.filter(seller__shop_name__icontains=filters.search)
    if filters.status:
        qs = qs.filter(status=filters.status)
    rows = []
    for statement in qs.order_by("seller__shop_name", "regency_id"):
        summary = statement_summary(statement)
        if filters.only_owed and summary.closing <= 0:
            continue
        rows.append({"statement": statement, "summary": summary})
    return rows


def scoped_statements(user: Any) -> QuerySet[Statement]:
    codes = user_regency_codes(user)
    qs = Statement.objects.all()
    if codes is None:
        return qs
    return qs.filter(regency_id__in=codes)


def access_statement(user: Any, pk: int) -> Statement:
    """A statement of an officer's regencies or of the user's own shop; 404 for missing and not-yours."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    qs = Statement.objects.select_related("seller", "regency")
    statement = qs.filter(pk=pk).first()
    if statement is None:
        raise Http404
    codes = user_regency_codes(user)
    officer = user.has_role(*OFFICERS) and (codes is None or statement.regency_id in codes)
    if not officer and not statement.seller.members.filter(user=user).exists():
        raise Http404
    return statement


def seller_statements(seller: Seller) -> list[dict[str, Any]]:
    """Every statement of the seller (all collecting departments), newest first, with its summary."""
    return [
        {"statement": s, "summary": statement_summary(s)}
        for s in Statement.objects.filter(seller=seller).select_related("regency").order_by("-period", "regency_id")
    ]


def seller_balance(seller: Seller) -> int:
    """What the departments owe the seller now: the closing balance of its latest statement with each."""
    total = 0
    latest: dict[str, Statement] = {}
    for s in Statement.objects.filter(seller=seller).order_by("period"):
        latest[s.regency_id] = s
    for s in latest.values():
        total += statement_summary(s).closing
    return total
