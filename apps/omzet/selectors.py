"""Reads of the omzet ledger: the KPI figures of SPEC §8 and the breakdowns of the report."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import BigIntegerField, Case, Count, F, Max, Min, QuerySet, Sum, Value, When
from django.http import Http404

from apps.core.formatting import WIB
from apps.omzet.models import Channel, MarketplaceLine, MarketplaceState, OmzetLine


def wib_start(day: date) -> datetime:
    """Midnight WIB at the start of `day`, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=WIB)


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
    from apps.regions.selectors import scope_queryset

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
