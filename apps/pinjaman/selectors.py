"""Reads of Kredit Mawar. `pinjaman_kpi` is the one definition of the SPEC §8 `kredit_mawar_*` keys."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from django.db.models import Prefetch, QuerySet

from apps.pinjaman import rules
from apps.pinjaman.models import Bank, Instalment, Loan, Repayment, Scheme


@dataclass
class SchemeTerms:
    rates: list[rules.RateVersion]
    bands: tuple[rules.Band, ...]
    tolerance: int
    stop_after_last_due: bool
    skip_collectibility: int | None


def scheme_terms(schemes: Iterable[Scheme]) -> dict[int, SchemeTerms]:
    """Rate versions, the bank's collectibility table and the subsidy settings of each scheme."""
    schemes = list(schemes)
    bank_ids = {s.bank_id for s in schemes}
    bands_by_bank: dict[int, tuple[rules.Band, ...]] = {}
    for bank in Bank.objects.filter(pk__in=bank_ids).prefetch_related("collectibility_table__bands"):
        bands = tuple(
            rules.Band(b.kolektibilitas, b.min_days, b.max_days) for b in bank.collectibility_table.bands.all()
        )
        bands_by_bank[bank.pk] = bands or rules.POJK_40_2019
    terms: dict[int, SchemeTerms] = {}
    for scheme in Scheme.objects.filter(pk__in=[s.pk for s in schemes]).prefetch_related("rates"):
        terms[scheme.pk] = SchemeTerms(
            rates=[
                rules.RateVersion(r.effective_from, Fraction(r.annual_rate_percent) / 100)
                for r in sorted(scheme.rates.all(), key=lambda r: r.effective_from)
            ],
            bands=bands_by_bank.get(scheme.bank_id, rules.POJK_40_2019),
            tolerance=scheme.arrears_tolerance,
            stop_after_last_due=scheme.subsidy_stops_after_last_due,
            skip_collectibility=5 if scheme.subsidy_excludes_macet else None,
        )
    return terms


def loan_facts(loan: Loan, tolerance: int = 0) -> rules.LoanFacts:
    """Facts of a loan whose `instalments` and `repayments` are prefetched (or fetched here)."""
    return rules.LoanFacts(
        plafon=loan.plafon,
        disbursed_on=loan.disbursed_on,
        instalments=[(i.due_on, i.principal) for i in loan.instalments.all()],
        payments=[rules.Payment(r.paid_on, r.transaction_number, r.amount) for r in loan.repayments.all()],
        written_off_on=loan.written_off_on,
        tolerance=tolerance,
    )


def loans_with_history(qs: QuerySet[Loan]) -> QuerySet[Loan]:
    return qs.prefetch_related(
        Prefetch("instalments", queryset=Instalment.objects.order_by("number")),
        Prefetch("repayments", queryset=Repayment.objects.order_by("paid_on", "transaction_number")),
    )


def loan_timelines(
    qs: QuerySet[Loan], chunk_size: int = 2000
) -> Iterator[tuple[Loan, rules.LoanTimeline, SchemeTerms]]:
    """Each loan with its timeline and its scheme's terms, read in chunks (bounded memory)."""
    terms = scheme_terms(Scheme.objects.filter(pk__in=qs.values("scheme_id")))
    for loan in loans_with_history(qs.order_by("pk")).iterator(chunk_size=chunk_size):
        scheme = terms[loan.scheme_id]
        yield loan, rules.LoanTimeline(loan_facts(loan, scheme.tolerance)), scheme


def loan_subsidy_by_month(
    timeline: rules.LoanTimeline, terms: SchemeTerms, start: date, end: date
) -> dict[tuple[int, int], int]:
    return timeline.subsidy_by_month(
        start=start,
        end=end,
        rates=terms.rates,
        bands=terms.bands,
        stop_after_last_due=terms.stop_after_last_due,
        skip_collectibility=terms.skip_collectibility,
    )


def regency_loans(regency_codes: Iterable[str]) -> QuerySet[Loan]:
    return Loan.objects.filter(regency_id__in=list(regency_codes))


