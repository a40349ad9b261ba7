"""Writes of the consignment domain. Every change of stock goes through `_move`: it locks the lot's
balance row (`select_for_update`), refuses to go below zero, appends a `StockMovement` and writes an audit
entry, all in the caller's transaction. Goods shared with the web store move `Variant.stock` instead,
with the web checkout's own conditional update (`apps.orders.services.checkout.stock_reserve`), so the
last unit goes to exactly one of the web checkout and the quick-sale screen.

A quick sale books omzet through `apps.omzet.services.omzet_record_sale` (channel `showroom`, or
`outlet` at an outlet) with the department's agreed commission; a cancelled or returned line reverses
through `omzet_record_return`."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_log
from apps.core.actors import Actor, actor_user
from apps.core.formatting import WIB, rupiah
from apps.core.uploads import IMAGE_KINDS, check_upload
from apps.konsinyasi.models import (
    DayClosing,
    Location,
    MovementKind,
    PaymentMethod,
    Receipt,
    ReceiptLine,
    Sale,
    SaleLine,
    SellerReturn,
    SellerReturnLine,
    StockBalance,
    StockCount,
    StockCountLine,
    StockMovement,
    Transfer,
)
from apps.konsinyasi.selectors import day_figures, latest_lot
from apps.omzet.services import omzet_record_return, omzet_record_sale
from apps.orders.services.checkout import OutOfStock, stock_release, stock_reserve
from apps.regions.models import Level, Region
from apps.store.models import Seller, Variant


class StockError(ValueError):
    """A consignment write that breaks a rule; the message is Indonesian and shown to the user."""


def _today() -> date:
    return timezone.now().astimezone(WIB).date()


# --- locations --------------------------------------------------------------------------------------


@transaction.atomic
def location_create(
    *, regency_code: str, name: str, kind: str, actor: Actor, address: str = "", shares_online_stock: bool = False
) -> Location:
    if not Region.objects.filter(code=regency_code, level=Level.REGENCY).exists():
        raise StockError(_("Kode kabupaten/kota tidak dikenal: %(c)s") % {"c": regency_code})
    name = name.strip()
    if not name:
        raise StockError(_("Nama lokasi wajib diisi."))
    if Location.objects.filter(regency_id=regency_code, name=name).exists():
        raise StockError(_("Lokasi bernama %(n)s sudah ada.") % {"n": name})
    location = Location.objects.create(
        regency_id=regency_code, name=name, kind=kind, address=address.strip(), shares_online_stock=shares_online_stock
    )
    audit_log(
        actor=actor,
        action="konsinyasi.location_create",
        obj=location,
        changes={"name": name, "kind": kind, "shares_online_stock": shares_online_stock},
        regency_code=regency_code,
    )
    return location


@transaction.atomic
def location_update(
    *, location: Location, actor: Actor, name: str, address: str, shares_online_stock: bool, qris_upload: Any = None
) -> Location:
    location = Location.objects.select_for_update().get(pk=location.pk)
    changes: dict[str, Any] = {}
    for field, value in (
        ("name", name.strip()),
        ("address", address.strip()),
        ("shares_online_stock", shares_online_stock),
    ):
        if getattr(location, field) != value:
            changes[field] = [getattr(location, field), value]
            setattr(location, field, value)
    if qris_upload is not None:
        checked = check_upload(qris_upload, kinds=IMAGE_KINDS)
        location.qris_image.save(checked.name, checked.file, save=False)
        changes["qris_image"] = "baru"
    if changes:
        location.save()
        audit_log(
            actor=actor,
            action="konsinyasi.location_update",
            obj=location,
            changes=changes,
            regency_code=location.regency_id,
        )
    return location


# --- the stock ledger -------------------------------------------------------------------------------


def is_online(location: Location, lot: ReceiptLine | None) -> bool:
    """Goods shared with the web store: by the location's choice or the receipt line's."""
    return location.shares_online_stock or (lot is not None and lot.shares_online_stock)


def _balance_for_update(location: Location, lot: ReceiptLine) -> StockBalance:
    balance = StockBalance.objects.select_for_update().filter(location=location, lot=lot).first()
    if balance is not None:
        return balance
    try:
        with transaction.atomic():
            return StockBalance.objects.create(location=location, lot=lot, variant_id=lot.variant_id, quantity=0)
    except IntegrityError:  # created by a concurrent movement between our read and our insert
        return StockBalance.objects.select_for_update().get(location=location, lot=lot)


def _move(
    *,
    location: Location,
    lot: ReceiptLine,
    kind: str,
    quantity: int,
    actor: Actor,
    reference: str = "",
    reason: str = "",
    sold_at: datetime | None = None,
) -> StockMovement:
    """Change the stock of `lot` at `location` by `quantity` (signed) and record the movement."""
    if quantity == 0:
        raise StockError(_("Jumlah mutasi tidak boleh nol."))
    online = is_online(location, lot)
    if online:
        if quantity < 0:
            stock_reserve({lot.variant_id: -quantity})  # raises OutOfStock, as the web checkout would
        else:
            stock_release({lot.variant_id: quantity})
        after = Variant.objects.filter(pk=lot.variant_id).values_list("stock", flat=True).get()
    else:
        balance = _balance_for_update(location, lot)
        after = balance.quantity + quantity
        if after < 0:
            raise StockError(
                _("Stok %(p)s di %(loc)s tidak cukup: tersedia %(left)s, diminta %(want)s.")
                % {"p": lot.variant, "loc": location.name, "left": balance.quantity, "want": -quantity}
            )
        balance.quantity = after
        fields = ["quantity"]
        if sold_at is not None:
            balance.last_sale_at = sold_at
            fields.append("last_sale_at")
        balance.save(update_fields=fields)
    movement = StockMovement.objects.create(
        location=location,
        lot=lot,
        variant_id=lot.variant_id,
        kind=kind,
        quantity=quantity,
        balance_after=after,
        online=online,
        reference=reference,
        reason=reason,
        created_by=actor_user(actor),
    )
    audit_log(
        actor=actor,
        action="konsinyasi.stock_move",
        obj=movement,
        changes={
            "kind": kind,
            "lot": lot.pk,
            "sku": lot.variant.sku,
            "quantity": quantity,
            "balance_after": after,
            "online": online,
            "reference": reference,
        },
        regency_code=location.regency_id,
    )
    return movement


@dataclass(frozen=True)
class ReceiptItem:
    variant: Variant
    quantity: int
    selling_price: int
    consignment_price: int | None = None
    commission_percent: Decimal | None = None
    expires_on: date | None = None
    shares_online_stock: bool = False


def _next_number(prefix: str, model: Any) -> str:
    taken = model.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    numbers = [int(n[len(prefix) :]) for n in taken if n[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _lock_location(location: Location) -> Location:
    """Serialises the numbering and the day of one location (sales against its closing)."""
    return Location.objects.select_for_update().get(pk=location.pk)


@transaction.atomic
def receipt_create(
    *, location: Location, seller: Seller, received_on: date, items: list[ReceiptItem], actor: Actor, note: str = ""
) -> Receipt:
    """Receive goods from a seller (tanda terima titipan): one lot per line, each with its terms."""
    location = _lock_location(location)
    if not items:
        raise StockError(_("Isi minimal satu barang."))
    if seller.regency_id != location.regency_id:
        raise StockError(_("Penjual harus dari kabupaten lokasi ini."))
    if received_on > _today():
        raise StockError(_("Tanggal terima tidak boleh di masa depan."))
    for item in items:
        if item.variant.product.seller_id != seller.pk:
            raise StockError(_("Produk %(sku)s bukan milik %(s)s.") % {"sku": item.variant.sku, "s": seller.shop_name})
        if item.quantity < 1:
            raise StockError(_("Jumlah %(sku)s harus minimal 1.") % {"sku": item.variant.sku})
        if (item.consignment_price is None) == (item.commission_percent is None):
            raise StockError(
                _("Isi salah satu: harga titip atau komisi (%%) untuk %(sku)s.") % {"sku": item.variant.sku}
            )
        if item.commission_percent is not None and not 0 <= item.commission_percent <= 100:
            raise StockError(_("Komisi harus antara 0 dan 100%."))
        if item.consignment_price is not None and item.consignment_price > item.selling_price:
            raise StockError(_("Harga titip %(sku)s melebihi harga jual.") % {"sku": item.variant.sku})
    receipt = Receipt.objects.create(
        location=location,
        seller=seller,
        # per location: the location row locked above serialises its numbering
        number=_next_number(f"TTP/{location.regency_id}/{location.pk}/{received_on.year}/", Receipt),
        received_on=received_on,
        note=note.strip(),
        created_by=actor_user(actor),
    )
    for item in items:
        lot = ReceiptLine.objects.create(
            receipt=receipt,
            variant=item.variant,
            quantity=item.quantity,
            selling_price=item.selling_price,
            consignment_price=item.consignment_price,
            commission_percent=item.commission_percent,
            expires_on=item.expires_on,
            shares_online_stock=item.shares_online_stock,
        )
        _move(
            location=location,
            lot=lot,
            kind=MovementKind.RECEIPT,
            quantity=item.quantity,
            actor=actor,
            reference=receipt.number,
        )
    audit_log(
        actor=actor,
        action="konsinyasi.receipt_create",
        obj=receipt,
        changes={"seller": seller.shop_name, "lines": len(items), "units": sum(i.quantity for i in items)},
        regency_code=location.regency_id,
    )
    return receipt


@transaction.atomic
def transfer_create(
    *, source: Location, target: Location, items: list[tuple[ReceiptLine, int]], actor: Actor, note: str = ""
) -> Transfer:
    """Move lots from one location to another (same regency): out of one balance, into the other."""
    if source.pk == target.pk:
        raise StockError(_("Lokasi asal dan tujuan harus berbeda."))
    if source.regency_id != target.regency_id:
        raise StockError(_("Pemindahan hanya antar lokasi di kabupaten yang sama."))
    if not items:
        raise StockError(_("Isi minimal satu barang."))
    transfer = Transfer.objects.create(source=source, target=target, note=note.strip(), created_by=actor_user(actor))
    reference = f"PINDAH-{transfer.pk}"
    for lot, quantity in sorted(items, key=lambda item: item[0].pk):
        if quantity < 1:
            raise StockError(_("Jumlah harus minimal 1."))
        _move(
            location=source,
            lot=lot,
            kind=MovementKind.TRANSFER_OUT,
            quantity=-quantity,
            actor=actor,
            reference=reference,
        )
        _move(
            location=target, lot=lot, kind=MovementKind.TRANSFER_IN, quantity=quantity, actor=actor, reference=reference
        )
    audit_log(
        actor=actor,
        action="konsinyasi.transfer",
        obj=transfer,
        changes={"from": source.name, "to": target.name, "units": sum(q for _lot, q in items)},
        regency_code=source.regency_id,
    )
    return transfer


@transaction.atomic
def seller_return_create(
    *,
    location: Location,
    seller: Seller,
    items: list[tuple[ReceiptLine, int]],
    actor: Actor,
    returned_on: date | None = None,
    note: str = "",
) -> SellerReturn:
    """Give unsold goods back to their seller (nota retur): they leave the location's stock."""
    if not items:
        raise StockError(_("Isi minimal satu barang."))
    seller_return = SellerReturn.objects.create(
        location=location,
        seller=seller,
        returned_on=returned_on or _today(),
        note=note.strip(),
        created_by=actor_user(actor),
    )
    for lot, quantity in sorted(items, key=lambda item: item[0].pk):
        if lot.receipt.seller_id != seller.pk:
            raise StockError(_("Barang %(sku)s bukan titipan %(s)s.") % {"sku": lot.variant.sku, "s": seller.shop_name})
        if quantity < 1:
            raise StockError(_("Jumlah harus minimal 1."))
        SellerReturnLine.objects.create(seller_return=seller_return, lot=lot, quantity=quantity)
        _move(
            location=location,
            lot=lot,
            kind=MovementKind.RETURN,
            quantity=-quantity,
            actor=actor,
            reference=f"RETUR-{seller_return.pk}",
        )
    audit_log(
        actor=actor,
        action="konsinyasi.seller_return",
        obj=seller_return,
        changes={"seller": seller.shop_name, "units": sum(q for _lot, q in items)},
        regency_code=location.regency_id,
    )
    return seller_return


