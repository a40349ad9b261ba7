"""Reads of the omzet ledger: the KPI figures of SPEC §8 (their breakdowns and records for the
leadership report are in `report.py`), the ledger page, the unmatched marketplace products, a seller's omzet."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import BigIntegerField, Case, Count, F, Max, Min, QuerySet, Sum, Value, When
from django.db.models.functions import ExtractMonth
from django.http import Http404

from apps.core.formatting import BULAN, WIB
from apps.core.reporting import wib_start
from apps.omzet.models import Channel, MarketplaceLine, MarketplaceState, OmzetLine
from apps.regions.selectors import scope_queryset
from apps.store.models import Seller


def ledger_until(*, regency_codes: list[str] | set[str], as_of: date) -> QuerySet[OmzetLine]:
    """Ledger lines of the regencies dated up to the end of day `as_of` in WIB."""
    return OmzetLine.objects.filter(regency_id__in=list(regency_codes), counted_at__lt=wib_start(as_of + timedelta(1)))


def omzet_kpi(*, regency_codes: list[str] | set[str], year: int, as_of: date) -> dict[str, Any]:
    """`tukatuku_omzet_kumulatif`: the sum of ledger amounts dated ≤ D (end of day, WIB);
    `tukatuku_omzet_tahun`: the part dated within year Y (WIB) and ≤ D."""
    lines = ledger_until(regency_codes=regency_codes, as_of=as_of)
    total = lines.aggregate(s=Sum("amount"))["s"] or 0
    in_year = (
        lines.filter(
            counted_at__gte=wib_start(date(year, 1, 1)), counted_at__lt=wib_start(date(year + 1, 1, 1))
        ).aggregate(s=Sum("amount"))["s"]
        or 0
    )
    return {"tukatuku_omzet_kumulatif": int(total), "tukatuku_omzet_tahun": int(in_year)}


def _scoped(qs: QuerySet, user: Any, field: str = "regency") -> QuerySet:
    return scope_queryset(qs, user, field=field)


COUNTED_VALUE = Case(
    When(
        state=MarketplaceState.COMPLETED,
        then=F("unit_price") * (F("quantity") - F("returned_quantity")),
    ),
    default=Value(0),
    output_field=BigIntegerField(),
)


def unmatched_groups(*, user: Any) -> QuerySet[MarketplaceLine, dict[str, Any]]:
    """Marketplace products not attributed to a catalogue variant, one row per (channel, SKU or name),
    with how many lines and how much omzet they carry, for an operator to map."""
    lines = _scoped(MarketplaceLine.objects.filter(variant__isnull=True), user)
    return (
        lines.values("channel_id", "channel__name", "channel__regency_id", "match_key")
        .annotate(product_name=Min("product_name"), sku=Max("sku"), lines=Count("id"), omzet=Sum(COUNTED_VALUE))
        .order_by("-omzet", "match_key")
    )


def access_channel(user: Any, pk: int) -> Channel:
    """The channel if it belongs to one of the user's regencies; 404 for missing and not-yours alike."""
    channel = _scoped(Channel.objects.all(), user).filter(pk=pk).first()
    if channel is None:
        raise Http404
    return channel


# --- ledger page and seller dashboard -------------------------------------------------------------


@dataclass(frozen=True)
class LedgerFilters:
    channel: str = ""
    district: str = ""
    seller: int | None = None
    date_from: date | None = None
    date_to: date | None = None


def ledger_list(*, user: Any, filters: LedgerFilters) -> QuerySet[OmzetLine]:
    """The ledger lines an officer may see (their regencies), filtered, newest first."""
    qs = _scoped(OmzetLine.objects.select_related("channel", "seller", "district", "regency"), user)
    if filters.channel:
        qs = qs.filter(channel__code=filters.channel)
    if filters.district:
        qs = qs.filter(district_id=filters.district)
    if filters.seller:
        qs = qs.filter(seller_id=filters.seller)
    if filters.date_from:
        qs = qs.filter(counted_at__gte=wib_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(counted_at__lt=wib_start(filters.date_to + timedelta(1)))
    return qs.order_by("-counted_at", "-pk")


def access_seller_omzet(user: Any, pk: int) -> Any:
    """The seller whose omzet the user may read: only the seller's own members. 404 otherwise."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    seller = Seller.objects.filter(pk=pk, members__user=user).select_related("district").first()
    if seller is None:
        raise Http404
    return seller


def seller_years(*, seller: Any) -> list[int]:
    """Years (WIB) in which the seller has ledger lines, newest first."""
    return sorted(
        {d.year for d in OmzetLine.objects.filter(seller=seller).datetimes("counted_at", "year", tzinfo=WIB)},
        reverse=True,
    )


def seller_omzet(*, seller: Any, year: int) -> dict[str, Any]:
    """A seller's omzet in year Y (WIB) by month, channel and product, and all-time total."""
    lines = OmzetLine.objects.filter(seller=seller)
    in_year = lines.filter(counted_at__gte=wib_start(date(year, 1, 1)), counted_at__lt=wib_start(date(year + 1, 1, 1)))
    months = {
        g["m"]: int(g["s"] or 0)
        for g in in_year.order_by()
        .annotate(m=ExtractMonth("counted_at", tzinfo=WIB))
        .values("m")
        .annotate(s=Sum("amount"))
    }
    by_channel = [
        {"label": g["channel__name"], "amount": int(g["s"] or 0), "quantity": int(g["q"] or 0)}
        for g in in_year.order_by()
        .values("channel__name")
        .annotate(s=Sum("amount"), q=Sum("quantity"))
        .order_by("-s", "channel__name")
    ]
    by_product = [
        {"label": g["product_name"], "amount": int(g["s"] or 0), "quantity": int(g["q"] or 0)}
        for g in in_year.order_by()
        .values("product_name")
        .annotate(s=Sum("amount"), q=Sum("quantity"))
        .order_by("-s", "product_name")
    ]
    return {
        "year": year,
        "months": [{"label": BULAN[m - 1], "amount": months.get(m, 0)} for m in range(1, 13)],
        "by_channel": by_channel,
        "by_product": by_product,
        "total_year": sum(months.values()),
        "total_all": int(lines.aggregate(s=Sum("amount"))["s"] or 0),
    }


def seller_month_omzet(*, seller: Any, year: int, month: int) -> int:
    """A seller's omzet ledger for one month (WIB): the same lines as `seller_omzet`, for the home page."""
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    lines = OmzetLine.objects.filter(seller=seller, counted_at__gte=wib_start(start), counted_at__lt=wib_start(end))
    return int(lines.aggregate(s=Sum("amount"))["s"] or 0)
