"""The flow of an application: automatic checks, recommendation letter, the bank's decision,
disbursement, restructuring; each step atomic, audited, and notified to the borrower."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_log
from apps.core.actors import Actor, actor_user, signed_in_user
from apps.core.formatting import rupiah
from apps.core.nik import nik_decrypt
from apps.pinjaman import rules
from apps.pinjaman.models import Application, ApplicationStatus, Loan, RecommendationBatch, Restructuring, Scheme
from apps.pinjaman.selectors import applicant_facts, loan_facts, scheme_limits
from apps.pinjaman.services.loans import instalments_write, loan_schedule_generate, loans_recompute
from apps.pinjaman.services.notices import notify as _notify

# --- the flow: application → checks → recommendation → bank decision → disbursement ------------


def _next_number(prefix: str, model: Any, field: str) -> str:
    last = (
        model.objects.select_for_update()
        .filter(**{f"{field}__startswith": prefix})
        .order_by(f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    sequence = int(last.rsplit("/", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def application_checks(*, scheme: Scheme, facts: rules.ApplicantFacts) -> list[dict[str, Any]]:
    """The scheme's checks with their labels, severity, result and reason (stored with the application)."""
    configured = list(scheme.checks.all())
    outcomes = {o.code: o for o in rules.eligibility([c.code for c in configured], scheme_limits(scheme), facts)}
    return [
        {
            "code": c.code,
            "label": str(c.get_code_display()),
            "severity": c.severity,
            "passed": outcomes[c.code].passed,
            "reason": outcomes[c.code].reason,
        }
        for c in configured
        if c.code in outcomes
    ]


@transaction.atomic
def application_submit(
    *,
    scheme: Scheme,
    business: Any,
    amount: int,
    purpose: str,
    residence_village: Any,
    no_other_bank_loan: bool,
    actor: Actor,
    channel: str,
    applicant_user: Any = None,
) -> Any:
    """Submit an application; the automatic checks run now and are kept with their reasons. A failed
    hard check makes it `tidak_layak` (it stays on record, with the reasons, for the owner and operator)."""
    if not scheme.accepts_applications:
        raise ValidationError(_("Skema ini tidak menerima permohonan baru."))
    if amount <= 0:
        raise ValidationError({"amount": _("Jumlah harus lebih dari nol.")})
    facts = applicant_facts(
        scheme=scheme,
        business=business,
        amount=amount,
        residence_village=residence_village,
        no_other_bank_loan=no_other_bank_loan,
    )
    checks = application_checks(scheme=scheme, facts=facts)
    failed = any(not c["passed"] and c["severity"] == "tolak" for c in checks)
    year = date.today().year
    application = Application.objects.create(
        number=_next_number(f"KM/{scheme.regency_id}/{year}/", Application, "number"),
        scheme=scheme,
        business=business,
        owner=business.owner,
        regency_id=scheme.regency_id,
        residence_village=residence_village,
        amount_requested=amount,
        purpose=purpose.strip()[:300],
        no_other_bank_loan=no_other_bank_loan,
        channel=channel,
        applicant_user=applicant_user,
        submitted_by=signed_in_user(actor),
        checks=checks,
        status=ApplicationStatus.TIDAK_LAYAK if failed else ApplicationStatus.DIAJUKAN,
    )
    audit_log(
        actor=actor,
        action="pinjaman.permohonan_ajukan",
        obj=application,
        changes={"skema": scheme.code, "jumlah": amount, "status": application.status, "cara": channel},
    )
    _notify(
        user=applicant_user,
        application=application,
        text=_("Permohonan %(n)s sebesar %(j)s diterima: %(s)s.")
        % {"n": application.number, "j": rupiah(amount), "s": application.get_status_display()},
    )
    return application


