"""Reads of Kredit Mawar. `pinjaman_kpi` is the one definition of the SPEC §8 `kredit_mawar_*` keys."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Prefetch, QuerySet, Sum
from django.http import Http404

from apps.accounts.selectors import user_regency_codes
from apps.core.nik import nik_decrypt, nik_errors
from apps.core.roles import OFFICERS, Role
from apps.pinjaman import rules
from apps.pinjaman.models import Application, ApplicationStatus, Bank, Instalment, Loan, Repayment, Scheme
from apps.umkm.models import Business


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


def _set_based() -> bool:
    """PostgreSQL reads positions and subsidies with set-based SQL over the stored derived rows (the
    repayments' outcomes, instalments' cumulative principal, the subsidy days); other databases walk
    each loan's timeline. Tests hold the two equal (`test_sql.py`)."""
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class Position:
    loan_id: int
    baki_debet: int
    days_past_due: int
    kolektibilitas: int
    next_due: date | None


_POSITIONS_SQL = """
WITH l AS ({loans}),
paid AS (
    SELECT r.loan_id, SUM(r.amount) AS s FROM pinjaman_repayment r JOIN l ON l.id = r.loan_id
    WHERE r.status = 'diterapkan' AND r.paid_on <= %s GROUP BY r.loan_id
),
pos AS (
    SELECT l.id, CASE WHEN l.written_off_on IS NOT NULL AND l.written_off_on <= %s THEN 0
                      ELSE (l.plafon - COALESCE(paid.s, 0))::bigint END AS baki,
           COALESCE(paid.s, 0)::bigint AS repaid, sc.arrears_tolerance AS tol, b.collectibility_table_id AS tbl
    FROM l LEFT JOIN paid ON paid.loan_id = l.id
    JOIN pinjaman_scheme sc ON sc.id = l.scheme_id JOIN pinjaman_bank b ON b.id = sc.bank_id
),
od AS (
    SELECT i.loan_id, MIN(i.due_on) AS due FROM pos JOIN pinjaman_instalment i ON i.loan_id = pos.id
    WHERE pos.baki > 0 AND i.cumulative > pos.repaid + pos.tol AND i.due_on < %s GROUP BY i.loan_id
),
nd AS (
    SELECT i.loan_id, MIN(i.due_on) AS due FROM pos JOIN pinjaman_instalment i ON i.loan_id = pos.id
    WHERE %s AND pos.baki > 0 AND i.due_on > %s GROUP BY i.loan_id
),
d AS (
    SELECT pos.id, pos.baki, COALESCE(%s::date - od.due, 0) AS dpd, pos.tbl, nd.due AS next_due
    FROM pos LEFT JOIN od ON od.loan_id = pos.id LEFT JOIN nd ON nd.loan_id = pos.id WHERE pos.baki > 0
)
SELECT d.id, d.baki, d.dpd, COALESCE(MAX(cb.kolektibilitas), 1), d.next_due
FROM d LEFT JOIN pinjaman_collectibilityband cb
  ON cb.table_id = d.tbl AND d.dpd >= cb.min_days AND (cb.max_days IS NULL OR d.dpd <= cb.max_days)
GROUP BY d.id, d.baki, d.dpd, d.next_due
"""


def _values_sql(loans: QuerySet[Loan], *fields: str) -> tuple[str, tuple[Any, ...]] | None:
    """The SQL of `loans.values(*fields)` for a set-based statement, or None when the queryset can match nothing
    (`pk__in=[]`, a bank officer of no bank: Django then refuses to write SQL at all)."""
    try:
        return loans.values(*fields).query.sql_with_params()
    except EmptyResultSet:
        return None


def positions_on(loans: QuerySet[Loan], on: date, *, next_due: bool = True) -> list[Position]:
    """Baki debet, days past due, collectibility and next due date on `on` of the loans outstanding then
    (disbursed on or before `on`, baki debet above zero). `next_due=False` skips the next due date (the
    figures do not need it)."""
    loans = loans.filter(disbursed_on__lte=on)
    if _set_based():
        found = _values_sql(loans, "id", "plafon", "written_off_on", "scheme_id")
        if found is None:
            return []
        sql, params = found
        with connection.cursor() as cursor:
            cursor.execute(_POSITIONS_SQL.format(loans=sql), [*params, on, on, on, next_due, on, on])
            return [
                Position(loan_id, int(baki), int(dpd), int(kol), following)
                for loan_id, baki, dpd, kol, following in cursor.fetchall()
            ]
    rows = []
    for loan, timeline, terms in loan_timelines(loans):
        balance = timeline.baki_debet(on)
        if balance <= 0:
            continue
        dpd = timeline.days_past_due(on)
        following = next((due for due, _a in timeline.facts.instalments if due > on), None) if next_due else None
        rows.append(Position(loan.pk, balance, dpd, rules.collectibility(dpd, terms.bands), following))
    return rows


