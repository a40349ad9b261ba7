"""Writes of Kredit Mawar: schedules, repayments, write-offs, scheme rates, the derived subsidy days.

The services the pages call (`repayment_record`, `loan_write_off`, `bank_rate_set`, `loan_match`,
`subsidy_days_refresh`) are atomic and audited. The helpers below them (`loan_schedule_generate`,
`instalments_write`, `loans_recompute`, `segments_recompute`) are neither: they run inside their
caller's transaction, and the caller audits. The bank-file importers save loans, repayments and
write-offs themselves (one audit entry per record) and call those helpers so the derived rows follow."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_log
from apps.core.actors import Actor, actor_user
from apps.core.formatting import rupiah, tanggal
from apps.jobs.services import job_enqueue
from apps.pinjaman import rules
from apps.pinjaman.models import (
    BankRate,
    Instalment,
    Loan,
    LoanStatus,
    Repayment,
    RepaymentStatus,
    Scheme,
    SubsidySegment,
)
from apps.pinjaman.selectors import loan_timelines
from apps.pinjaman.services.claims import draft_claims_recompute
from apps.pinjaman.services.notices import borrower, notify
from apps.umkm.models import Business, Owner
from apps.umkm.rules import normalize_business_name

_STATUS_BY_OUTCOME = {
    rules.APPLIED: RepaymentStatus.APPLIED,
    rules.RECOVERY: RepaymentStatus.RECOVERY,
    rules.REFUSED: RepaymentStatus.REFUSED,
}


def loan_schedule_generate(*, loan: Loan) -> list[Instalment]:
    """(Re)write the loan's schedule by the scheme's rule and the loan's own tenor (SPEC §9)."""
    return instalments_write(
        loan=loan,
        rows=[
            (due, amount)
            for _k, due, amount in rules.schedule(
                loan.plafon, loan.tenor_months, loan.disbursed_on, loan.scheme.rounding_unit
            )
        ],
    )


def instalments_write(*, loan: Loan, rows: list[tuple[date, int]]) -> list[Instalment]:
    """Replace the loan's schedule (with each instalment's cumulative principal); the caller then runs
    `loans_recompute` so the derived subsidy days follow."""
    Instalment.objects.filter(loan=loan).delete()
    instalments = []
    total = 0
    for number, (due, amount) in enumerate(rows, start=1):
        total += amount
        instalments.append(Instalment(loan=loan, number=number, due_on=due, principal=amount, cumulative=total))
    return Instalment.objects.bulk_create(instalments)


def loans_recompute(*, loan_ids: list[int]) -> list[str]:
    """Decide each repayment's outcome over its loan's whole sequence and set the loans' status.

    Returns messages for repayments refused because they exceed what is left of the loan.
    """
    messages: list[str] = []
    loans = Loan.objects.filter(pk__in=loan_ids).prefetch_related("repayments")
    today = date.today()
    loan_updates: list[Loan] = []
    repayment_updates: list[Repayment] = []
    for loan in loans:
        repayments = list(loan.repayments.all())
        outcomes = rules.repayment_outcomes(
            loan.plafon,
            [rules.Payment(r.paid_on, r.transaction_number, r.amount) for r in repayments],
            loan.written_off_on,
        )
        repaid = 0
        for repayment in repayments:
            status = _STATUS_BY_OUTCOME[outcomes[repayment.transaction_number]]
            if status == RepaymentStatus.APPLIED:
                repaid += repayment.amount
            if status == RepaymentStatus.REFUSED:
                messages.append(
                    _("Rekening %(a)s transaksi %(t)s (%(j)s) ditolak: melebihi sisa pinjaman")
                    % {"a": loan.account_number, "t": repayment.transaction_number, "j": rupiah(repayment.amount)}
                )
            if repayment.status != status:
                repayment.status = status
                repayment_updates.append(repayment)
        if loan.written_off_on is not None and loan.written_off_on <= today:
            loan_status = LoanStatus.HAPUS_BUKU
        elif repaid >= loan.plafon:
            loan_status = LoanStatus.LUNAS
        else:
            loan_status = LoanStatus.AKTIF
        if loan.status != loan_status:
            loan.status = loan_status
            loan_updates.append(loan)
    Repayment.objects.bulk_update(repayment_updates, ["status"])
    Loan.objects.bulk_update(loan_updates, ["status"])
    segments_recompute(loan_ids=loan_ids)
    return messages


