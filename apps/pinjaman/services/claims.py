"""Interest-subsidy claims (tagihan subsidi bunga, SPEC §9): per bank per month, loan lines computed by
the daily rule (each loan-month rounded half up once), a reconciliation against the bank's own figures,
verification by an operator, approval by the department head (then frozen), payment. A correction
of a month already approved goes into the next claim as an adjustment line, never into the old one."""

import calendar
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_log
from apps.core.actors import Actor, actor_user, signed_in_user
from apps.pinjaman.models import Bank, ClaimLine, ClaimLineKind, ClaimStatus, Loan, SubsidyClaim
from apps.pinjaman.selectors import loan_month_subsidies


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def claim_lines_for(*, bank: Bank, year: int, month: int, exclude_claim: Any = None) -> list[ClaimLine]:
    """The lines a claim for (bank, month) holds now: each loan's subsidy of the month, and for every
    earlier month of an approved claim, the difference between what it is now and what was claimed."""
    start, end = _month_bounds(year, month)
    loans = Loan.objects.filter(scheme__bank=bank, disbursed_on__lte=end)
    approved = SubsidyClaim.objects.filter(bank=bank, status__in=[ClaimStatus.DISETUJUI, ClaimStatus.DIBAYAR])
    if exclude_claim is not None:
        approved = approved.exclude(pk=exclude_claim.pk)
    earlier_months = sorted({(c.year, c.month) for c in approved if (c.year, c.month) < (year, month)})
    claimed: dict[tuple[int, int, int], int] = {}
    for row in (
        ClaimLine.objects.filter(claim__in=approved)
        .values("loan_id", "period_year", "period_month")
        .annotate(total=Sum("amount"))
    ):
        claimed[(row["loan_id"], row["period_year"], row["period_month"])] = int(row["total"])
    # one read from the earliest approved month to this one (months without an approved claim are unused)
    first = min([start, *(date(y, m, 1) for y, m in earlier_months)])
    now = loan_month_subsidies(loans, first, end)
    lines = [
        ClaimLine(loan_id=loan_id, kind=ClaimLineKind.BULAN, period_year=y, period_month=m, amount=amount)
        for (loan_id, y, m), amount in sorted(now.items())
        if (y, m) == (year, month)
    ]
    earlier = set(earlier_months)
    keys = {k for k in [*now, *claimed] if (k[1], k[2]) in earlier}
    for key in sorted(keys, key=lambda k: (k[1], k[2], k[0])):
        difference = now.get(key, 0) - claimed.get(key, 0)
        if difference:
            lines.append(ClaimLine(loan_id=key[0], kind=ClaimLineKind.PENYESUAIAN, period_year=key[1],
                                   period_month=key[2], amount=difference))  # fmt: skip
    return lines


@transaction.atomic
def claim_create(*, bank: Bank, year: int, month: int, actor: Actor) -> SubsidyClaim:
    """Open the claim of a bank for a month that has ended, with its lines computed now."""
    if not 1 <= month <= 12:
        raise ValidationError({"month": _("Bulan 1–12.")})
    if _month_bounds(year, month)[1] >= timezone.localdate():
        raise ValidationError({"month": _("Tagihan dibuat setelah bulannya berakhir.")})
    if SubsidyClaim.objects.filter(bank=bank, year=year, month=month).exists():
        raise ValidationError({"month": _("Tagihan bank ini untuk bulan tersebut sudah ada.")})
    claim = SubsidyClaim.objects.create(
        bank=bank, regency_id=bank.regency_id, year=year, month=month, created_by=signed_in_user(actor)
    )
    _compute(claim)
    audit_log(actor=actor, action="pinjaman.tagihan_buat", obj=claim, changes={"jumlah": claim.total})
    return claim


def _compute(claim: SubsidyClaim) -> None:
    bank_amounts = {
        (line.loan_id, line.kind, line.period_year, line.period_month): line.bank_amount for line in claim.lines.all()
    }
    claim.lines.all().delete()
    lines = claim_lines_for(bank=claim.bank, year=claim.year, month=claim.month, exclude_claim=claim)
    for line in lines:
        line.claim = claim
        line.bank_amount = bank_amounts.pop((line.loan_id, line.kind, line.period_year, line.period_month), None)
    # loans the bank claimed that we do not: kept as lines of 0 with the bank's figure
    for (loan_id, kind, y, m), bank_amount in bank_amounts.items():
        if bank_amount is not None:
            lines.append(
                ClaimLine(
                    claim=claim,
                    loan_id=loan_id,
                    kind=kind,
                    period_year=y,
                    period_month=m,
                    amount=0,
                    bank_amount=bank_amount,
                )
            )
    ClaimLine.objects.bulk_create(lines)
    claim.total = sum(line.amount for line in lines)
    claim.computed_at = timezone.now()
    claim.save(update_fields=["total", "computed_at"])


def draft_claims_recompute(*, scheme_ids: list[int]) -> list[int]:
    """Recompute the draft claims of the banks of these schemes (their subsidy settings changed); returns
    their ids. Part of `subsidy_days_refresh`, which audits it."""
    ids = set(
        SubsidyClaim.objects.filter(bank__schemes__id__in=scheme_ids, status=ClaimStatus.DRAF).values_list(
            "pk", flat=True
        )
    )
    done = []
    for claim in (
        SubsidyClaim.objects.select_for_update(of=("self",)).filter(pk__in=ids).select_related("bank").order_by("pk")
    ):
        _compute(claim)
        done.append(claim.pk)
    return done


