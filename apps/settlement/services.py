"""Writes of the settlement: commission rules, statements (generate, close), fees/adjustments, payouts.
Each runs in one transaction with its audit entry; a closed statement is never written again."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_log
from apps.core.actors import Actor, actor_user
from apps.core.formatting import today_wib
from apps.core.uploads import DOCUMENT_KINDS, check_upload
from apps.jobs.progress import Progress
from apps.settlement.models import (
    Adjustment,
    CommissionRule,
    Payout,
    Statement,
    StatementLine,
    StatementStatus,
)
from apps.settlement.rules import month_start, period_until
from apps.settlement.selectors import (
    candidate_sellers,
    previous_statement,
    statement_items,
    statement_summary,
)
from apps.store.models import Seller

MAX_AMOUNT = 10_000_000_000  # Rp10 miliar: anything larger is a typing mistake


@transaction.atomic
def commission_rule_save(*, rule: CommissionRule, actor: Actor) -> CommissionRule:
    """Create or change a commission rule (the admin's form calls this), audited with the differences.
    A seller-specific rule must name a seller of a regency the rule's department may settle."""
    if rule.percent_bp > 10000:
        raise ValidationError(_("Persentase komisi paling banyak 10000 basis poin (100%)."))
    if rule.fee_per_unit < 0:
        raise ValidationError(_("Biaya per unit tidak boleh negatif."))
    before = {}
    if rule.pk:
        old = CommissionRule.objects.select_for_update().get(pk=rule.pk)
        before = {f: getattr(old, f) for f in ("channel_code", "seller_id", "percent_bp", "fee_per_unit", "valid_from")}
    if not rule.pk:
        rule.created_by = actor_user(actor)
    rule.save()
    after = {f: getattr(rule, f) for f in ("channel_code", "seller_id", "percent_bp", "fee_per_unit", "valid_from")}
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    audit_log(
        actor=actor,
        action="settlement.rule_update" if before else "settlement.rule_create",
        obj=rule,
        changes={k: [str(a) if a is not None else None, str(b)] for k, (a, b) in changes.items()},
    )
    return rule


def statement_open(*, regency_code: str, seller: Seller, period: date, actor: Actor) -> tuple[Statement, bool]:
    """The seller's statement of the month with the department, created when missing (audited)."""
    period = month_start(period)
    existing = Statement.objects.filter(regency_id=regency_code, seller=seller, period=period).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            statement = Statement.objects.create(regency_id=regency_code, seller=seller, period=period)
            audit_log(
                actor=actor,
                action="settlement.statement_create",
                obj=statement,
                changes={"seller": seller.shop_name, "period": period.strftime("%Y-%m")},
            )
    except IntegrityError:  # created by a concurrent run
        return Statement.objects.get(regency_id=regency_code, seller=seller, period=period), False
    return statement, True


def statements_generate(*, regency_code: str, period: date, actor: Actor, progress: Progress | None = None) -> int:
    """Create the month's statement of every seller the department owes something for that month (lines not
    yet counted, or a balance carried from the previous statement). Returns how many were created; running
    it again creates nothing new. Each seller in its own transaction, so a long run shows its progress."""
    period = month_start(period)
    if period > month_start(today_wib()):
        raise ValidationError(_("Periode belum dimulai."))
    until = period_until(period)
    sellers = list(candidate_sellers(regency_code=regency_code, until=until))
    if progress is not None:
        progress.start(len(sellers), _("Menyusun laporan penyelesaian"))
    created = 0
    for n, seller in enumerate(sellers, start=1):
        mine = Statement.objects.filter(regency_id=regency_code, seller=seller)
        # a month already covered, or before a closed one (its lines went into that one), gets no statement
        if not mine.filter(Q(period=period) | Q(period__gt=period, status=StatementStatus.CLOSED)).exists():
            probe = Statement(regency_id=regency_code, seller=seller, period=period)
            previous = previous_statement(probe)
            carried = statement_summary(previous).closing if previous is not None else 0
            if carried or statement_items(probe):
                created += statement_open(regency_code=regency_code, seller=seller, period=period, actor=actor)[1]
        if progress is not None:
            progress.update(n, seller.shop_name)
    if progress is not None:
        progress.finish(_("%(n)s laporan baru") % {"n": created})
    return created


def _lock_open(statement: Statement) -> Statement:
    locked = Statement.objects.select_for_update().select_related("seller").get(pk=statement.pk)
    if locked.is_closed:
        raise ValidationError(_("Laporan periode ini sudah ditutup; koreksi masuk ke periode berikutnya."))
    return locked


@transaction.atomic
def statement_close(*, statement: Statement, actor: Actor) -> Statement:
    """Close the statement: its lines are stored as they are now (never recomputed) with its totals and
    balances. Statements of one seller close in order of their months."""
    statement = _lock_open(statement)
    earlier = Statement.objects.filter(
        regency_id=statement.regency_id,
        seller_id=statement.seller_id,
        period__lt=statement.period,
        status=StatementStatus.OPEN,
    ).order_by("period")
    first = earlier.first()
    if first is not None:
        raise ValidationError(_("Tutup dulu laporan %(p)s toko ini.") % {"p": first.period.strftime("%m/%Y")})
    summary = statement_summary(statement)
    StatementLine.objects.bulk_create(
        [
            StatementLine(
                statement=statement,
                omzet_line_id=x.omzet_line_id,
                kind=x.kind,
                counted_at=x.counted_at,
                channel_name=x.channel_name[:80],
                source=x.source[:255],
                product_name=x.product_name[:255],
                quantity=x.quantity,
                gross=x.gross,
                commission=x.commission,
                net=x.net,
            )
            for x in summary.items
        ]
    )
    statement.opening_balance = summary.opening
    statement.gross = summary.gross
    statement.commission = summary.commission
    statement.net = summary.net
    statement.adjustments = summary.adjustments
    statement.payouts = summary.payouts
    statement.closing_balance = summary.closing
    statement.status = StatementStatus.CLOSED
    statement.closed_at = timezone.now()
    statement.closed_by = actor_user(actor)
    statement.save()
    audit_log(
        actor=actor,
        action="settlement.statement_close",
        obj=statement,
        changes={
            "lines": len(summary.items),
            "net": summary.net,
            "adjustments": summary.adjustments,
            "payouts": summary.payouts,
            "closing_balance": summary.closing,
        },
    )
    return statement


def period_close(*, regency_codes: list[str], period: date, actor: Actor) -> int:
    """Close every open statement of the month in these regencies (each in its own transaction). Returns
    how many were closed; a statement whose earlier month is still open stops the run with its reason."""
    closed = 0
    for statement in Statement.objects.filter(
        regency_id__in=regency_codes, period=month_start(period), status=StatementStatus.OPEN
    ).order_by("pk"):
        statement_close(statement=statement, actor=actor)
        closed += 1
    return closed


@transaction.atomic
def adjustment_add(*, statement: Statement, day: date, amount: int, reason: str, actor: Actor) -> Adjustment:
    """A fee (negative) or an adjustment (positive) on an open statement; the reason is required."""
    statement = _lock_open(statement)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Alasan wajib diisi."))
    if amount == 0 or abs(amount) > MAX_AMOUNT:
        raise ValidationError(_("Jumlah tidak boleh nol dan paling banyak Rp10.000.000.000."))
    row = Adjustment.objects.create(
        statement=statement, date=day, amount=amount, reason=reason[:300], created_by=actor_user(actor)
    )
    audit_log(
        actor=actor,
        action="settlement.adjustment_add",
        obj=statement,
        changes={"amount": amount, "reason": reason, "date": day.isoformat()},
    )
    return row


@transaction.atomic
def payout_record(
    *, statement: Statement, day: date, amount: int, reference: str, actor: Actor, proof: Any = None
) -> Payout:
    """Money transferred to the seller, with the bank reference and optionally the proof (image or PDF,
    checked by content), on an open statement."""
    statement = _lock_open(statement)
    reference = reference.strip()
    if not reference:
        raise ValidationError(_("Referensi bank wajib diisi."))
    if amount <= 0 or amount > MAX_AMOUNT:
        raise ValidationError(_("Jumlah pembayaran harus lebih dari Rp0."))
    if day > today_wib():
        raise ValidationError(_("Tanggal bayar tidak boleh di masa depan."))
    payout = Payout(
        statement=statement, date=day, amount=amount, reference=reference[:100], created_by=actor_user(actor)
    )
    if proof:
        checked = check_upload(proof, kinds=DOCUMENT_KINDS)
        payout.proof.save(checked.name, checked.file, save=False)
    payout.save()
    audit_log(
        actor=actor,
        action="settlement.payout_record",
        obj=statement,
        changes={"amount": amount, "reference": reference, "date": day.isoformat(), "proof": bool(proof)},
    )
    return payout
