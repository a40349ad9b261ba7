"""Reads of the consignment domain: locations in an officer's scope, stock on hand, what expires soon,
the quick-sale search, the day's figures and the reports (stock value, slow movers, sell-through)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404

from apps.konsinyasi.models import (
    DayClosing,
    Location,
    PaymentMethod,
    Receipt,
    ReceiptLine,
    Sale,
    SaleLine,
    SellerReturn,
    StockBalance,
    StockCount,
    StockMovement,
)
from apps.regions.selectors import scope_queryset
from apps.store.models import Seller, Variant


def location_list(*, user: Any) -> QuerySet[Location]:
    return scope_queryset(Location.objects.select_related("regency"), user).order_by("regency_id", "name")


def access_location(user: Any, pk: int) -> Location:
    location = location_list(user=user).filter(pk=pk).first()
    if location is None:
        raise Http404
    return location


def access_receipt(user: Any, pk: int) -> Receipt:
    receipt = (
        scope_queryset(Receipt.objects.select_related("location__regency", "seller"), user, "location__regency")
        .filter(pk=pk)
        .first()
    )
    if receipt is None:
        raise Http404
    return receipt


def access_sale(user: Any, pk: int) -> Sale:
    sale = scope_queryset(Sale.objects.select_related("location__regency"), user, "location__regency").filter(pk=pk)
    found = sale.first()
    if found is None:
        raise Http404
    return found


def access_seller_return(user: Any, pk: int) -> SellerReturn:
    found = (
        scope_queryset(SellerReturn.objects.select_related("location__regency", "seller"), user, "location__regency")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def receipt_lines(receipt: Receipt) -> QuerySet[ReceiptLine]:
    return receipt.lines.select_related("variant__product").order_by("pk")


def receipt_list(*, location: Location) -> QuerySet[Receipt]:
    return (
        Receipt.objects.filter(location=location)
        .select_related("seller")
        .annotate(units=Sum("lines__quantity"))
        .order_by("-received_on", "-pk")
    )


def sellers_of_regency(regency_code: str) -> QuerySet[Seller]:
    return Seller.objects.filter(regency_id=regency_code).order_by("shop_name")


def lot_balances(*, location: Location) -> QuerySet[StockBalance]:
    """Lots on hand at a location (kept apart from the online stock), earliest expiry first."""
    return (
        StockBalance.objects.filter(location=location, quantity__gt=0)
        .select_related("lot__receipt__seller", "variant__product")
        .order_by(F("lot__expires_on").asc(nulls_last=True), "lot_id")
    )


def lot_quantity(*, location: Location, lot: ReceiptLine) -> int:
    row = StockBalance.objects.filter(location=location, lot=lot).values_list("quantity", flat=True).first()
    return row or 0


@dataclass(frozen=True)
class StockRow:
    variant: Variant
    quantity: int
    value: int
    next_expiry: date | None


def stock_by_variant(*, location: Location) -> list[StockRow]:
    """Stock per variant at a location: its lots added up; value at the agreed selling prices."""
    rows: dict[int, StockRow] = {}
    for balance in lot_balances(location=location):
        before = rows.get(balance.variant_id)
        expiry = balance.lot.expires_on
        if before is not None:
            expiries = [d for d in (before.next_expiry, expiry) if d is not None]
            rows[balance.variant_id] = StockRow(
                balance.variant,
                before.quantity + balance.quantity,
                before.value + balance.quantity * balance.lot.selling_price,
                min(expiries) if expiries else None,
            )
        else:
            rows[balance.variant_id] = StockRow(
                balance.variant, balance.quantity, balance.quantity * balance.lot.selling_price, expiry
            )
    return sorted(rows.values(), key=lambda r: str(r.variant))


def expiring_soon(*, user: Any, today: date, days: int) -> QuerySet[StockBalance]:
    """Lots on hand whose expiry date falls within the next `days` days (or has passed)."""
    return (
        scope_queryset(StockBalance.objects.all(), user, "location__regency")
        .filter(quantity__gt=0, lot__expires_on__isnull=False, lot__expires_on__lte=today + timedelta(days=days))
        .select_related("location", "lot__receipt__seller", "variant__product")
        .order_by("lot__expires_on", "location__name", "lot_id")
    )


def movement_list(*, location: Location) -> QuerySet[StockMovement]:
    return (
        StockMovement.objects.filter(location=location)
        .select_related("variant__product", "lot__receipt", "created_by")
        .order_by("-pk")
    )


def stock_count_list(*, location: Location) -> QuerySet[StockCount]:
    return StockCount.objects.filter(location=location).prefetch_related("lines").order_by("-counted_on", "-pk")


# --- quick sale -------------------------------------------------------------------------------------


def sellable_variants(*, location: Location, query: str, limit: int = 20) -> list[dict[str, Any]]:
    """What the quick-sale screen offers: variants with stock at the location (its lots, or the online
    stock when shared) matching a name or SKU; an exact SKU (a scanned barcode) comes first."""
    query = query.strip()
    lots = StockBalance.objects.filter(location=location, quantity__gt=0)
    on_hand = dict(lots.values("variant_id").annotate(n=Sum("quantity")).values_list("variant_id", "n"))
    shared_ids = set(
        ReceiptLine.objects.filter(receipt__location=location, shares_online_stock=True).values_list(
            "variant_id", flat=True
        )
    )
    ids = set(on_hand) | shared_ids
    if location.shares_online_stock:
        ids |= set(
            ReceiptLine.objects.filter(receipt__location=location).values_list("variant_id", flat=True).distinct()
        )
    variants = Variant.objects.filter(pk__in=ids).select_related("product__seller")
    if query:
        variants = variants.filter(Q(sku__iexact=query) | Q(product__name__icontains=query) | Q(name__icontains=query))
    out = []
    for variant in variants.order_by("product__name", "name")[: limit * 2]:
        online = location.shares_online_stock or variant.pk in shared_ids
        quantity = on_hand.get(variant.pk, 0) + (variant.stock if online else 0)
        if quantity <= 0:
            continue
        out.append(
            {
                "variant": variant,
                "quantity": quantity,
                "price": selling_price(location=location, variant=variant),
                "exact": variant.sku.lower() == query.lower(),
            }
        )
    out.sort(key=lambda row: not row["exact"])
    return out[:limit]


def selling_price(*, location: Location, variant: Variant) -> int:
    """The price on the shelf: the agreed selling price of the lot sold first, else the web price."""
    balance = lot_balances(location=location).filter(variant=variant).first()
    if balance is not None:
        return balance.lot.selling_price
    lot = latest_lot(location=location, variant=variant)
    return lot.selling_price if lot is not None else variant.price


def latest_lot(*, location: Location, variant: Variant) -> ReceiptLine | None:
    return (
        ReceiptLine.objects.filter(receipt__location=location, variant=variant)
        .order_by("-receipt__received_on", "-pk")
        .first()
    )


def variant_by_sku(sku: str) -> Variant | None:
    return Variant.objects.select_related("product__seller").filter(sku__iexact=sku.strip()).first()


def sale_lines(sale: Sale) -> QuerySet[SaleLine]:
    return sale.lines.select_related("variant__product__seller", "lot").order_by("position")


def sales_of_day(*, location: Location, day: date) -> QuerySet[Sale]:
    return Sale.objects.filter(location=location, sale_date=day).order_by("-sold_at", "-pk")


def day_figures(*, location: Location, day: date) -> dict[str, int]:
    """The day's sales as the closing counts them: cancelled sales count for nothing, refunds of cash
    sales leave the drawer."""
    sales = Sale.objects.filter(location=location, sale_date=day, cancelled_at__isnull=True)
    agg = sales.aggregate(
        n=Count("pk"),
        cash=Sum(F("total") - F("refunded"), filter=Q(method=PaymentMethod.CASH)),
        qris=Sum(F("total") - F("refunded"), filter=Q(method=PaymentMethod.QRIS)),
    )
    return {"count": agg["n"] or 0, "cash": agg["cash"] or 0, "qris": agg["qris"] or 0}


def closing_of(*, location: Location, day: date) -> DayClosing | None:
    return DayClosing.objects.filter(location=location, day=day).first()


# --- reports ----------------------------------------------------------------------------------------


def stock_value_per_location(*, user: Any) -> list[dict[str, Any]]:
    """Units on hand and their value at the agreed selling price and at the agreed price to the seller
    (the consignment price; commission-percent lots count their selling price less the percent)."""
    rows = []
    locations = list(location_list(user=user))
    sums = {
        r["location_id"]: r
        for r in StockBalance.objects.filter(location__in=locations, quantity__gt=0)
        .values("location_id")
        .annotate(units=Sum("quantity"), value=Sum(F("quantity") * F("lot__selling_price")))
    }
    for location in locations:
        r: Any = sums.get(location.pk, {})
        rows.append({"location": location, "units": r.get("units") or 0, "value": r.get("value") or 0})
    return rows


def slow_movers(*, user: Any, now: datetime, days: int) -> QuerySet[StockBalance]:
    """Lots on hand that sold nothing in the last `days` days (and were received before that)."""
    since = now - timedelta(days=days)
    return (
        scope_queryset(StockBalance.objects.all(), user, "location__regency")
        .filter(quantity__gt=0, lot__receipt__created_at__lt=since)
        .filter(Q(last_sale_at__isnull=True) | Q(last_sale_at__lt=since))
        .select_related("location", "lot__receipt__seller", "variant__product")
        .order_by("location__name", "last_sale_at", "lot_id")
    )


def sell_through(*, user: Any) -> list[dict[str, Any]]:
    """Per seller: units received, sold (less returns by buyers), returned to the seller, and the share
    sold of what was received."""
    lines = scope_queryset(ReceiptLine.objects.all(), user, "receipt__location__regency")
    received = dict(
        lines.values("receipt__seller_id").annotate(n=Sum("quantity")).values_list("receipt__seller_id", "n")
    )
    sold_qs = scope_queryset(SaleLine.objects.all(), user, "sale__location__regency").filter(
        sale__cancelled_at__isnull=True
    )
    sold = dict(
        sold_qs.values("variant__product__seller_id")
        .annotate(n=Sum(F("quantity") - F("returned_quantity")))
        .values_list("variant__product__seller_id", "n")
    )
    returned = dict(
        scope_queryset(SellerReturn.objects.all(), user, "location__regency")
        .values("seller_id")
        .annotate(n=Sum("lines__quantity"))
        .values_list("seller_id", "n")
    )
    sellers = Seller.objects.filter(pk__in=set(received) | set(sold)).order_by("shop_name")
    rows = []
    for seller in sellers:
        r, s = received.get(seller.pk, 0) or 0, sold.get(seller.pk, 0) or 0
        rows.append(
            {
                "seller": seller,
                "received": r,
                "sold": s,
                "returned": returned.get(seller.pk, 0) or 0,
                "percent": round(100 * s / r) if r else 0,
            }
        )
    return rows