def _locked(claim: SubsidyClaim) -> SubsidyClaim:
    return SubsidyClaim.objects.select_for_update().select_related("bank").get(pk=claim.pk)


@transaction.atomic
def claim_compute(*, claim: SubsidyClaim, actor: Actor) -> SubsidyClaim:
    """Recompute a draft claim's lines (after late repayments, write-offs or a new rate)."""
    claim = _locked(claim)
    if claim.status != ClaimStatus.DRAF:
        raise ValidationError(_("Hanya tagihan berstatus draf yang dapat dihitung ulang."))
    before = claim.total
    _compute(claim)
    audit_log(actor=actor, action="pinjaman.tagihan_hitung", obj=claim, changes={"jumlah": [before, claim.total]})
    return claim


@transaction.atomic
def claim_reconcile(*, claim: SubsidyClaim, figures: dict[str, int], file_name: str, actor: Actor) -> list[str]:
    """Put the bank's own figure (account → rupiah for the month) beside each line. Accounts the bank
    claims that are not in our lines are added as lines of Rp0 so the difference shows. Returns the
    accounts that are unknown (not loans of this bank)."""
    claim = _locked(claim)
    if claim.status != ClaimStatus.DRAF:
        raise ValidationError(_("Berkas bank hanya dapat dicocokkan pada tagihan berstatus draf."))
    lines = {
        line.loan.account_number: line for line in claim.lines.filter(kind=ClaimLineKind.BULAN).select_related("loan")
    }
    loans = dict(
        Loan.objects.filter(scheme__bank=claim.bank, account_number__in=list(figures)).values_list(
            "account_number", "pk"
        )
    )
    unknown = sorted(set(figures) - set(lines) - set(loans))
    for line in lines.values():
        line.bank_amount = figures.get(line.loan.account_number, 0)
    ClaimLine.objects.bulk_update(list(lines.values()), ["bank_amount"])
    extra = [
        ClaimLine(
            claim=claim,
            loan_id=loans[account],
            kind=ClaimLineKind.BULAN,
            period_year=claim.year,
            period_month=claim.month,
            amount=0,
            bank_amount=amount,
        )
        for account, amount in figures.items()
        if account not in lines and account in loans
    ]
    ClaimLine.objects.bulk_create(extra)
    claim.bank_total = sum(amount for account, amount in figures.items() if account not in unknown)
    claim.bank_file_name = file_name[:255]
    claim.save(update_fields=["bank_total", "bank_file_name"])
    audit_log(
        actor=actor,
        action="pinjaman.tagihan_cocokkan",
        obj=claim,
        changes={"berkas": file_name, "jumlah_bank": claim.bank_total, "rekening_tidak_dikenal": unknown[:50]},
    )
    return unknown


@transaction.atomic
def claim_verify(*, claim: SubsidyClaim, actor: Actor) -> SubsidyClaim:
    claim = _locked(claim)
    if claim.status != ClaimStatus.DRAF:
        raise ValidationError(_("Tagihan ini tidak berstatus draf."))
    claim.status, claim.verified_by, claim.verified_at = ClaimStatus.DIVERIFIKASI, actor_user(actor), timezone.now()
    claim.save(update_fields=["status", "verified_by", "verified_at"])
    audit_log(actor=actor, action="pinjaman.tagihan_verifikasi", obj=claim, changes={"jumlah": claim.total})
    return claim


@transaction.atomic
def claim_approve(*, claim: SubsidyClaim, actor: Actor) -> SubsidyClaim:
    """The department head approves a verified claim; from now on it is frozen."""
    claim = _locked(claim)
    if claim.status != ClaimStatus.DIVERIFIKASI:
        raise ValidationError(_("Tagihan harus diverifikasi operator lebih dulu."))
    if claim.verified_by_id == getattr(actor, "pk", None):
        raise ValidationError(_("Yang menyetujui tidak boleh orang yang memverifikasi."))
    claim.status, claim.approved_by, claim.approved_at = ClaimStatus.DISETUJUI, actor_user(actor), timezone.now()
    claim.save(update_fields=["status", "approved_by", "approved_at"])
    audit_log(actor=actor, action="pinjaman.tagihan_setujui", obj=claim, changes={"jumlah": claim.total})
    return claim


@transaction.atomic
def claim_pay(*, claim: SubsidyClaim, paid_on: date, reference: str, actor: Actor) -> SubsidyClaim:
    claim = _locked(claim)
    if claim.status != ClaimStatus.DISETUJUI:
        raise ValidationError(_("Hanya tagihan yang disetujui yang dapat dibayar."))
    if not reference.strip():
        raise ValidationError({"reference": _("Isi referensi pembayaran.")})
    claim.status, claim.paid_on, claim.payment_reference = ClaimStatus.DIBAYAR, paid_on, reference.strip()[:100]
    claim.save(update_fields=["status", "paid_on", "payment_reference"])
    audit_log(
        actor=actor, action="pinjaman.tagihan_bayar", obj=claim, changes={"tanggal": paid_on, "referensi": reference}
    )
    return claim
