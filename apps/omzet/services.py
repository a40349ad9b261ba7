"""Writes to the omzet ledger. Every other app records omzet through these two functions:
`omzet_record_sale` for a sold item and `omzet_record_return` for a return or cancellation of one."""

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_log
from apps.omzet.models import Channel, ChannelKind, OmzetLine
from apps.regions.models import Level, Region

# The channels every regency starts with; more are rows added by an administrator.
BUILTIN_CHANNELS: dict[str, tuple[str, str]] = {
    "web": ("Toko daring Tuka-Tuku", ChannelKind.WEB),
    "showroom": ("Showroom", ChannelKind.OFFLINE),
    "outlet": ("Outlet", ChannelKind.OFFLINE),
    "opd": ("Pembelian OPD", ChannelKind.OPD),
    "shopee": ("Shopee", ChannelKind.MARKETPLACE),
    "tokopedia": ("Tokopedia", ChannelKind.MARKETPLACE),
    "bukalapak": ("Bukalapak", ChannelKind.MARKETPLACE),
}


class OmzetError(ValueError):
    """A ledger write that breaks a rule; the message is Indonesian and shown to the user."""


def channel_for(*, regency_code: str, code: str, actor: Any = None) -> Channel:
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


def _apply(line: OmzetLine, values: dict[str, Any], *, actor: Any, action: str) -> OmzetLine:
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


def _create_or_update(source_key: str, values: dict[str, Any], *, actor: Any) -> OmzetLine:
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
    actor: Any,
) -> OmzetLine:
    """Add a sale to the ledger, dated `counted_at` (the completion of the order).

    Idempotent on `source_key`: the same call again returns the existing line unchanged; a call with
    the same key and different values updates the line (audited). A variant implies its seller; the
    seller's kecamatan is the line's kecamatan.
    """
    _check_aware(counted_at)
    if amount < 0 or quantity < 0:
        raise OmzetError(_("Penjualan tidak boleh bernilai negatif; catat pengembalian sebagai retur."))
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
    actor: Any,
) -> OmzetLine:
    """Reverse (part of) a recorded sale: a line of −|amount| and −|quantity| on the sale's channel,
    seller and kecamatan, dated `counted_at`. Idempotent on `source_key` like `omzet_record_sale`.

    The reversals of a sale never exceed the sale.
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
        "reverses": original,
    }
    return _create_or_update(source_key, values, actor=actor)