# The CTEs are MATERIALIZED so that the month bounds and rate versions are computed once, not for each
# segment row they are joined with (EXPLAIN ANALYZE at 20,000 loans: 5.7 s → 2.0 s under load); the
# months are clipped to the period once, so each row only clips to its segment and rate version.
_SUBSIDY_SQL = """
WITH l AS ({loans}),
b AS MATERIALIZED (SELECT %s::date AS ps, %s::date AS pe),
r AS MATERIALIZED (
    SELECT scheme_id,
           CASE WHEN ROW_NUMBER() OVER w = 1 THEN DATE '0001-01-01' ELSE effective_from END AS valid_from,
           COALESCE(LEAD(effective_from) OVER w - 1, DATE '9999-12-31') AS valid_to,
           (annual_rate_percent * 10000)::bigint AS rate
    FROM pinjaman_bankrate WINDOW w AS (PARTITION BY scheme_id ORDER BY effective_from)
),
m AS MATERIALIZED (
    SELECT gs::date AS month, GREATEST(gs::date, b.ps) AS m_start,
           LEAST((gs + interval '1 month' - interval '1 day')::date, b.pe) AS m_end
    FROM b, generate_series(date_trunc('month', b.ps), date_trunc('month', b.pe), interval '1 month') AS gs
),
p AS (
    SELECT s.loan_id, m.month,
           s.baki::numeric * r.rate * (LEAST(s.end_on, m.m_end, r.valid_to)
                                       - GREATEST(s.start_on, m.m_start, r.valid_from) + 1) AS num
    FROM b, pinjaman_subsidysegment s
    JOIN l ON l.id = s.loan_id
    JOIN m ON s.start_on <= m.m_end AND s.end_on >= m.m_start
    JOIN r ON r.scheme_id = l.scheme_id
          AND r.valid_from <= LEAST(s.end_on, m.m_end) AND r.valid_to >= GREATEST(s.start_on, m.m_start)
    WHERE s.end_on >= b.ps AND s.start_on <= b.pe
)
SELECT loan_id, EXTRACT(YEAR FROM month)::int, EXTRACT(MONTH FROM month)::int,
       div(2 * SUM(num) + 360000000, 720000000)::bigint
FROM p GROUP BY loan_id, month
"""
# The figure needs only the sum of the rounded loan-months: added in the database (one row back, not one per
# loan-month).
_SUBSIDY_TOTAL_SQL = "SELECT COALESCE(SUM(t.amount), 0) FROM ({inner}) AS t(loan_id, y, m, amount)"


def loan_month_subsidies(loans: QuerySet[Loan], start: date, end: date) -> dict[tuple[int, int, int], int]:
    """(loan id, year, month) → the subsidy for the days of [start, end] in that month, rounded half up
    once per loan-month (SPEC §9); months that round to nothing are left out. Rates are r/10⁶ exactly
    (the percentage has four decimals), so the daily amount is r × baki ÷ (10⁶ × 360)."""
    if start > end:
        return {}
    if _set_based():
        pending = pending_scheme_ids()
        if not pending:
            return _stored_month_subsidies(loans, start, end)
        # the stored days of these schemes' loans await recomputation after an edit: walk those loans
        return {
            **_stored_month_subsidies(loans.exclude(scheme_id__in=pending), start, end),
            **_walked_month_subsidies(loans.filter(scheme_id__in=pending), start, end),
        }
    return _walked_month_subsidies(loans, start, end)


def loan_subsidy_total(loans: QuerySet[Loan], start: date, end: date) -> int:
    """The subsidy of these loans for the days of [start, end]: the sum of `loan_month_subsidies`."""
    if start > end:
        return 0
    if not _set_based():
        return sum(_walked_month_subsidies(loans, start, end).values())
    pending = pending_scheme_ids()
    stored = loans.exclude(scheme_id__in=pending) if pending else loans
    found = _values_sql(stored, "id", "scheme_id")
    total = 0
    if found is not None:
        sql, params = found
        with connection.cursor() as cursor:
            cursor.execute(_SUBSIDY_TOTAL_SQL.format(inner=_SUBSIDY_SQL.format(loans=sql)), [*params, start, end])
            total = int(cursor.fetchone()[0])
    if pending:
        total += sum(_walked_month_subsidies(loans.filter(scheme_id__in=pending), start, end).values())
    return total