@dataclass(frozen=True)
class CountItem:
    lot: ReceiptLine
    counted: int
    reason: str = ""


@transaction.atomic
def stock_count_record(
    *, location: Location, items: list[CountItem], actor: Actor, counted_on: date | None = None
) -> StockCount:
    """A stock opname: each counted lot against its balance; a difference needs a reason and becomes an
    adjustment movement. Goods shared with the web store are counted in the store, not here."""
    if not items:
        raise StockError(_("Isi minimal satu barang."))
    stock_count = StockCount.objects.create(
        location=location, counted_on=counted_on or _today(), created_by=actor_user(actor)
    )
    for item in sorted(items, key=lambda i: i.lot.pk):
        if is_online(location, item.lot):
            raise StockError(
                _("Stok %(sku)s dibagi dengan toko daring: dihitung di stok toko.") % {"sku": item.lot.variant.sku}
            )
        if item.counted < 0:
            raise StockError(_("Hasil hitung tidak boleh negatif."))
        expected = _balance_for_update(location, item.lot).quantity
        reason = item.reason.strip()
        if item.counted != expected and not reason:
            raise StockError(
                _("Selisih %(sku)s (%(e)s tercatat, %(c)s dihitung): alasan wajib diisi.")
                % {"sku": item.lot.variant.sku, "e": expected, "c": item.counted}
            )
        StockCountLine.objects.create(
            stock_count=stock_count, lot=item.lot, expected=expected, counted=item.counted, reason=reason
        )
        if item.counted != expected:
            _move(
                location=location,
                lot=item.lot,
                kind=MovementKind.COUNT,
                quantity=item.counted - expected,
                actor=actor,
                reference=f"OPNAME-{stock_count.pk}",
                reason=reason,
            )
    audit_log(
        actor=actor,
        action="konsinyasi.stock_count",
        obj=stock_count,
        changes={"lines": len(items)},
        regency_code=location.regency_id,
    )
    return stock_count


