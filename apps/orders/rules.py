"""The order lifecycle as a table: which transition may start from which states, and where it ends.

Every transition is one service in `services/fulfilment.py` (or `services/payments.py` for paying);
this table is the single place that says what is allowed, and the tests read it back as a literal.
"""

from apps.orders.models import OrderStatus as S

TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    # name: (allowed from, to)
    "pay": (frozenset({S.PLACED}), S.PAID),
    "process": (frozenset({S.PAID, S.PLACED}), S.PROCESSING),  # PLACED only for cash on delivery
    "ship": (frozenset({S.PROCESSING}), S.SHIPPED),
    "deliver": (frozenset({S.PROCESSING, S.SHIPPED}), S.DELIVERED),  # PROCESSING only for pickup
    "complete": (frozenset({S.SHIPPED, S.DELIVERED}), S.COMPLETED),
    "cancel": (frozenset({S.PLACED}), S.CANCELLED),
    "refund": (frozenset({S.PAID, S.PROCESSING}), S.REFUNDED),
    "return": (frozenset({S.COMPLETED, S.RETURNED}), S.RETURNED),
}

# Orders whose goods are still reserved from stock (placed but not paid, or not yet sent).
OPEN_STATUSES = frozenset({S.PLACED, S.PAID, S.PROCESSING})


def can(transition: str, status: str) -> bool:
    return status in TRANSITIONS[transition][0]


def weight_kg_charged(weight_grams: int) -> int:
    """Couriers charge whole kilograms, rounded up, at least 1 kg."""
    return max(1, -(-weight_grams // 1000))
