"""Order lifecycle after checkout: process, ship, deliver, complete, cancel, refund, return.

Each transition locks the order, checks `rules.TRANSITIONS`, writes one audit entry and mails the
buyer after commit. Completion records the omzet (SPEC §6: goods value after seller discounts,
excluding shipping, on the completion date) through the omzet ledger, one line per order line;
a return reverses its share. Both ledger calls are idempotent on their source keys.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_log
from apps.core.actors import Actor, actor_user
from apps.omzet.services import omzet_record_return, omzet_record_sale
from apps.orders.conf import auto_complete_days
from apps.orders.models import (
    Order,
    OrderLine,
    OrderReturn,
    OrderReturnLine,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    ShippingMethod,
)
from apps.orders.notifications import mail_buyer_on_commit
from apps.orders.rules import TRANSITIONS, can
from apps.orders.services.payments import orders_release_stock


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().select_related("payment", "seller").get(pk=order.pk)


def _check(order: Order, transition: str) -> None:
    if not can(transition, order.status):
        raise ValidationError(
            _("Pesanan %(n)s berstatus %(s)s; langkah ini tidak bisa dilakukan.")
            % {"n": order.number, "s": order.get_status_display()}
        )


def _move(
    order: Order, transition: str, *, actor: Actor | None, fields: dict[str, Any], extra: dict[str, Any] | None = None
) -> Order:
    before = order.status
    order.status = TRANSITIONS[transition][1]
    for name, value in fields.items():
        setattr(order, name, value)
    order.save(update_fields=["status", *fields])
    audit_log(
        actor=actor,
        action=f"order.{transition}",
        obj=order,
        changes={"status": [before, order.status], **(extra or {})},
    )
    mail_buyer_on_commit(
        order.payment,
        subject=_("Pesanan %(n)s: %(s)s") % {"n": order.number, "s": order.get_status_display()},
        body=_("Status pesanan %(n)s dari %(shop)s sekarang: %(s)s.")
        % {"n": order.number, "shop": order.seller, "s": order.get_status_display()},
    )
    return order


@transaction.atomic
def order_process(*, order: Order, actor: Actor) -> Order:
    """The seller starts packing: a paid order, or a cash-on-delivery order straight after checkout."""
    order = _locked(order)
    _check(order, "process")
    if order.status == OrderStatus.PLACED and order.payment.method != PaymentMethod.COD:
        raise ValidationError(_("Pesanan %(n)s belum dibayar.") % {"n": order.number})
    if order.payment.method == PaymentMethod.COD and order.payment.contact_confirmed_at is None:
        # an unconfirmed guest may be nobody: the goods stay reserved until the link is clicked or it expires
        raise ValidationError(
            _("Pembeli pesanan %(n)s belum mengonfirmasi e-mailnya; pesanan bayar di tempat belum bisa diproses.")
            % {"n": order.number}
        )
    return _move(order, "process", actor=actor, fields={})


@transaction.atomic
def order_ship(*, order: Order, courier: str, tracking_number: str, actor: Actor) -> Order:
    """Handed to the courier with its tracking number (resi). Pickup orders are delivered, not shipped."""
    order = _locked(order)
    _check(order, "ship")
    if order.shipping_method == ShippingMethod.PICKUP:
        raise ValidationError(_("Pesanan ini diambil sendiri; tandai sebagai sudah diterima."))
    courier, tracking_number = (courier or order.courier).strip(), tracking_number.strip()
    if not tracking_number:
        raise ValidationError({"tracking_number": _("Nomor resi wajib diisi.")})
    if not courier:
        raise ValidationError({"courier": _("Kurir wajib diisi.")})
    return _move(
        order,
        "ship",
        actor=actor,
        fields={"courier": courier[:40], "tracking_number": tracking_number[:60], "shipped_at": timezone.now()},
        extra={"kurir": courier, "resi": tracking_number},
    )


@transaction.atomic
def order_deliver(*, order: Order, actor: Actor) -> Order:
    """The parcel arrived (or the buyer picked it up). Cash on delivery is paid at this moment."""
    order = _locked(order)
    _check(order, "deliver")
    if order.status == OrderStatus.PROCESSING and order.shipping_method != ShippingMethod.PICKUP:
        raise ValidationError(_("Pesanan %(n)s belum dikirim.") % {"n": order.number})
    now = timezone.now()
    fields: dict[str, Any] = {"delivered_at": now}
    if order.payment.method == PaymentMethod.COD and order.paid_at is None:
        fields["paid_at"] = now
    return _move(order, "deliver", actor=actor, fields=fields)


def _record_omzet(order: Order, *, actor: Actor | None) -> None:
    assert order.completed_at is not None
    for line in OrderLine.objects.filter(order=order).select_related("variant__product").order_by("pk"):
        line.order = order
        omzet_record_sale(
            source_key=line.omzet_source_key,
            channel_code="web",
            regency_code=order.regency_id,
            seller=order.seller,
            variant=line.variant,
            product_name=line.product_name,
            quantity=line.quantity,
            amount=line.line_total,
            counted_at=order.completed_at,
            actor=actor,
        )


@transaction.atomic
def order_complete(*, order: Order, actor: Actor | None, now: datetime | None = None) -> Order:
    """The buyer confirms receipt (or the auto-completion after N days): the sale counts as omzet."""
    order = _locked(order)
    _check(order, "complete")
    now = now or timezone.now()
    fields: dict[str, Any] = {"completed_at": now}
    if order.delivered_at is None:
        fields["delivered_at"] = now
    if order.paid_at is None:
        fields["paid_at"] = now
    order = _move(order, "complete", actor=actor, fields=fields)
    _record_omzet(order, actor=actor)
    return order


@transaction.atomic
def order_cancel(*, order: Order, reason: str, actor: Actor) -> Order:
    """Cancel a cash-on-delivery order before the seller processes it; its stock returns.

    Unpaid transfer and gateway checkouts are cancelled as a whole (`payment_cancel`), because
    one payment amount covers all their orders.
    """
    order = _locked(order)
    _check(order, "cancel")
    if order.payment.method != PaymentMethod.COD:
        raise ValidationError(_("Batalkan seluruh pembayaran %(c)s, bukan satu pesanan.") % {"c": order.payment.code})
    orders_release_stock([order])
    return _move(
        order,
        "cancel",
        actor=actor,
        fields={"closed_at": timezone.now(), "status_note": (reason or _("Dibatalkan."))[:300]},
        extra={"alasan": reason},
    )


@transaction.atomic
def order_refund(*, order: Order, reason: str, actor: Actor) -> Order:
    """A paid order the seller cannot fulfil: cancelled with the money returned to the buyer, stock back."""
    order = _locked(order)
    _check(order, "refund")
    if order.payment.status != PaymentStatus.PAID and order.paid_at is None:
        raise ValidationError(_("Pesanan %(n)s belum dibayar.") % {"n": order.number})
    if not reason.strip():
        raise ValidationError({"reason": _("Tuliskan alasan pembatalan.")})
    orders_release_stock([order])
    return _move(
        order,
        "refund",
        actor=actor,
        fields={"closed_at": timezone.now(), "status_note": reason.strip()[:300]},
        extra={"alasan": reason, "dana_dikembalikan": order.total},
    )


@transaction.atomic
def order_return(*, order: Order, quantities: Mapping[int, int], reason: str, actor: Actor) -> OrderReturn:
    """Goods returned after completion (line id → quantity): the omzet ledger gets a reversal per line.

    Returned goods are not put back into stock: whether they can be sold again is the seller's call.
    """
    order = _locked(order)
    _check(order, "return")
    if not reason.strip():
        raise ValidationError({"reason": _("Tuliskan alasan retur.")})
    lines = {line.pk: line for line in OrderLine.objects.select_for_update().filter(order=order).order_by("pk")}
    wanted = {int(k): int(v) for k, v in quantities.items() if int(v) > 0}
    if not wanted:
        raise ValidationError(_("Pilih barang yang diretur."))
    for line_id, quantity in wanted.items():
        line = lines.get(line_id)
        if line is None:
            raise ValidationError(_("Baris pesanan tidak dikenal."))
        if quantity > line.quantity - line.returned_quantity:
            raise ValidationError(
                _("%(p)s: paling banyak %(n)s yang bisa diretur.")
                % {"p": line.product_name, "n": line.quantity - line.returned_quantity}
            )
    now = timezone.now()
    ret = OrderReturn.objects.create(
        order=order,
        reason=reason.strip()[:300],
        amount=sum(lines[i].unit_net * q for i, q in wanted.items()),
        created_by=actor_user(actor),
    )
    for line_id in sorted(wanted):
        line, quantity = lines[line_id], wanted[line_id]
        line.order = order
        OrderReturnLine.objects.create(order_return=ret, line=line, quantity=quantity, amount=line.unit_net * quantity)
        line.returned_quantity += quantity
        line.save(update_fields=["returned_quantity"])
        omzet_record_return(
            source_key=f"web-retur:{ret.pk}:{line.pk}",
            original_source_key=line.omzet_source_key,
            quantity=quantity,
            amount=line.unit_net * quantity,
            counted_at=now,
            actor=actor,
        )
    _move(
        order,
        "return",
        actor=actor,
        fields={"closed_at": now},
        extra={"retur": ret.pk, "nilai": ret.amount, "alasan": ret.reason},
    )
    return ret


def orders_autocomplete_due(*, now: datetime | None = None, days: int | None = None, actor: Actor | None = None) -> int:
    """Complete orders shipped or delivered more than N days ago that the buyer never confirmed."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=auto_complete_days() if days is None else days)
    due = list(
        Order.objects.filter(
            Q(status__in=[OrderStatus.SHIPPED, OrderStatus.DELIVERED], shipped_at__lte=cutoff)
            | Q(status=OrderStatus.DELIVERED, shipped_at__isnull=True, delivered_at__lte=cutoff)
        ).values_list("pk", flat=True)
    )
    done = 0
    for pk in sorted(due):
        try:
            order_complete(order=Order(pk=pk), actor=actor, now=now)
        except ValidationError:
            continue  # the buyer or an operator moved it meanwhile
        done += 1
    return done