@transaction.atomic
def batch_recommend(*, applications: list[Any], letter_date: date, actor: Actor) -> Any:
    """Recommend applications that passed the hard checks to their scheme's bank in one letter."""
    if not applications:
        raise ValidationError(_("Pilih paling sedikit satu permohonan."))
    locked = list(Application.objects.select_for_update().filter(pk__in=[a.pk for a in applications]))
    banks = {a.scheme.bank_id for a in locked}
    if len(banks) != 1:
        raise ValidationError(_("Satu surat rekomendasi hanya untuk satu bank."))
    for application in locked:
        if application.status != ApplicationStatus.DIAJUKAN or application.hard_failures:
            raise ValidationError(
                _("Permohonan %(n)s tidak dapat direkomendasikan (status: %(s)s).")
                % {"n": application.number, "s": application.get_status_display()}
            )
    bank = locked[0].scheme.bank
    batch = RecommendationBatch.objects.create(
        number=_next_number(f"REK-KM/{bank.regency_id}/{letter_date.year}/", RecommendationBatch, "number"),
        bank=bank,
        regency_id=bank.regency_id,
        letter_date=letter_date,
        created_by=signed_in_user(actor),
    )
    for application in locked:
        application.batch = batch
        application.status = ApplicationStatus.DIREKOMENDASIKAN
        application.save(update_fields=["batch", "status"])
        audit_log(
            actor=actor, action="pinjaman.permohonan_rekomendasi", obj=application, changes={"surat": batch.number}
        )
        _notify(
            user=application.applicant_user,
            application=application,
            text=_("Permohonan %(n)s direkomendasikan ke %(b)s.") % {"n": application.number, "b": bank.name},
        )
    audit_log(actor=actor, action="pinjaman.rekomendasi_buat", obj=batch, changes={"jumlah": len(locked)})
    return batch


@transaction.atomic
def application_decide(
    *, application: Any, actor: Actor, slik_result: str, approve: bool, approved_amount: int | None = None,
    reason: str = "",
) -> Any:  # fmt: skip
    """The bank's decision: the SLIK result, then approval (amount ≤ requested) or rejection with a reason."""

    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.DIREKOMENDASIKAN:
        raise ValidationError(_("Permohonan ini tidak sedang menunggu keputusan bank."))
    if not slik_result:
        raise ValidationError({"slik_result": _("Isi hasil pemeriksaan SLIK.")})
    if approve:
        if approved_amount is None or not 0 < approved_amount <= application.amount_requested:
            raise ValidationError(
                {"approved_amount": _("Jumlah disetujui harus lebih dari nol dan tidak melebihi %(j)s.")
                 % {"j": rupiah(application.amount_requested)}}
            )  # fmt: skip
        application.status = ApplicationStatus.DISETUJUI
        application.approved_amount = approved_amount
        application.rejection_reason = ""
    else:
        if not reason.strip():
            raise ValidationError({"reason": _("Tuliskan alasan penolakan.")})
        application.status = ApplicationStatus.DITOLAK
        application.rejection_reason = reason.strip()[:300]
    application.slik_result = slik_result
    application.decided_by = actor_user(actor)
    application.decided_at = timezone.now()
    application.save()
    audit_log(
        actor=actor,
        action="pinjaman.permohonan_putus",
        obj=application,
        changes={"slik": slik_result, "status": application.status, "jumlah_disetujui": application.approved_amount,
                 "alasan": application.rejection_reason},
    )  # fmt: skip
    if approve:
        text = _("Permohonan %(n)s disetujui bank sebesar %(j)s.") % {
            "n": application.number,
            "j": rupiah(approved_amount),
        }
    else:
        text = _("Permohonan %(n)s ditolak bank: %(r)s") % {"n": application.number, "r": application.rejection_reason}
    _notify(user=application.applicant_user, application=application, text=text)
    return application


