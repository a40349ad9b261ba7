"""Payments: transfer proof and operator verification, cash on delivery, the gateway, and expiry.

Every change of a payment first locks its row (`select_for_update`; SQLite's IMMEDIATE transactions
do the same job), then decides from the state it finds. That makes the writes idempotent and safe
against each other: the same gateway notification ten times, a notification racing the expiry job,
an operator verifying twice — one state change, the rest are no-ops.
"""

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.services import audit_log
from apps.core.actors import Actor, Visitor, actor_user
from apps.core.uploads import DOCUMENT_KINDS, check_upload
from apps.orders.models import Order, OrderStatus, Payment, PaymentMethod, PaymentStatus
from apps.orders.notifications import mail_buyer_on_commit, mail_on_commit, seller_emails
from apps.orders.services.checkout import payment_ttl, stock_release, stock_reserve

MAX_PROOF_BYTES = 5 * 1024 * 1024
PROOF_KINDS = DOCUMENT_KINDS  # JPEG, PNG or PDF
PROOF_MESSAGES = {
    "kind": gettext_lazy("Bukti harus berupa gambar JPG/PNG atau PDF."),
    "size": gettext_lazy("Berkas bukti terlalu besar (maksimal 5 MB)."),
}


def _locked(payment: Payment) -> Payment:
    return Payment.objects.select_for_update().get(pk=payment.pk)


def _open_orders(payment: Payment) -> list[Order]:
    # FOR UPDATE OF the orders only: with the joined seller locked too, a settlement (holding the stock it
    # just took back) and an expiry of another payment of the same shop (holding the seller row, waiting
    # for the stock) deadlocked.
    return list(
        Order.objects.select_for_update(of=("self",))
        .filter(payment=payment, status=OrderStatus.PLACED)
        .select_related("seller")
        .order_by("pk")
    )


def orders_release_stock(orders: list[Order]) -> None:
    """Return the reserved goods of orders that still hold them (each order at most once)."""
    wanted: dict[int, int] = defaultdict(int)
    holding = [o for o in orders if not o.stock_released]
    for order in holding:
        for line in order.lines.all():
            wanted[line.variant_id] += line.quantity
    stock_release(dict(wanted))
    Order.objects.filter(pk__in=[o.pk for o in holding]).update(stock_released=True)
    for order in holding:
        order.stock_released = True


def _mark_paid(payment: Payment, *, actor: Visitor | None, action: str, changes: dict[str, Any]) -> None:
    """PENDING/VERIFYING → PAID, and every placed order of it → PAID; sellers are told to pack."""
    now = timezone.now()
    before = payment.status
    payment.status, payment.paid_at = PaymentStatus.PAID, now
    payment.save(update_fields=["status", "paid_at", "verified_by", "review_note", "gateway_status"])
    orders = _open_orders(payment)
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(status=OrderStatus.PAID, paid_at=now)
    audit_log(actor=actor, action=action, obj=payment, changes={"status": [before, payment.status], **changes})
    mail_buyer_on_commit(
        payment,
        subject=_("Pembayaran %(code)s diterima") % {"code": payment.code},
        body=_("Pembayaran Anda sudah kami terima. Penjual akan segera mengemas pesanan."),
    )
    for order in orders:
        mail_on_commit(
            to=seller_emails(order.seller),
            subject=_("Pesanan baru %(n)s sudah dibayar") % {"n": order.number},
            body=_("Pesanan %(n)s sudah dibayar. Silakan proses dan kirim.") % {"n": order.number},
        )


def _close_unpaid(payment: Payment, *, status: str, actor: Visitor | None, action: str, reason: str) -> None:
    """PENDING/VERIFYING → EXPIRED/CANCELLED: placed orders are cancelled and their stock returns."""
    before = payment.status
    payment.status = status
    payment.save(update_fields=["status", "gateway_status"])
    orders = _open_orders(payment)
    orders_release_stock(orders)
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(
        status=OrderStatus.CANCELLED, closed_at=timezone.now(), status_note=reason[:300]
    )
    audit_log(actor=actor, action=action, obj=payment, changes={"status": [before, status], "alasan": reason})
    mail_buyer_on_commit(
        payment,
        subject=_("Pesanan %(code)s dibatalkan") % {"code": payment.code},
        body=reason,
    )


