"""Checkout: a cart becomes one order per seller under one payment, with the goods reserved from stock.

Stock is never oversold: each variant is decremented by a conditional UPDATE
(`stock = stock - n WHERE id = v AND stock >= n`), variants in ascending id order so two checkouts
never wait on each other in opposite orders (no deadlock). On PostgreSQL the row lock the UPDATE
takes serialises competing checkouts and the WHERE is re-checked on the latest row version; on
SQLite the project's IMMEDIATE transactions serialise writers. A shortfall on any line rolls the
whole checkout back. Reserved stock returns when the payment expires or the order is cancelled.
"""

import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_log
from apps.core.actors import Visitor, actor_user
from apps.core.formatting import rupiah, wib
from apps.orders.conf import bank_account, cod_confirm_hours, cod_max_open_units, payment_ttl_hours
from apps.orders.models import (
    Cart,
    CartItem,
    Order,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    ShippingMethod,
)
from apps.orders.notifications import mail_on_commit, site_url
from apps.orders.selectors import PICKUP_KEY, shipping_options, variant_weight
from apps.orders.services.cart import variant_sellable_error
from apps.regions.models import Level, Region
from apps.store.models import Variant


class OutOfStock(ValidationError):
    """A line could not be reserved: somebody else bought the last units first."""


@dataclass(frozen=True)
class Recipient:
    name: str
    phone: str
    email: str
    address: str
    village_code: str
    postal_code: str = ""


@dataclass(frozen=True)
class WantedLine:
    variant_id: int
    quantity: int


def payment_ttl() -> timedelta:
    return timedelta(hours=payment_ttl_hours())


CONTACT_SALT = "orders.payment-contact"


def contact_token(payment: Payment) -> str:
    """The signed value of the confirmation link in the first mail (the payment page's token is shown on the
    screen after checkout, so it proves nothing about the e-mail address)."""
    return signing.dumps([payment.pk, payment.buyer_email.lower()], salt=CONTACT_SALT, compress=True)