def pinjaman_kpi(*, regency_codes: list[str], year: int, as_of: date) -> dict[str, Any]:
    """SPEC §8: debitur = distinct debtors (by NIK) with a disbursement in Y on or before D;
    pencairan = the sum of those disbursements' plafon; baki debet and its split by collectibility on
    D over the portfolio (loans disbursed on or before D, of every scheme and year); subsidi = the
    interest subsidy for the days of Y up to D (per loan-month rounded half up, then added)."""
    loans = regency_loans(regency_codes).filter(disbursed_on__lte=as_of)
    year_start, year_end = date(year, 1, 1), min(date(year, 12, 31), as_of)
    in_year = loans.filter(disbursed_on__gte=year_start, disbursed_on__lte=year_end)
    debtors = set(in_year.values_list("nik_hash", flat=True))
    pencairan = sum(in_year.values_list("plafon", flat=True))
    baki_total = 0
    by_kol = {str(k): 0 for k in range(1, 6)}
    subsidy = 0
    for _loan, timeline, terms in loan_timelines(loans):
        balance = timeline.baki_debet(as_of)
        if balance:
            baki_total += balance
            by_kol[str(rules.collectibility(timeline.days_past_due(as_of), terms.bands))] += balance
        if year_start <= year_end:
            subsidy += sum(loan_subsidy_by_month(timeline, terms, year_start, year_end).values())
    return {
        "kredit_mawar_debitur_tahun": len(debtors),
        "kredit_mawar_pencairan_tahun": pencairan,
        "kredit_mawar_baki_debet": baki_total,
        "kredit_mawar_kolektibilitas": by_kol,
        "kredit_mawar_subsidi_bunga_tahun": subsidy,
    }


def npl_ratio(*, regency_codes: list[str], as_of: date) -> Fraction | None:
    """NPL = baki debet in collectibility 3–5 ÷ total baki debet on D (None when nothing is outstanding)."""
    total = bad = 0
    for _loan, timeline, terms in loan_timelines(regency_loans(regency_codes).filter(disbursed_on__lte=as_of)):
        balance = timeline.baki_debet(as_of)
        total += balance
        if balance and rules.collectibility(timeline.days_past_due(as_of), terms.bands) >= 3:
            bad += balance
    return Fraction(bad, total) if total else None


def unmatched_loans(*, regency_codes: Iterable[str] | None) -> QuerySet[Loan]:
    """Loans whose debtor is not (yet) matched to a registry owner, for an operator to match."""
    qs = Loan.objects.filter(owner__isnull=True).select_related("scheme")
    if regency_codes is not None:
        qs = qs.filter(regency_id__in=list(regency_codes))
    return qs.order_by("scheme__code", "account_number")


# --- access and lists of the flow ------------------------------------------------------------------

OFFICER_ROLES = ("operator", "kepala_dinas", "pimpinan", "admin")


def officer_bank(user: Any) -> Bank | None:
    """The partner bank of a user with role `bank` (None for anyone else, or a bank user not yet linked)."""
    if getattr(user, "role", "") != "bank":
        return None
    officer = getattr(user, "bank_officer", None)
    return officer.bank if officer is not None else None


def applications_visible(user: Any) -> QuerySet[Any]:
    """Applications a user may see: officers by their regions, a bank officer only those recommended to
    their bank, anyone else their own."""
    from apps.accounts.selectors import user_regency_codes
    from apps.pinjaman.models import Application

    qs = Application.objects.select_related("scheme__bank", "business", "owner", "batch", "loan")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.has_role(*OFFICER_ROLES):
        codes = user_regency_codes(user)
        return qs if codes is None else qs.filter(regency_id__in=codes)
    if user.role == "bank":
        bank = officer_bank(user)
        return qs.filter(batch__bank=bank) if bank is not None else qs.none()
    return qs.filter(applicant_user=user)