@transaction.atomic
def payment_upload_proof(*, payment: Payment, upload: UploadedFile, actor: Visitor) -> Payment:
    """The buyer's transfer proof; the payment waits for an operator's verification (and no longer expires)."""
    payment = _locked(payment)
    if payment.method != PaymentMethod.TRANSFER:
        raise ValidationError(_("Pembayaran ini bukan transfer bank."))
    if payment.status not in (PaymentStatus.PENDING, PaymentStatus.VERIFYING):
        raise ValidationError(_("Pembayaran ini sudah %(s)s.") % {"s": payment.get_status_display()})
    try:
        checked = check_upload(upload, kinds=PROOF_KINDS, max_bytes=MAX_PROOF_BYTES, messages=PROOF_MESSAGES)
    except ValidationError as exc:
        raise ValidationError({"proof": exc.messages[0]}) from exc
    before = payment.status
    old_proof = payment.proof.name
    # stored privately under a random name; the client's name never reaches the disk or a response
    payment.proof.save(checked.name, checked.file, save=False)
    payment.status, payment.proof_uploaded_at, payment.review_note = PaymentStatus.VERIFYING, timezone.now(), ""
    payment.save(update_fields=["proof", "status", "proof_uploaded_at", "review_note"])
    if old_proof:
        storage, name = payment.proof.storage, old_proof
        transaction.on_commit(lambda: storage.delete(name))
    audit_log(actor=actor, action="payment.upload_proof", obj=payment, changes={"status": [before, payment.status]})
    return payment


@transaction.atomic
def payment_verify(*, payment: Payment, actor: Actor) -> Payment:
    """An operator confirms the transfer arrived. Verifying twice changes nothing the second time."""
    payment = _locked(payment)
    if payment.status == PaymentStatus.PAID:
        return payment
    if payment.status != PaymentStatus.VERIFYING:
        raise ValidationError(_("Pembayaran %(c)s tidak menunggu verifikasi.") % {"c": payment.code})
    payment.verified_by = actor_user(actor)
    _mark_paid(payment, actor=actor, action="payment.verify", changes={})
    return payment


@transaction.atomic
def payment_reject_proof(*, payment: Payment, note: str, actor: Actor) -> Payment:
    """The proof does not show the money: the buyer may upload another until the payment deadline."""
    payment = _locked(payment)
    if payment.status != PaymentStatus.VERIFYING:
        raise ValidationError(_("Pembayaran %(c)s tidak menunggu verifikasi.") % {"c": payment.code})
    if not note.strip():
        raise ValidationError({"note": _("Tuliskan alasan penolakan.")})
    payment.status, payment.review_note, payment.verified_by = (
        PaymentStatus.PENDING,
        note.strip()[:300],
        actor_user(actor),
    )
    # A rejected proof restarts the clock only if the deadline has already passed: a fair last chance.
    now = timezone.now()
    if payment.expires_at and payment.expires_at < now:
        payment.expires_at = now + payment_ttl()
    payment.save(update_fields=["status", "review_note", "verified_by", "expires_at"])
    audit_log(
        actor=actor,
        action="payment.reject_proof",
        obj=payment,
        changes={"status": [PaymentStatus.VERIFYING, PaymentStatus.PENDING], "catatan": payment.review_note},
    )
    mail_buyer_on_commit(
        payment,
        subject=_("Bukti transfer %(c)s ditolak") % {"c": payment.code},
        body=_("Bukti transfer Anda ditolak: %(note)s. Silakan unggah bukti yang benar.")
        % {"note": payment.review_note},
    )
    return payment


@transaction.atomic
def payment_cancel(*, payment: Payment, reason: str, actor: Visitor) -> Payment:
    """The buyer (or an operator) cancels an unpaid checkout: every order of it, stock returned."""
    payment = _locked(payment)
    if payment.status == PaymentStatus.CANCELLED:
        return payment
    if payment.status not in (PaymentStatus.PENDING, PaymentStatus.VERIFYING, PaymentStatus.COD):
        raise ValidationError(
            _("Pembayaran %(c)s sudah %(s)s.") % {"c": payment.code, "s": payment.get_status_display()}
        )
    if (
        payment.status == PaymentStatus.COD
        and Order.objects.filter(payment=payment)
        .exclude(status__in=[OrderStatus.PLACED, OrderStatus.CANCELLED])
        .exists()
    ):
        raise ValidationError(_("Sebagian pesanan sudah diproses penjual; batalkan per pesanan."))
    _close_unpaid(
        payment,
        status=PaymentStatus.CANCELLED,
        actor=actor,
        action="payment.cancel",
        reason=reason or _("Dibatalkan oleh pembeli."),
    )
    return payment


