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