def pending_scheme_ids() -> set[int]:
    """Schemes whose stored subsidy days await a background recomputation (`services.subsidy_days_refresh`)."""
    return set(Scheme.objects.filter(subsidy_days_pending_since__isnull=False).values_list("pk", flat=True))


def subsidy_days_pending(*, regency_codes: Iterable[str] | None = None, bank: Bank | None = None) -> bool:
    """Whether a page of these regencies (or this bank) should say the subsidy is being recomputed."""
    qs = Scheme.objects.filter(subsidy_days_pending_since__isnull=False)
    if regency_codes is not None:
        qs = qs.filter(loans__regency_id__in=list(regency_codes))
    if bank is not None:
        qs = qs.filter(bank=bank)
    return qs.exists()


def _stored_month_subsidies(loans: QuerySet[Loan], start: date, end: date) -> dict[tuple[int, int, int], int]:
    found = _values_sql(loans, "id", "scheme_id")
    if found is None:
        return {}
    sql, params = found
    with connection.cursor() as cursor:
        cursor.execute(_SUBSIDY_SQL.format(loans=sql), [*params, start, end])
        return {(loan_id, y, m): int(amount) for loan_id, y, m, amount in cursor.fetchall() if amount}


def _walked_month_subsidies(loans: QuerySet[Loan], start: date, end: date) -> dict[tuple[int, int, int], int]:
    result: dict[tuple[int, int, int], int] = {}
    for loan, timeline, terms in loan_timelines(loans):
        for (y, m), amount in loan_subsidy_by_month(timeline, terms, start, end).items():
            if amount:
                result[(loan.pk, y, m)] = amount
    return result


def pinjaman_kpi(*, regency_codes: list[str], year: int, as_of: date) -> dict[str, Any]:
    """SPEC §8: debitur = distinct debtors (by NIK) with a disbursement in Y on or before D;
    pencairan = the sum of those disbursements' plafon; baki debet and its split by collectibility on
    D over the portfolio (loans disbursed on or before D, of every scheme and year); subsidi = the
    interest subsidy for the days of Y up to D (per loan-month rounded half up, then added)."""
    loans = regency_loans(regency_codes).filter(disbursed_on__lte=as_of)
    year_start, year_end = date(year, 1, 1), min(date(year, 12, 31), as_of)
    in_year = loans.filter(disbursed_on__gte=year_start, disbursed_on__lte=year_end)
    debtors = in_year.values("nik_hash").distinct().count()
    pencairan = int(in_year.aggregate(total=Sum("plafon"))["total"] or 0)
    by_kol = {str(k): 0 for k in range(1, 6)}
    for position in positions_on(loans, as_of, next_due=False):
        by_kol[str(position.kolektibilitas)] += position.baki_debet
    subsidy = loan_subsidy_total(loans, year_start, year_end)
    return {
        "kredit_mawar_debitur_tahun": debtors,
        "kredit_mawar_pencairan_tahun": pencairan,
        "kredit_mawar_baki_debet": sum(by_kol.values()),
        "kredit_mawar_kolektibilitas": by_kol,
        "kredit_mawar_subsidi_bunga_tahun": subsidy,
    }


def unmatched_loans(*, regency_codes: Iterable[str] | None) -> QuerySet[Loan]:
    """Loans whose debtor is not (yet) matched to a registry owner, for an operator to match."""
    qs = Loan.objects.filter(owner__isnull=True).select_related("scheme")
    if regency_codes is not None:
        qs = qs.filter(regency_id__in=list(regency_codes))
    return qs.order_by("scheme__code", "account_number")


# --- access and lists of the flow ------------------------------------------------------------------


def officer_bank(user: Any) -> Bank | None:
    """The partner bank of a user with role `bank` (None for anyone else, or a bank user not yet linked)."""
    if getattr(user, "role", "") != Role.BANK:
        return None
    officer = getattr(user, "bank_officer", None)
    return officer.bank if officer is not None else None


def applications_visible(user: Any) -> QuerySet[Any]:
    """Applications a user may see: officers by their regions, a bank officer only those recommended to
    their bank, anyone else their own."""

    qs = Application.objects.select_related("scheme__bank", "business", "owner", "batch", "loan")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.has_role(*OFFICERS):
        codes = user_regency_codes(user)
        return qs if codes is None else qs.filter(regency_id__in=codes)
    if user.role == Role.BANK:
        bank = officer_bank(user)
        return qs.filter(batch__bank=bank) if bank is not None else qs.none()
    return qs.filter(applicant_user=user)


