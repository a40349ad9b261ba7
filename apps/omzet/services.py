"""Writes to the omzet ledger. Every other app records omzet through these two functions:
`omzet_record_sale` for a sold item and `omzet_record_return` for a return or cancellation of one."""

from datetime import datetime
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_log
from apps.core.actors import Actor, actor_user
from apps.omzet.models import (
    MARKETPLACE_STATE_RANK,
    Channel,
    ChannelKind,
    MarketplaceLine,
    MarketplaceState,
    OmzetLine,
    ProductMapping,
)
from apps.regions.models import Level, Region

# The channels every regency starts with; more are rows added by an administrator.
BUILTIN_CHANNELS: dict[str, tuple[str, str]] = {
    "web": ("Toko daring Tuka-Tuku", ChannelKind.WEB),
    "showroom": ("Showroom", ChannelKind.OFFLINE),
    "outlet": ("Outlet", ChannelKind.OFFLINE),
    "opd": ("Pembelian OPD", ChannelKind.OPD),
    "festival": ("Festival/pameran", ChannelKind.OFFLINE),  # booth sales recorded by apps.program
    "shopee": ("Shopee", ChannelKind.MARKETPLACE),
    "tokopedia": ("Tokopedia", ChannelKind.MARKETPLACE),
    "bukalapak": ("Bukalapak", ChannelKind.MARKETPLACE),
}


class OmzetError(ValueError):
    """A ledger write that breaks a rule; the message is Indonesian and shown to the user."""


def channel_for(*, regency_code: str, code: str, actor: Actor | None = None) -> Channel:
    """The regency's channel with this code; a built-in channel is created on first use."""
    channel = Channel.objects.filter(regency_id=regency_code, code=code).first()
    if channel is not None:
        return channel
    if code not in BUILTIN_CHANNELS:
        raise OmzetError(_("Kanal penjualan tidak dikenal: %(c)s") % {"c": code})
    if not Region.objects.filter(code=regency_code, level=Level.REGENCY).exists():
        raise OmzetError(_("Kode kabupaten/kota tidak dikenal: %(c)s") % {"c": regency_code})
    name, kind = BUILTIN_CHANNELS[code]
    with transaction.atomic():
        channel, created = Channel.objects.get_or_create(
            regency_id=regency_code, code=code, defaults={"name": name, "kind": kind}
        )
        if created:
            audit_log(actor=actor, action="omzet.channel_create", obj=channel, changes={"code": code})
    return channel


def _check_aware(counted_at: datetime) -> None:
    if timezone.is_naive(counted_at):
        raise OmzetError(_("Tanggal omzet harus memiliki zona waktu."))


def _apply(line: OmzetLine, values: dict[str, Any], *, actor: Actor | None, action: str) -> OmzetLine:
    """Update `line` to `values` if anything differs, with one audit entry listing the differences."""
    changes = {}
    for field, value in values.items():
        before = getattr(line, field)
        if before != value:
            changes[field] = [before, value]
            setattr(line, field, value)
    if changes:
        line.save()
        audit_log(actor=actor, action=action, obj=line, changes=changes)
    return line


def _create_or_update(source_key: str, values: dict[str, Any], *, actor: Actor | None) -> OmzetLine:
    existing = OmzetLine.objects.select_for_update().filter(source_key=source_key).first()
    if existing is not None:
        return _apply(existing, values, actor=actor, action="omzet.update")
    try:
        with transaction.atomic():
            line = OmzetLine.objects.create(source_key=source_key, **values)
    except IntegrityError:
        # Recorded by a concurrent call with the same key between our read and our insert.
        existing = OmzetLine.objects.select_for_update().get(source_key=source_key)
        return _apply(existing, values, actor=actor, action="omzet.update")
    audit_log(
        actor=actor,
        action="omzet.reverse" if values.get("reverses") else "omzet.record",
        obj=line,
        changes={"amount": line.amount, "quantity": line.quantity, "channel": line.channel.code},
    )
    return line