def access_application(user: Any, pk: int) -> Any:
    from django.http import Http404

    found = applications_visible(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def loans_visible(user: Any) -> QuerySet[Loan]:
    from apps.accounts.selectors import user_regency_codes

    qs = Loan.objects.select_related("scheme__bank")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.has_role(*OFFICER_ROLES):
        codes = user_regency_codes(user)
        return qs if codes is None else qs.filter(regency_id__in=codes)
    if user.role == "bank":
        bank = officer_bank(user)
        return qs.filter(scheme__bank=bank) if bank is not None else qs.none()
    return qs.filter(application__applicant_user=user)


def access_loan(user: Any, pk: int) -> Loan:
    from django.http import Http404

    found = loans_visible(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@dataclass
class InstalmentRow:
    number: int
    due_on: date
    principal: int
    paid: int
    paid_in_full_on: date | None
    days_late: int


def loan_schedule_rows(loan: Loan, on: date) -> list[InstalmentRow]:
    """The schedule with what was paid of each instalment by `on` (oldest first) and its arrears."""
    terms = scheme_terms([loan.scheme])[loan.scheme_id]
    timeline = rules.LoanTimeline(loan_facts(loan, terms.tolerance))
    applied = sorted(
        (r.paid_on, rules.transaction_sort_key(r.transaction_number), r.amount)
        for r in loan.repayments.all()
        if timeline.outcomes.get(r.transaction_number) == rules.APPLIED and r.paid_on <= on
    )
    rows: list[InstalmentRow] = []
    payments = iter(applied)
    current = next(payments, None)
    left_of_current = current[2] if current else 0
    for instalment in loan.instalments.all():
        need = instalment.principal
        paid = 0
        paid_on = None
        while need - paid > terms.tolerance and current is not None:
            take = min(left_of_current, need - paid)
            paid += take
            left_of_current -= take
            paid_on = current[0]
            if left_of_current == 0:
                current = next(payments, None)
                left_of_current = current[2] if current else 0
        full = need - paid <= terms.tolerance
        until = (paid_on or instalment.due_on) if full else on
        days_late = max(0, (until - instalment.due_on).days)
        rows.append(
            InstalmentRow(instalment.number, instalment.due_on, instalment.principal, paid, paid_on if full else None,
                          days_late)
        )  # fmt: skip
    return rows


@dataclass
class LoanPosition:
    loan: Loan
    baki_debet: int
    days_past_due: int
    kolektibilitas: int
    next_due: date | None


def loan_positions(qs: QuerySet[Loan], on: date) -> list[LoanPosition]:
    """Baki debet, days past due, collectibility and the next due date of each loan on `on`."""
    rows = []
    for loan, timeline, terms in loan_timelines(qs.filter(disbursed_on__lte=on)):
        balance = timeline.baki_debet(on)
        dpd = timeline.days_past_due(on)
        next_due = next((due for due, _a in loan_facts(loan).instalments if due > on), None) if balance else None
        rows.append(LoanPosition(loan, balance, dpd, rules.collectibility(dpd, terms.bands), next_due))
    return rows


def loans_in_arrears(qs: QuerySet[Loan], on: date) -> list[LoanPosition]:
    return sorted(
        (p for p in loan_positions(qs, on) if p.baki_debet > 0 and p.days_past_due > 0),
        key=lambda p: (-p.days_past_due, p.loan.account_number),
    )


def loans_falling_due(qs: QuerySet[Loan], on: date, days: int = 14) -> list[LoanPosition]:
    """Loans with an instalment falling due in the next `days` days, soonest first."""
    from datetime import timedelta

    horizon = on + timedelta(days=days)
    return sorted(
        (p for p in loan_positions(qs, on) if p.baki_debet > 0 and p.next_due is not None and p.next_due <= horizon),
        key=lambda p: (p.next_due, p.loan.account_number),
    )


def owner_businesses(user: Any) -> list[Any]:
    """The registry businesses a user may apply for: those of the shops they belong to."""
    from apps.umkm.models import Business

    return list(Business.objects.filter(seller__members__user=user).select_related("owner", "regency").order_by("name"))


def repeat_loan_offer(user: Any, on: date) -> bool:
    """Whether to offer this borrower a repeat loan: they have a loan, none open, and the rule allows it."""
    from apps.pinjaman.models import Scheme
    from apps.pinjaman.services import applicant_facts, scheme_limits

    businesses = owner_businesses(user)
    scheme = Scheme.objects.filter(accepts_applications=True).order_by("-year").first()
    if not businesses or scheme is None:
        return False
    facts = applicant_facts(
        scheme=scheme, business=businesses[0], amount=scheme.first_loan_floor, residence_village=None,
        no_other_bank_loan=True,
    )  # fmt: skip
    if not facts.previous_loans:
        return False
    allowed, _reason = rules.repeat_loan_allowed(scheme_limits(scheme), facts.previous_loans)
    return allowed