# --- quick sale -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CartItem:
    variant: Variant
    quantity: int


def _check_day_open(location: Location, day: date) -> None:
    if DayClosing.objects.filter(location=location, day=day).exists():
        raise StockError(_("Kasir %(loc)s sudah ditutup untuk %(d)s.") % {"loc": location.name, "d": day.isoformat()})


def _allocate(location: Location, variant: Variant, quantity: int) -> list[tuple[ReceiptLine | None, int]]:
    """Which lots a sale of `quantity` takes: the location's own lots first, earliest expiry first; then
    goods shared with the web store (the online stock) on the terms of their latest receipt line."""
    if location.shares_online_stock:
        return [(latest_lot(location=location, variant=variant), quantity)]
    taken: list[tuple[ReceiptLine | None, int]] = []
    rest = quantity
    balances = (
        StockBalance.objects.select_for_update(of=("self",))
        .filter(location=location, variant=variant, quantity__gt=0)
        .select_related("lot")
        .order_by(F("lot__expires_on").asc(nulls_last=True), "lot_id")
    )
    for balance in balances:
        if rest == 0:
            break
        n = min(rest, balance.quantity)
        taken.append((balance.lot, n))
        rest -= n
    if rest:
        shared = (
            ReceiptLine.objects.filter(receipt__location=location, variant=variant, shares_online_stock=True)
            .order_by("-receipt__received_on", "-pk")
            .first()
        )
        if shared is None:
            available = quantity - rest
            raise OutOfStock(
                _("Stok %(p)s tidak cukup: diminta %(want)s, tersedia %(left)s.")
                % {"p": variant, "want": quantity, "left": available}
            )
        taken.append((shared, rest))
    return taken