@transaction.atomic
def omzet_record_sale(
    *,
    source_key: str,
    channel_code: str,
    regency_code: str,
    seller: Any = None,
    variant: Any = None,
    product_name: str,
    quantity: int,
    amount: int,
    counted_at: datetime,
    actor: Actor | None,
    commission: int | None = None,
) -> OmzetLine:
    """Add a sale to the ledger, dated `counted_at` (the completion of the order).

    Idempotent on `source_key`: the same call again returns the existing line unchanged; a call with
    the same key and different values updates the line (audited). A variant implies its seller; the
    seller's kecamatan is the line's kecamatan. `commission` is the department's agreed commission on
    this line in rupiah (consigned goods); None leaves it to the commission rule of the settlement.
    """
    _check_aware(counted_at)
    if amount < 0 or quantity < 0:
        raise OmzetError(_("Penjualan tidak boleh bernilai negatif; catat pengembalian sebagai retur."))
    if commission is not None and not 0 <= commission <= amount:
        raise OmzetError(_("Komisi harus antara Rp0 dan nilai penjualan."))
    channel = channel_for(regency_code=regency_code, code=channel_code, actor=actor)
    product = None
    if variant is not None:
        product = variant.product
        seller = seller or product.seller
    values: dict[str, Any] = {
        "regency_id": regency_code,
        "district_id": seller.district_id if seller is not None else None,
        "seller": seller,
        "product": product,
        "variant": variant,
        "product_name": (product_name or (str(variant) if variant else ""))[:255],
        "channel": channel,
        "counted_at": counted_at,
        "quantity": quantity,
        "amount": amount,
        "commission": commission,
    }
    return _create_or_update(source_key, values, actor=actor)


@transaction.atomic
def omzet_record_return(
    *,
    source_key: str,
    original_source_key: str,
    quantity: int,
    amount: int,
    counted_at: datetime,
    actor: Actor | None,
) -> OmzetLine:
    """Reverse (part of) a recorded sale: a line of −|amount| and −|quantity| on the sale's channel,
    seller and kecamatan, dated `counted_at`. Idempotent on `source_key` like `omzet_record_sale`.

    The reversals of a sale never exceed the sale. A sale with an agreed commission gives back the
    part of it for the units returned so far (whole rupiah, rounded down, cumulative: returning every
    unit gives back the whole commission).
    """
    _check_aware(counted_at)
    original = OmzetLine.objects.select_for_update().filter(source_key=original_source_key).first()
    if original is None or original.reverses_id is not None:
        raise OmzetError(_("Penjualan yang dibalik tidak ditemukan: %(k)s") % {"k": original_source_key})
    amount, quantity = -abs(amount), -abs(quantity)
    others = sum(
        r.amount for r in OmzetLine.objects.filter(reverses=original).exclude(source_key=source_key).only("amount")
    )
    if original.amount + others + amount < 0:
        raise OmzetError(
            _("Retur melebihi penjualan %(k)s: sisa %(rest)s, retur %(amount)s.")
            % {"k": original_source_key, "rest": original.amount + others, "amount": -amount}
        )
    commission = None
    if original.commission is not None:
        # Cumulative, so the returns of all units give back exactly the whole commission.
        earlier = list(
            OmzetLine.objects.filter(reverses=original).exclude(source_key=source_key).only("quantity", "commission")
        )
        returned_qty = min(-sum(r.quantity for r in earlier) - quantity, original.quantity)
        share = original.commission * returned_qty // original.quantity if original.quantity else 0
        commission = -(share + sum(r.commission or 0 for r in earlier))
    values: dict[str, Any] = {
        "regency_id": original.regency_id,
        "district_id": original.district_id,
        "seller_id": original.seller_id,
        "product_id": original.product_id,
        "variant_id": original.variant_id,
        "product_name": original.product_name,
        "channel_id": original.channel_id,
        "counted_at": counted_at,
        "quantity": quantity,
        "amount": amount,
        "commission": commission,
        "reverses": original,
    }
    return _create_or_update(source_key, values, actor=actor)


# --- marketplace lines (staging of imported exports) -----------------------------------------------


def _retur_key(source_key: str) -> str:
    return source_key + ":retur"