def segments_recompute(*, loan_ids: list[int]) -> None:
    """Rewrite the subsidy days (runs of equal end-of-day baki debet) of these loans from their schedule,
    repayments, write-off and their scheme's settings and bank's collectibility table."""

    for chunk_start in range(0, len(loan_ids), 2000):
        chunk = loan_ids[chunk_start : chunk_start + 2000]
        SubsidySegment.objects.filter(loan_id__in=chunk).delete()
        rows = []
        for loan, timeline, terms in loan_timelines(Loan.objects.filter(pk__in=chunk)):
            for start, end, balance in rules.subsidy_segments(
                timeline,
                bands=terms.bands,
                stop_after_last_due=terms.stop_after_last_due,
                skip_collectibility=terms.skip_collectibility,
            ):
                rows.append(SubsidySegment(loan=loan, start_on=start, end_on=end, baki=balance))
        SubsidySegment.objects.bulk_create(rows, batch_size=5000)


# Up to this many loans, an edit that moves subsidy days (a scheme's settings, its bank's collectibility
# table) recomputes them within its own transaction (~1,000 loans a second); beyond, a background job does.
INLINE_SUBSIDY_DAYS_LOANS = 3000


@transaction.atomic
def subsidy_days_refresh(*, scheme_ids: list[int], actor: Actor) -> Any:
    """After an edit of these schemes' subsidy settings or their bank's collectibility table: bring the
    stored subsidy days of their loans up to date so that no page shows a figure of the old settings.

    Few loans: recomputed now, in the edit's transaction. Many: the schemes are marked pending (reads then
    compute those loans' subsidy from their transactions, pages say "sedang dihitung ulang") and a job
    (`pinjaman.segments`, with progress) recomputes them and clears the mark. Either way the draft claims of
    the schemes' banks are recomputed now (approved claims stay frozen; the next claim adjusts them).
    Returns the job, or None when everything was done now."""
    scheme_ids = sorted(set(scheme_ids))
    schemes = Scheme.objects.select_for_update().filter(pk__in=scheme_ids)
    loan_ids = list(Loan.objects.filter(scheme_id__in=scheme_ids).order_by("pk").values_list("pk", flat=True))
    if not loan_ids:
        return None
    already_pending = any(s.subsidy_days_pending_since is not None for s in schemes)
    job = None
    if len(loan_ids) <= INLINE_SUBSIDY_DAYS_LOANS and not already_pending:
        segments_recompute(loan_ids=loan_ids)
    else:
        schemes.update(subsidy_days_pending_since=timezone.now())
        job = job_enqueue(kind="pinjaman.segments", params={"scheme_ids": scheme_ids}, actor=actor)
    claims = draft_claims_recompute(scheme_ids=scheme_ids)
    audit_log(
        actor=actor,
        action="pinjaman.hari_subsidi_hitung_ulang",
        obj=Scheme.objects.get(pk=scheme_ids[0]),
        changes={"skema": scheme_ids, "pinjaman": len(loan_ids), "latar": job is not None, "tagihan_draf": claims},
    )
    return job


@transaction.atomic
def repayment_record(*, loan: Loan, transaction_number: str, paid_on: date, amount: int, actor: Actor) -> Repayment:
    """A repayment entered by the bank officer. Refused whole (nothing written) when it would take the
    total repaid beyond the plafon, or when the transaction number is already recorded."""
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if amount <= 0:
        raise ValidationError({"amount": _("Jumlah pembayaran harus lebih dari nol.")})
    if paid_on < loan.disbursed_on:
        raise ValidationError({"paid_on": _("Tanggal bayar sebelum tanggal pencairan.")})
    number = transaction_number.strip()
    if not number:
        raise ValidationError({"transaction_number": _("Nomor transaksi wajib diisi.")})
    if Repayment.objects.filter(loan=loan, transaction_number=number).exists():
        raise ValidationError({"transaction_number": _("Nomor transaksi ini sudah tercatat untuk rekening ini.")})
    existing = [rules.Payment(r.paid_on, r.transaction_number, r.amount) for r in loan.repayments.all()]
    outcomes = rules.repayment_outcomes(
        loan.plafon, [*existing, rules.Payment(paid_on, number, amount)], loan.written_off_on
    )
    before = rules.repayment_outcomes(loan.plafon, existing, loan.written_off_on)
    if outcomes[number] == rules.REFUSED or any(outcomes[p.number] != before[p.number] for p in existing):
        repaid = sum(p.amount for p in existing if before[p.number] != rules.REFUSED)
        raise ValidationError(
            {
                "amount": _("Pembayaran %(j)s melebihi sisa pinjaman %(s)s; tidak dicatat.")
                % {"j": rupiah(amount), "s": rupiah(loan.plafon - repaid)}
            }
        )
    repayment = Repayment.objects.create(
        loan=loan,
        transaction_number=number,
        paid_on=paid_on,
        amount=amount,
        recorded_by=actor_user(actor),
    )
    loans_recompute(loan_ids=[loan.pk])
    audit_log(
        actor=actor,
        action="pinjaman.bayar",
        obj=loan,
        changes={"nomor_transaksi": number, "tanggal_bayar": paid_on, "jumlah": amount},
    )
    loan.refresh_from_db(fields=["status"])
    repaid = sum(r.amount for r in loan.repayments.filter(status=RepaymentStatus.APPLIED))
    if loan.status == LoanStatus.HAPUS_BUKU:
        text = _("Pembayaran %(j)s pada %(d)s diterima untuk pinjaman %(a)s yang sudah dihapusbukukan.")
    elif loan.status == LoanStatus.LUNAS:
        text = _("Pembayaran %(j)s pada %(d)s diterima. Pinjaman %(a)s sudah lunas. Terima kasih.")
    else:
        text = _("Pembayaran %(j)s pada %(d)s diterima. Sisa pinjaman %(a)s: %(s)s.")
    notify(
        user=borrower(loan),
        loan=loan,
        text=text % {"j": rupiah(amount), "d": tanggal(paid_on), "a": loan.account_number,
                     "s": rupiah(max(loan.plafon - repaid, 0))},
    )  # fmt: skip
    return repayment