def payment_from_contact_token(token: str) -> Payment | None:
    try:
        pk, email = signing.loads(token, salt=CONTACT_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    payment = Payment.objects.filter(pk=pk).first()
    return payment if payment is not None and payment.buyer_email.lower() == email else None


def _cod_open_units(*, email: str, phone: str, buyer: Any) -> int:
    """Units the same person holds in cash-on-delivery orders no seller has started processing."""
    same_person = Q(order__payment__buyer_email__iexact=email) | Q(order__payment__buyer_phone=phone)
    if buyer is not None:
        same_person |= Q(order__payment__buyer=buyer)
    return (
        OrderLine.objects.filter(
            same_person, order__payment__method=PaymentMethod.COD, order__status=OrderStatus.PLACED
        ).aggregate(n=Sum("quantity"))["n"]
        or 0
    )


def _first_mail_body(payment: Payment, *, confirmed: bool) -> str:
    """The one mail a checkout sends before the address is confirmed: everything needed to get back to the
    order and pay (#18), and the confirmation link when the address is not yet confirmed."""
    parts = [
        _("Terima kasih. Pesanan Anda %(code)s senilai %(amount)s sudah kami terima.")
        % {"code": payment.code, "amount": rupiah(payment.amount)},
        _("Halaman pembayaran: %(url)s") % {"url": site_url(reverse("orders:payment", args=[payment.access_token]))},
    ]
    deadline = wib(payment.expires_at) if payment.expires_at else ""
    if payment.method == PaymentMethod.TRANSFER:
        parts.append(
            _("Transfer %(amount)s ke %(account)s sebelum %(deadline)s, lalu unggah bukti transfer di halaman itu.")
            % {"amount": rupiah(payment.amount), "account": bank_account(), "deadline": deadline}
        )
    elif payment.method == PaymentMethod.GATEWAY:
        parts.append(
            _("Bayar %(amount)s sebelum %(deadline)s.") % {"amount": rupiah(payment.amount), "deadline": deadline}
        )
    else:
        parts.append(_("Bayar %(amount)s tunai saat barang diterima.") % {"amount": rupiah(payment.amount)})
    if not confirmed:
        link = site_url(reverse("orders:confirm_contact", args=[contact_token(payment)]))
        if payment.method == PaymentMethod.COD:
            parts.append(
                _(
                    "Konfirmasi alamat e-mail ini sebelum %(deadline)s agar penjual memproses pesanan; tanpa "
                    "konfirmasi pesanan dibatalkan otomatis: %(link)s"
                )
                % {"deadline": deadline, "link": link}
            )
        else:
            parts.append(
                _("Konfirmasi alamat e-mail ini agar kami bisa mengabarkan status pesanan: %(link)s") % {"link": link}
            )
    return "\n\n".join(parts)


def village_for(code: str) -> Region:
    """The destination village; the code must be a Kemendagri village code (PP.KK.CC.DDDD)."""
    region = Region.objects.filter(code=code.strip(), level=Level.VILLAGE).first()
    if region is None:
        raise ValidationError({"village_code": _("Kode desa/kelurahan %(c)s tidak dikenal.") % {"c": code}})
    return region


def _new_code() -> str:
    return f"TT{timezone.localdate():%y%m%d}-{secrets.token_hex(4).upper()}"


def stock_reserve(wanted: dict[int, int]) -> None:
    """Take `wanted` (variant id → quantity) from stock, all or nothing, in ascending variant id."""
    for variant_id in sorted(wanted):
        quantity = wanted[variant_id]
        taken = Variant.objects.filter(pk=variant_id, stock__gte=quantity).update(stock=F("stock") - quantity)
        if taken != 1:
            variant = Variant.objects.select_related("product").get(pk=variant_id)
            raise OutOfStock(
                _("Stok %(p)s tidak cukup: diminta %(want)s, tersedia %(left)s.")
                % {"p": variant, "want": quantity, "left": variant.stock}
            )


def stock_release(wanted: dict[int, int]) -> None:
    """Put reserved quantities back, in ascending variant id (the same order as `stock_reserve`)."""
    for variant_id in sorted(wanted):
        Variant.objects.filter(pk=variant_id).update(stock=F("stock") + wanted[variant_id])


def checkout_place(
    *,
    lines: list[WantedLine],
    recipient: Recipient,
    shipping: dict[int, str],
    method: str,
    buyer: Visitor,
    actor: Visitor,
    note: str = "",
) -> Payment:
    """Place one order per seller for `lines` under one payment and reserve their stock.

    `shipping` maps a seller id to the key of one of `shipping_options` (a courier rate or pickup);
    the cost is recomputed here, never taken from the form. Raises ValidationError (OutOfStock for
    a shortfall) and then nothing is written.
    """
    if not lines:
        raise ValidationError(_("Keranjang kosong."))
    if method not in PaymentMethod.values:
        raise ValidationError({"method": _("Pilih cara pembayaran.")})
    village = village_for(recipient.village_code)
    quantities: dict[int, int] = defaultdict(int)
    for line in lines:
        if line.quantity < 1:
            raise ValidationError(_("Jumlah minimal 1."))
        quantities[line.variant_id] += line.quantity
    variants = Variant.objects.select_related("product__seller").in_bulk(list(quantities))
    if len(variants) != len(quantities):
        raise ValidationError(_("Sebagian produk di keranjang sudah tidak ada."))
    by_seller: dict[int, list[Variant]] = defaultdict(list)
    for variant_id in sorted(quantities):
        variant = variants[variant_id]
        error = variant_sellable_error(variant)
        if error:
            raise ValidationError(error)
        by_seller[variant.product.seller_id].append(variant)

    plans = []
    for seller_id in sorted(by_seller):
        seller_variants = by_seller[seller_id]
        seller = seller_variants[0].product.seller
        weight = sum(variant_weight(v) * quantities[v.pk] for v in seller_variants)
        options = {
            o.key: o
            for o in shipping_options(seller=seller, destination_regency_code=village.regency_code, weight_grams=weight)
        }
        choice = options.get(shipping.get(seller_id, ""))
        if choice is None:
            raise ValidationError(_("Pilih pengiriman untuk toko %(s)s.") % {"s": seller})
        plans.append((seller, seller_variants, weight, choice))

    now = timezone.now()
    account_holder = actor_user(buyer)
    # An account holder is known to the shop; a guest proves the address through the first mail's link.
    confirmed_at = now if account_holder is not None else None
    if method == PaymentMethod.COD:
        expires_at = None if confirmed_at else now + timedelta(hours=cod_confirm_hours())
    else:
        expires_at = now + payment_ttl()
    with transaction.atomic():
        if method == PaymentMethod.COD:
            held = _cod_open_units(email=recipient.email, phone=recipient.phone, buyer=account_holder)
            limit = cod_max_open_units()
            if held + sum(quantities.values()) > limit:
                raise ValidationError(
                    _(
                        "Bayar di tempat dibatasi %(limit)s barang per pembeli yang belum diproses penjual "
                        "(Anda sudah memesan %(held)s). Pilih transfer atau pembayaran daring, atau tunggu "
                        "pesanan sebelumnya diproses."
                    )
                    % {"limit": limit, "held": held}
                )
        stock_reserve(dict(quantities))
        status = PaymentStatus.COD if method == PaymentMethod.COD else PaymentStatus.PENDING
        payment = Payment.objects.create(
            code=_new_code(),
            access_token=secrets.token_urlsafe(32),
            buyer=account_holder,
            buyer_name=recipient.name,
            buyer_email=recipient.email,
            buyer_phone=recipient.phone,
            method=method,
            status=status,
            amount=0,
            expires_at=expires_at,
            contact_confirmed_at=confirmed_at,
        )
        amount = 0
        for n, (seller, seller_variants, weight, choice) in enumerate(plans, start=1):
            goods = sum(v.price * quantities[v.pk] for v in seller_variants)
            order = Order.objects.create(
                number=f"{payment.code}-{n}",
                payment=payment,
                seller=seller,
                buyer=payment.buyer,
                regency_id=seller.regency_id,
                recipient_name=recipient.name,
                recipient_phone=recipient.phone,
                address=recipient.address,
                village=village,
                postal_code=recipient.postal_code,
                shipping_method=ShippingMethod.PICKUP if choice.key == PICKUP_KEY else ShippingMethod.COURIER,
                courier=choice.courier,
                courier_service=choice.service,
                weight_grams=weight,
                goods_total=goods,
                shipping_cost=choice.cost,
                total=goods + choice.cost,
                note=note,
            )
            OrderLine.objects.bulk_create(
                [
                    OrderLine(
                        order=order,
                        variant=v,
                        product_name=v.product.name,
                        variant_name=v.name,
                        sku=v.sku,
                        unit_price=v.price,
                        discount=0,
                        quantity=quantities[v.pk],
                        line_total=v.price * quantities[v.pk],
                    )
                    for v in seller_variants
                ]
            )
            amount += order.total
        payment.amount = amount
        payment.save(update_fields=["amount"])
        if payment.buyer is not None:
            CartItem.objects.filter(cart__user=payment.buyer, variant_id__in=list(quantities)).delete()
        audit_log(
            actor=actor,
            action="payment.checkout",
            obj=payment,
            changes={
                "metode": method,
                "jumlah": amount,
                "pesanan": [f"{payment.code}-{n}" for n in range(1, len(plans) + 1)],
            },
            regency_code=plans[0][0].regency_id,
        )
        mail_on_commit(
            to=[recipient.email],
            subject=_("Pesanan %(code)s diterima") % {"code": payment.code},
            body=_first_mail_body(payment, confirmed=confirmed_at is not None),
        )
    return payment


def checkout_from_cart(
    *,
    cart: Cart,
    recipient: Recipient,
    shipping: dict[int, str],
    method: str,
    buyer: Visitor,
    actor: Visitor,
    note: str = "",
) -> Payment:
    """Checkout of everything in a cart; the cart is emptied in the same transaction."""
    lines = [WantedLine(i.variant_id, i.quantity) for i in cart.items.all()]
    with transaction.atomic():
        payment = checkout_place(
            lines=lines, recipient=recipient, shipping=shipping, method=method, buyer=buyer, actor=actor, note=note
        )
        cart.items.all().delete()
    return payment