def marketplace_line_sync(*, line: MarketplaceLine, actor: Actor | None) -> None:
    """Bring the ledger in line with a marketplace line: a completed line is a sale of price × quantity
    dated on its counting date, with a reversal of its returned items; a line cancelled or returned
    after it was counted is reversed in full. A line never counted leaves no trace in the ledger."""
    variant = line.variant
    if line.state == MarketplaceState.COMPLETED:
        assert line.counted_at is not None
        gross = line.unit_price * line.quantity
        omzet_record_sale(
            source_key=line.source_key,
            channel_code=line.channel.code,
            regency_code=line.regency_id,
            seller=variant.product.seller if variant else None,
            variant=variant,
            product_name=line.product_name,
            quantity=line.quantity,
            amount=gross,
            counted_at=line.counted_at,
            actor=actor,
        )
        returned = line.unit_price * line.returned_quantity
        if returned or OmzetLine.objects.filter(source_key=_retur_key(line.source_key)).exists():
            omzet_record_return(
                source_key=_retur_key(line.source_key),
                original_source_key=line.source_key,
                quantity=line.returned_quantity,
                amount=returned,
                counted_at=line.counted_at,
                actor=actor,
            )
        return
    sale = OmzetLine.objects.filter(source_key=line.source_key).first()
    if line.state == MarketplaceState.CANCELLED and sale is not None:
        if variant is not None and sale.variant_id != variant.pk:
            _reattribute(sale, variant, actor=actor)
        omzet_record_return(
            source_key=_retur_key(line.source_key),
            original_source_key=line.source_key,
            quantity=sale.quantity,
            amount=sale.amount,
            counted_at=sale.counted_at,
            actor=actor,
        )


def _reattribute(sale: OmzetLine, variant: Any, *, actor: Actor | None) -> None:
    seller = variant.product.seller
    values = {"variant": variant, "product": variant.product, "seller": seller, "district_id": seller.district_id}
    _apply(sale, values, actor=actor, action="omzet.update")
    for reversal in OmzetLine.objects.filter(reverses=sale):
        _apply(reversal, values, actor=actor, action="omzet.update")


def marketplace_line_apply(
    *, existing: MarketplaceLine | None, channel: Channel, values: dict[str, Any], actor: Actor | None
) -> tuple[MarketplaceLine, str]:
    """Create or update the marketplace line from one exported row; returns the line and
    `created`, `updated` or `unchanged`. A line never moves back (completed stays completed when an
    older export says "shipped"), and returned quantities only grow, so export order does not matter.
    Runs inside the import batch's transaction; the ledger writes it causes are audited."""
    if existing is None:
        line = MarketplaceLine.objects.create(channel=channel, **values)
        marketplace_line_sync(line=line, actor=actor)
        return line, "created"
    new_rank = MARKETPLACE_STATE_RANK[MarketplaceState(values["state"])]
    old_rank = MARKETPLACE_STATE_RANK[MarketplaceState(existing.state)]
    if new_rank < old_rank:
        return existing, "unchanged"
    if new_rank == old_rank:
        values["returned_quantity"] = max(values["returned_quantity"], existing.returned_quantity)
    if existing.variant_id is not None and values.get("variant") is None:
        values["variant"] = existing.variant  # mapped by an operator earlier
    changed = False
    for field, value in values.items():
        if getattr(existing, field) != value:
            setattr(existing, field, value)
            changed = True
    if not changed:
        return existing, "unchanged"
    existing.save()
    marketplace_line_sync(line=existing, actor=actor)
    return existing, "updated"


@transaction.atomic
def product_mapping_set(*, channel: Channel, match_key: str, variant: Any, actor: Actor) -> int:
    """Map a marketplace SKU or product name to a catalogue variant: its lines (and ledger lines) are
    attributed to the variant's seller now, and later imports use the mapping. Returns the number of
    marketplace lines re-attributed."""
    if variant.product.seller.regency_id != channel.regency_id:
        raise OmzetError(_("Produk katalog harus milik penjual di kabupaten kanal ini."))
    mapping, _created = ProductMapping.objects.update_or_create(
        channel=channel, match_key=match_key, defaults={"variant": variant, "created_by": actor_user(actor)}
    )
    lines = list(
        MarketplaceLine.objects.filter(channel=channel, match_key=match_key)
        .exclude(variant__isnull=False, sku__gt="", variant__sku=models.F("sku"))
        .select_related("channel")
    )
    for line in lines:
        line.variant = variant
        line.save(update_fields=["variant", "updated_at"])
        sale = OmzetLine.objects.filter(source_key=line.source_key).first()
        if sale is not None:
            _reattribute(sale, variant, actor=actor)
    audit_log(
        actor=actor,
        action="omzet.map",
        obj=mapping,
        changes={"match_key": match_key, "variant": variant.sku, "lines": len(lines)},
        regency_code=channel.regency_id,
    )
    return len(lines)