@transaction.atomic
def sale_create(
    *,
    location: Location,
    items: list[CartItem],
    method: str,
    actor: Actor,
    cash_given: int | None = None,
    qris_confirmed: bool = False,
    sold_at: datetime | None = None,
) -> Sale:
    """Sell from a location's stock (the quick-sale screen): each line takes its lots, records the
    movement and books omzet with the department's agreed commission. Cash needs the amount given (the
    change is computed); QRIS needs the cashier's confirmation that the money arrived."""
    sold_at = sold_at or timezone.now()
    day = sold_at.astimezone(WIB).date()
    location = _lock_location(location)
    if not location.sells:
        raise StockError(_("Gudang tidak melayani penjualan."))
    _check_day_open(location, day)
    items = [i for i in items if i.quantity]
    if not items:
        raise StockError(_("Keranjang kosong."))
    if any(i.quantity < 0 for i in items):
        raise StockError(_("Jumlah tidak boleh negatif."))
    for item in items:
        if item.variant.product.seller.regency_id != location.regency_id:
            raise StockError(_("Produk %(sku)s bukan milik penjual di wilayah ini.") % {"sku": item.variant.sku})
    sale = Sale.objects.create(
        location=location,
        number=_next_number(f"KSR/{location.pk}/{day:%Y%m%d}/", Sale),
        sold_at=sold_at,
        sale_date=day,
        method=method,
        total=0,
        created_by=actor_user(actor),
    )
    position = 0
    total = 0
    merged: dict[int, CartItem] = {}
    for item in items:
        before = merged.get(item.variant.pk)
        merged[item.variant.pk] = CartItem(item.variant, item.quantity + (before.quantity if before else 0))
    for variant_id in sorted(merged):  # ascending variant id, like the web checkout: no deadlock
        item = merged[variant_id]
        for lot, quantity in _allocate(location, item.variant, item.quantity):
            position += 1
            price = lot.selling_price if lot is not None else item.variant.price
            amount = price * quantity
            line = SaleLine.objects.create(
                sale=sale,
                position=position,
                variant=item.variant,
                lot=lot,
                product_name=str(item.variant)[:255],
                quantity=quantity,
                unit_price=price,
                commission=lot.commission_for(amount=amount, quantity=quantity) if lot is not None else None,
                online=is_online(location, lot),
            )
            if lot is not None:
                _move(
                    location=location,
                    lot=lot,
                    kind=MovementKind.SALE,
                    quantity=-quantity,
                    actor=actor,
                    reference=sale.number,
                    sold_at=sold_at,
                )
            else:  # a shared location selling goods it never received: the web store's own stock
                stock_reserve({item.variant.pk: quantity})
            omzet_record_sale(
                source_key=line.source_key,
                channel_code=location.channel_code,
                regency_code=location.regency_id,
                variant=item.variant,
                product_name=line.product_name,
                quantity=quantity,
                amount=amount,
                counted_at=sold_at,
                actor=actor,
                commission=line.commission,
            )
            total += amount
    sale.total = total
    if method == PaymentMethod.CASH:
        if cash_given is None or cash_given < total:
            raise StockError(_("Uang diterima kurang dari total %(t)s.") % {"t": rupiah(total)})
        sale.cash_given, sale.change = cash_given, cash_given - total
    elif method == PaymentMethod.QRIS:
        if not qris_confirmed:
            raise StockError(_("Konfirmasi bahwa pembayaran QRIS sudah diterima."))
    else:
        raise StockError(_("Cara bayar tidak dikenal."))
    sale.save(update_fields=["total", "cash_given", "change"])
    audit_log(
        actor=actor,
        action="konsinyasi.sale",
        obj=sale,
        changes={"total": total, "method": method, "lines": position},
        regency_code=location.regency_id,
    )
    return sale