def _expirable(payment: Payment) -> bool:
    """Unpaid and past nothing that stops the clock: a transfer or gateway payment waiting for money, or a
    cash-on-delivery checkout whose guest never confirmed the e-mail address."""
    if payment.status == PaymentStatus.PENDING:
        return True
    return payment.status == PaymentStatus.COD and payment.contact_confirmed_at is None


@transaction.atomic
def payment_expire(*, payment: Payment, now: datetime, actor: Actor | None = None) -> bool:
    """A transfer or gateway payment not paid by its deadline expires, and so does a cash-on-delivery
    checkout whose e-mail was not confirmed in time (M6: it must not hold stock for ever); the stock of
    every order still placed returns, exactly once. True if it expired."""
    payment = _locked(payment)
    if not _expirable(payment) or payment.expires_at is None or payment.expires_at > now:
        return False
    if payment.status == PaymentStatus.COD:
        reason = _("E-mail tidak dikonfirmasi tepat waktu; pesanan bayar di tempat dibatalkan otomatis.")
    else:
        reason = _("Batas waktu pembayaran terlewati; pesanan dibatalkan otomatis.")
    _close_unpaid(payment, status=PaymentStatus.EXPIRED, actor=actor, action="payment.expire", reason=reason)
    return True


@transaction.atomic
def payment_confirm_contact(*, payment: Payment, actor: Visitor | None) -> Payment:
    """The buyer clicked the link of the first mail: the address is theirs. Later mails are sent, and a
    cash-on-delivery checkout stops expiring (the seller may now process it). Twice changes nothing."""
    payment = _locked(payment)
    if payment.contact_confirmed_at is not None:
        return payment
    if payment.status in (PaymentStatus.EXPIRED, PaymentStatus.CANCELLED):
        raise ValidationError(
            _("Pesanan %(c)s sudah %(s)s; silakan pesan kembali.")
            % {"c": payment.code, "s": payment.get_status_display().lower()}
        )
    changes: dict[str, Any] = {"email": payment.buyer_email}
    payment.contact_confirmed_at = timezone.now()
    fields = ["contact_confirmed_at"]
    if payment.status == PaymentStatus.COD:
        payment.expires_at = None
        fields.append("expires_at")
        changes["batas"] = "dihapus"
    payment.save(update_fields=fields)
    audit_log(actor=actor, action="payment.confirm_contact", obj=payment, changes=changes)
    return payment


def payments_expire_due(*, now: datetime | None = None, actor: Actor | None = None) -> int:
    """Expire every overdue unpaid payment and unconfirmed cash-on-delivery checkout (the `orders_expire`
    command and job, and the worker's idle task). Returns how many."""
    now = now or timezone.now()
    due = list(
        Payment.objects.filter(
            Q(status=PaymentStatus.PENDING) | Q(status=PaymentStatus.COD, contact_confirmed_at__isnull=True),
            expires_at__lte=now,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    expired = 0
    for pk in due:
        expired += payment_expire(payment=Payment(pk=pk), now=now, actor=actor)
    return expired


def _gateway_paid_late(payment: Payment, *, actor: Actor | None, changes: dict[str, Any]) -> None:
    """Money arrived for a payment we had already closed: take the stock again if it is still there,
    else keep the orders cancelled and flag the payment for a refund by an operator."""
    orders = list(
        Order.objects.select_for_update().filter(payment=payment, status=OrderStatus.CANCELLED).order_by("pk")
    )
    wanted: dict[int, int] = defaultdict(int)
    for order in orders:
        for line in order.lines.all():
            wanted[line.variant_id] += line.quantity
    try:
        with transaction.atomic():
            stock_reserve(dict(wanted))
    except ValidationError:
        before = payment.status
        payment.status = PaymentStatus.PAID_LATE
        payment.save(update_fields=["status", "gateway_status"])
        audit_log(
            actor=actor,
            action="payment.paid_late",
            obj=payment,
            changes={"status": [before, payment.status], **changes},
        )
        return
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(
        status=OrderStatus.PLACED, stock_released=False, closed_at=None, status_note=""
    )
    _mark_paid(payment, actor=actor, action="payment.gateway_paid", changes={**changes, "dibuka_kembali": True})