@transaction.atomic
def application_disburse(*, application: Any, actor: Actor, account_number: str, disbursed_on: date) -> Loan:
    """Disburse an approved application: the loan with its schedule by the scheme's rule."""

    application = (
        Application.objects.select_for_update().select_related("business__owner", "scheme").get(pk=application.pk)
    )
    if application.status != ApplicationStatus.DISETUJUI or application.approved_amount is None:
        raise ValidationError(_("Hanya permohonan yang disetujui yang dapat dicairkan."))
    account = " ".join(account_number.split())
    if not account or len(account) > 40:
        raise ValidationError({"account_number": _("Isi nomor rekening (paling panjang 40 karakter).")})
    if Loan.objects.filter(account_number=account).exists():
        raise ValidationError({"account_number": _("Nomor rekening ini sudah dipakai pinjaman lain.")})
    business, owner, scheme = application.business, application.business.owner, application.scheme
    village = application.residence_village
    loan = Loan(
        account_number=account,
        scheme=scheme,
        regency_id=scheme.regency_id,
        district_id=village.code[:8] if village else None,
        village_id=village.code if village else None,
        region_code_text=village.code if village else "",
        debtor_name=owner.name,
        gender=owner.gender,
        nib=business.nib,
        business_name=business.name,
        owner=owner,
        business=business,
        disbursed_on=disbursed_on,
        plafon=application.approved_amount,
        tenor_months=scheme.tenor_months,
        source="permohonan",
    )
    loan.set_nik(nik_decrypt(owner.nik_ciphertext))
    loan.save()
    loan_schedule_generate(loan=loan)
    loans_recompute(loan_ids=[loan.pk])
    application.loan = loan
    application.status = ApplicationStatus.DICAIRKAN
    application.save(update_fields=["loan", "status"])
    audit_log(
        actor=actor,
        action="pinjaman.cairkan",
        obj=loan,
        changes={"permohonan": application.number, "plafon": loan.plafon, "tanggal_pencairan": disbursed_on},
    )
    _notify(
        user=application.applicant_user,
        application=application,
        loan=loan,
        text=_("Pinjaman %(j)s dicairkan ke rekening %(a)s pada %(d)s. Jadwal angsuran ada di halaman Anda.")
        % {"j": rupiah(loan.plafon), "a": account, "d": disbursed_on.strftime("%d-%m-%Y")},
    )
    return loan


@transaction.atomic
def loan_restructure(*, loan: Loan, effective_on: date, tenor_months: int, reason: str, actor: Actor) -> Loan:
    """Spread the principal outstanding on `effective_on` over `tenor_months` from that date."""

    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if loan.written_off_on is not None:
        raise ValidationError(_("Pinjaman yang dihapus buku tidak dapat direstrukturisasi."))
    if not 1 <= tenor_months <= 60:
        raise ValidationError({"tenor_months": _("Jangka waktu baru 1–60 bulan.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Tuliskan alasan restrukturisasi.")})
    if effective_on < loan.disbursed_on:
        raise ValidationError({"effective_on": _("Tanggal sebelum pencairan.")})
    timeline = rules.LoanTimeline(loan_facts(loan, loan.scheme.arrears_tolerance))
    repaid = timeline.principal_repaid(effective_on)
    if repaid >= loan.plafon:
        raise ValidationError(_("Pinjaman sudah lunas."))
    old = [(i.due_on, i.principal) for i in loan.instalments.order_by("number")]
    new = rules.restructured_instalments(old, repaid, effective_on, tenor_months, loan.scheme.rounding_unit)
    instalments_write(loan=loan, rows=new)
    loans_recompute(loan_ids=[loan.pk])
    Restructuring.objects.create(
        loan=loan,
        effective_on=effective_on,
        tenor_months=tenor_months,
        reason=reason.strip()[:300],
        created_by=signed_in_user(actor),
    )
    audit_log(
        actor=actor,
        action="pinjaman.restrukturisasi",
        obj=loan,
        changes={
            "berlaku": effective_on,
            "jangka_waktu": tenor_months,
            "alasan": reason,
            "sisa_pokok": loan.plafon - repaid,
        },
    )
    application = getattr(loan, "application", None)
    if application is not None:
        _notify(
            user=application.applicant_user,
            loan=loan,
            text=_("Pinjaman %(a)s direstrukturisasi: sisa pokok %(s)s dalam %(n)s bulan mulai %(d)s.")
            % {"a": loan.account_number, "s": rupiah(loan.plafon - repaid), "n": tenor_months,
               "d": effective_on.strftime("%d-%m-%Y")},
        )  # fmt: skip
    return loan