@transaction.atomic
def sale_line_return(
    *, line: SaleLine, quantity: int, reason: str, actor: Actor, now: datetime | None = None
) -> SaleLine:
    """A buyer brings back `quantity` units of a sold line on the day of the sale (before the closing):
    the goods go back to their lot, the money back to the buyer, and the omzet and commission reverse."""
    now = now or timezone.now()
    sale = Sale.objects.select_for_update().get(pk=line.sale_id)
    location = _lock_location(sale.location)
    _check_day_open(location, sale.sale_date)
    line = SaleLine.objects.select_for_update(of=("self",)).select_related("lot__variant", "variant").get(pk=line.pk)
    if not reason.strip():
        raise StockError(_("Alasan wajib diisi."))
    if quantity < 1 or quantity > line.quantity - line.returned_quantity:
        raise StockError(_("Jumlah retur harus antara 1 dan %(n)s.") % {"n": line.quantity - line.returned_quantity})
    line.returned_quantity += quantity
    line.save(update_fields=["returned_quantity"])
    if line.lot is not None:
        _move(
            location=location,
            lot=line.lot,
            kind=MovementKind.SALE_CANCEL,
            quantity=quantity,
            actor=actor,
            reference=sale.number,
            reason=reason.strip(),
        )
    else:
        stock_release({line.variant_id: quantity})
    omzet_record_return(
        source_key=f"{line.source_key}:retur:{line.returned_quantity}",
        original_source_key=line.source_key,
        quantity=quantity,
        amount=quantity * line.unit_price,
        counted_at=now,
        actor=actor,
    )
    sale.refunded += quantity * line.unit_price
    sale.save(update_fields=["refunded"])
    audit_log(
        actor=actor,
        action="konsinyasi.sale_return",
        obj=sale,
        changes={"line": line.position, "quantity": quantity, "reason": reason.strip()},
        regency_code=location.regency_id,
    )
    return line


