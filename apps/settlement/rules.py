"""The commission rule and the settlement month, as plain functions (table-tested in tests/test_rules.py)."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Protocol

from apps.core.formatting import WIB


class RuleLike(Protocol):
    channel_code: str
    seller_id: int | None
    percent_bp: int
    fee_per_unit: int
    valid_from: date


def rule_for(rules: Iterable[RuleLike], *, channel_code: str, seller_id: int | None, day: date) -> RuleLike | None:
    """The rule of a sale: among the rules valid on `day` for this seller (or every seller) and this channel
    (or every channel), the seller's own before the default, a channel's own before all channels, then the
    latest `valid_from` (a change mid-month applies to the sales dated from its start)."""
    best: RuleLike | None = None
    best_key: tuple[bool, bool, date] | None = None
    for rule in rules:
        if (
            rule.valid_from > day
            or rule.seller_id not in (None, seller_id)
            or rule.channel_code not in ("", channel_code)
        ):
            continue
        key = (rule.seller_id is not None, rule.channel_code != "", rule.valid_from)
        if best_key is None or key > best_key:
            best, best_key = rule, key
    return best


def commission_of(rule: RuleLike | None, *, amount: int, quantity: int) -> int:
    """Commission on a sale of `amount` rupiah and `quantity` units: the percentage rounded down to whole
    rupiah plus the fee per unit, never more than the sale itself."""
    if rule is None or amount <= 0:
        return 0
    return min(amount, amount * rule.percent_bp // 10000 + rule.fee_per_unit * max(quantity, 0))


def return_commission(rule: RuleLike | None, *, before: tuple[int, int], this: tuple[int, int]) -> int:
    """Commission given back by a return of `this` (amount, quantity; positive) after earlier returns of the
    same sale totalling `before`: the difference of the cumulative commissions, so returning every unit, in
    any number of returns, gives back exactly the sale's commission. Negative (or zero)."""
    after = (before[0] + this[0], before[1] + this[1])
    return -(
        commission_of(rule, amount=after[0], quantity=after[1])
        - commission_of(rule, amount=before[0], quantity=before[1])
    )


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(period: date) -> date:
    return (period.replace(day=28) + timedelta(days=4)).replace(day=1)


def previous_month(period: date) -> date:
    return (period.replace(day=1) - timedelta(days=1)).replace(day=1)


def period_end(period: date) -> date:
    """The last day of the month."""
    return next_month(period) - timedelta(days=1)


def period_until(period: date) -> datetime:
    """The first instant (WIB) after the month: lines counted before it belong to the month or earlier."""
    return datetime.combine(next_month(period), time(0, 0), tzinfo=WIB)


def parse_period(value: str | None) -> date | None:
    """`2026-11` → 1 November 2026; None for anything else."""
    if not value or len(value) != 7 or value[4] != "-":
        return None
    try:
        return date(int(value[:4]), int(value[5:]), 1)
    except ValueError:
        return None