@transaction.atomic
def loan_write_off(*, loan: Loan, written_off_on: date, actor: Actor) -> Loan:
    """Write a loan off from a date: its baki debet is 0 from the end of that day; later repayments
    are recoveries."""
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if written_off_on < loan.disbursed_on:
        raise ValidationError({"written_off_on": _("Tanggal hapus buku sebelum tanggal pencairan.")})
    before = loan.written_off_on
    loan.written_off_on = written_off_on
    loan.save(update_fields=["written_off_on", "updated_at"])
    loans_recompute(loan_ids=[loan.pk])
    audit_log(
        actor=actor, action="pinjaman.hapus_buku", obj=loan, changes={"tanggal_hapus_buku": [before, written_off_on]}
    )
    notify(
        user=borrower(loan),
        loan=loan,
        text=_("Pinjaman %(a)s dihapusbukukan oleh bank per %(d)s. Pembayaran berikutnya tetap dicatat.")
        % {"a": loan.account_number, "d": tanggal(written_off_on)},
    )
    return loan


@transaction.atomic
def bank_rate_set(*, scheme: Scheme, effective_from: date, annual_rate_percent: Any, actor: Actor) -> BankRate:
    """Enter the bank's contract rate from a date on (a new version; an existing date is corrected)."""
    rate, created = BankRate.objects.get_or_create(
        scheme=scheme, effective_from=effective_from, defaults={"annual_rate_percent": annual_rate_percent}
    )
    before = None if created else rate.annual_rate_percent
    if not created:
        rate.annual_rate_percent = annual_rate_percent
        rate.save(update_fields=["annual_rate_percent"])
    audit_log(
        actor=actor,
        action="pinjaman.suku_bunga",
        obj=scheme,
        changes={"berlaku_mulai": effective_from, "suku_bunga": [before, annual_rate_percent]},
    )
    return rate


@transaction.atomic
def loan_match(*, loan: Loan, actor: Actor) -> Loan:
    """Link a loan whose debtor was missing from the registry to the owner with the same NIK, and to
    their business (by NIB, else by name, else their only business)."""

    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    owner = Owner.objects.filter(nik_hash=loan.nik_hash).first()
    if owner is None:
        raise ValidationError(
            _("Debitur belum ada di registri UMKM. Daftarkan usahanya (impor UMKM), lalu cocokkan lagi.")
        )
    businesses = list(Business.objects.filter(owner=owner))
    business = next((b for b in businesses if loan.nib and b.nib == loan.nib), None)
    if business is None and loan.business_name:
        wanted = normalize_business_name(loan.business_name)
        business = next((b for b in businesses if b.name_normalized == wanted), None)
    if business is None and len(businesses) == 1:
        business = businesses[0]
    before = [loan.owner_id, loan.business_id]
    loan.owner, loan.business = owner, business
    unmatched = _("debitur belum cocok dengan registri UMKM")
    loan.flags = [f for f in loan.flags if f != unmatched]
    loan.save(update_fields=["owner", "business", "flags", "updated_at"])
    audit_log(
        actor=actor,
        action="pinjaman.cocokkan",
        obj=loan,
        changes={"pemilik_usaha": [before, [owner.pk, business.pk if business else None]]},
    )
    return loan