@transaction.atomic
def sale_cancel(*, sale: Sale, reason: str, actor: Actor) -> Sale:
    """Cancel a whole sale on its day: every unit not yet returned comes back."""
    if not reason.strip():
        raise StockError(_("Alasan pembatalan wajib diisi."))
    sale = Sale.objects.select_for_update().get(pk=sale.pk)
    if sale.cancelled_at is not None:
        return sale
    for line in list(sale.lines.order_by("position")):
        rest = line.quantity - line.returned_quantity
        if rest:
            sale_line_return(line=line, quantity=rest, reason=reason, actor=actor)
    sale.refresh_from_db()
    sale.cancelled_at = timezone.now()
    sale.cancel_reason = reason.strip()
    sale.save(update_fields=["cancelled_at", "cancel_reason"])
    audit_log(
        actor=actor,
        action="konsinyasi.sale_cancel",
        obj=sale,
        changes={"reason": reason.strip()},
        regency_code=sale.location.regency_id,
    )
    return sale


@transaction.atomic
def day_close(
    *, location: Location, day: date, counted_cash: int, actor: Actor, opening_cash: int = 0, reason: str = ""
) -> DayClosing:
    """Close a location's day: the cash expected (opening cash + cash sales less cash refunds) against
    the cash counted; a difference needs a reason. A closed day is frozen: no sale, return or cancel."""
    location = _lock_location(location)
    if DayClosing.objects.filter(location=location, day=day).exists():
        raise StockError(_("Hari ini sudah ditutup."))
    if counted_cash < 0 or opening_cash < 0:
        raise StockError(_("Jumlah kas tidak boleh negatif."))
    figures = day_figures(location=location, day=day)
    expected = opening_cash + figures["cash"]
    if counted_cash != expected and not reason.strip():
        raise StockError(
            _("Kas dihitung %(c)s, seharusnya %(e)s: alasan selisih wajib diisi.")
            % {"c": rupiah(counted_cash), "e": rupiah(expected)}
        )
    closing = DayClosing.objects.create(
        location=location,
        day=day,
        sales_count=figures["count"],
        cash_total=figures["cash"],
        qris_total=figures["qris"],
        opening_cash=opening_cash,
        expected_cash=expected,
        counted_cash=counted_cash,
        reason=reason.strip(),
        closed_by=actor_user(actor),
    )
    audit_log(
        actor=actor,
        action="konsinyasi.day_close",
        obj=closing,
        changes={"expected": expected, "counted": counted_cash, "difference": counted_cash - expected},
        regency_code=location.regency_id,
    )
    return closing


# What a consignment write may refuse with (both carry an Indonesian message for the user).
REFUSALS = (StockError, OutOfStock)