def access_application(user: Any, pk: int) -> Any:
    found = applications_visible(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def loans_visible(user: Any) -> QuerySet[Loan]:
    qs = Loan.objects.select_related("scheme__bank")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.has_role(*OFFICERS):
        codes = user_regency_codes(user)
        return qs if codes is None else qs.filter(regency_id__in=codes)
    if user.role == Role.BANK:
        bank = officer_bank(user)
        return qs.filter(scheme__bank=bank) if bank is not None else qs.none()
    return qs.filter(application__applicant_user=user)


def access_loan(user: Any, pk: int) -> Loan:
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


def _with_loans(positions: list[Position], limit: int) -> list[LoanPosition]:
    chosen = positions[:limit]
    loans = Loan.objects.select_related("scheme").in_bulk([p.loan_id for p in chosen])
    return [LoanPosition(loans[p.loan_id], p.baki_debet, p.days_past_due, p.kolektibilitas, p.next_due) for p in chosen]


def loan_positions(qs: QuerySet[Loan], on: date) -> list[LoanPosition]:
    """Baki debet, days past due, collectibility and the next due date of each outstanding loan on `on`."""
    return _with_loans(sorted(positions_on(qs, on), key=lambda p: p.loan_id), 10**9)


def loans_in_arrears(qs: QuerySet[Loan], on: date, limit: int = 50) -> list[LoanPosition]:
    """Outstanding loans with days past due on `on`, the longest arrears first."""
    found = [p for p in positions_on(qs, on) if p.days_past_due > 0]
    return _with_loans(sorted(found, key=lambda p: (-p.days_past_due, p.loan_id)), limit)


def loans_falling_due(qs: QuerySet[Loan], on: date, days: int = 14, limit: int = 50) -> list[LoanPosition]:
    """Outstanding loans with an instalment falling due in the next `days` days, soonest first."""
    horizon = on + timedelta(days=days)
    found = [p for p in positions_on(qs, on) if p.next_due is not None and p.next_due <= horizon]
    return _with_loans(sorted(found, key=lambda p: (p.next_due, p.loan_id)), limit)


def applicant_facts(*, scheme: Scheme, business: Any, amount: int, residence_village: Any, no_other_bank_loan: bool,
                    exclude_application: Any = None) -> rules.ApplicantFacts:  # fmt: skip
    """What the automatic checks need, read from the registry and the loans of the owner's NIK."""

    owner = business.owner
    today = date.today()
    previous: list[rules.PreviousLoan] = []
    loans = list(
        Loan.objects.filter(nik_hash=owner.nik_hash, disbursed_on__lte=today).prefetch_related(
            "instalments", "repayments"
        )
    )
    terms = scheme_terms({loan.scheme for loan in loans}) if loans else {}
    for loan in loans:
        timeline = rules.LoanTimeline(loan_facts(loan, terms[loan.scheme_id].tolerance))
        closed = timeline.baki_debet(today) == 0 and loan.written_off_on is None
        previous.append(rules.PreviousLoan(closed=closed, max_days_late=rules.max_days_past_due(timeline, today)))
    open_statuses = [ApplicationStatus.DIAJUKAN, ApplicationStatus.DIREKOMENDASIKAN, ApplicationStatus.DISETUJUI]
    pending = Application.objects.filter(owner=owner, status__in=open_statuses)
    if exclude_application is not None:
        pending = pending.exclude(pk=exclude_application.pk)
    return rules.ApplicantFacts(
        nik_problems=tuple(nik_errors(nik_decrypt(owner.nik_ciphertext))),
        residence_regency=residence_village.code[:5] if residence_village is not None else None,
        business_regency=business.regency_id,
        in_registry=business.status == "aktif",
        amount=amount,
        previous_loans=tuple(previous),
        open_application=pending.exists(),
        no_other_bank_loan=no_other_bank_loan,
    )


def scheme_limits(scheme: Scheme) -> rules.SchemeLimits:
    return rules.SchemeLimits(
        regency=scheme.regency_id,
        floor=scheme.first_loan_floor,
        first_ceiling=scheme.first_loan_ceiling,
        repeat_ceiling=scheme.repeat_loan_ceiling,
        repeat_requires_closed=scheme.repeat_requires_closed,
        repeat_max_days_late=scheme.repeat_max_days_late,
    )


def owner_businesses(user: Any) -> list[Any]:
    """The registry businesses a user may apply for: those of the shops they belong to."""
    return list(Business.objects.filter(seller__members__user=user).select_related("owner", "regency").order_by("name"))


def repeat_loan_offer(user: Any, on: date) -> bool:
    """Whether to offer this borrower a repeat loan: they have a loan, none open, and the rule allows it."""
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
