"""Kredit Mawar loan arithmetic (SPEC §9), as pure functions over plain data, exact to the rupiah.

- Schedule: n equal monthly instalments of principal rounded down to a multiple of the scheme's unit
  (Rp1.000), the last taking the remainder; instalment k falls due k calendar months after the
  disbursement on its day, or on the month's last day when that day does not exist (never chained
  from the previous due date).
- Repayments apply in date order, then by transaction number; one that takes the total repaid beyond
  the plafon is refused whole; one dated on or after the write-off date is a recovery (it does not
  reduce the baki debet, which is 0 from the end of the write-off date).
- Days past due on D: D minus the due date of the oldest instalment not fully paid by the end of D
  (0 when none is due); an instalment is paid only when paid in full (less the scheme's tolerance).
- Collectibility by days past due, a table per bank (default POJK 40/POJK.03/2019).
- Interest subsidy: for each day, bank rate × baki debet at the end of the day ÷ 360, as exact
  fractions, from the disbursement date up to the last due date, skipping days in collectibility 5;
  summed per loan per calendar month (within the period asked) and rounded half up once.
"""

import calendar
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from django.utils.translation import gettext as _

from apps.core.formatting import rupiah

DAYS_IN_YEAR_FOR_INTEREST = 360


def add_months(d: date, months: int) -> date:
    """The same day `months` later; a day the target month lacks becomes its last day."""
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def instalment_amounts(plafon: int, tenor: int, unit: int = 1000) -> list[int]:
    """Principal per instalment: equal parts rounded down to a multiple of `unit`, remainder last.

    Rp2.500.000 over 12 months: 11 × Rp208.000 and Rp212.000.
    """
    if tenor < 1:
        raise ValueError("tenor must be at least one month")
    if plafon < 0:
        raise ValueError("plafon must not be negative")
    unit = max(unit, 1)
    base = plafon // tenor // unit * unit
    return [base] * (tenor - 1) + [plafon - base * (tenor - 1)]


def due_dates(disbursed_on: date, tenor: int) -> list[date]:
    """Instalment k (1-based) is due `add_months(disbursed_on, k)`: 31 January → 28/29 February,
    31 March, 30 April, … (each counted from the disbursement, never from the previous due date)."""
    return [add_months(disbursed_on, k) for k in range(1, tenor + 1)]


def schedule(plafon: int, tenor: int, disbursed_on: date, unit: int = 1000) -> list[tuple[int, date, int]]:
    """(number, due date, principal) for each instalment."""
    return [
        (k, due, amount)
        for k, (due, amount) in enumerate(
            zip(due_dates(disbursed_on, tenor), instalment_amounts(plafon, tenor, unit), strict=True), start=1
        )
    ]


_NUMBER_PART = re.compile(r"(\d+)")


def transaction_sort_key(number: str) -> tuple[tuple[int, int | str], ...]:
    """Natural order of transaction numbers: `TRX-9` before `TRX-10`; digits compare as numbers."""
    parts: list[tuple[int, int | str]] = []
    for part in _NUMBER_PART.split(number.strip().upper()):
        if not part:
            continue
        parts.append((0, int(part)) if part.isdigit() else (1, part))
    return tuple(parts)


# Outcome of a repayment once the loan's whole sequence is known.
APPLIED = "diterapkan"
RECOVERY = "pemulihan"
REFUSED = "ditolak"


@dataclass(frozen=True)
class Payment:
    paid_on: date
    number: str
    amount: int


def repayment_outcomes(plafon: int, payments: Iterable[Payment], written_off_on: date | None) -> dict[str, str]:
    """Outcome per transaction number: applied to principal, a recovery after write-off, or refused
    because it would take the total repaid beyond the plafon (refused whole; later ones still count)."""
    outcomes: dict[str, str] = {}
    total = 0
    for payment in sorted(payments, key=lambda p: (p.paid_on, transaction_sort_key(p.number))):
        if payment.amount <= 0 or total + payment.amount > plafon:
            outcomes[payment.number] = REFUSED
            continue
        total += payment.amount
        if written_off_on is not None and payment.paid_on >= written_off_on:
            outcomes[payment.number] = RECOVERY
        else:
            outcomes[payment.number] = APPLIED
    return outcomes


@dataclass(frozen=True)
class Band:
    kolektibilitas: int
    min_days: int
    max_days: int | None  # None: no upper bound


# POJK 40/POJK.03/2019: 1 Lancar (0), 2 Dalam Perhatian Khusus (1–90), 3 Kurang Lancar (91–120),
# 4 Diragukan (121–180), 5 Macet (> 180).
POJK_40_2019: tuple[Band, ...] = (
    Band(1, 0, 0),
    Band(2, 1, 90),
    Band(3, 91, 120),
    Band(4, 121, 180),
    Band(5, 181, None),
)


def collectibility(days_past_due: int, bands: Sequence[Band] = POJK_40_2019) -> int:
    for band in bands:
        if days_past_due >= band.min_days and (band.max_days is None or days_past_due <= band.max_days):
            return band.kolektibilitas
    # a table with a gap: the worst band whose lower bound is passed
    passed = [b.kolektibilitas for b in bands if days_past_due >= b.min_days]
    return max(passed) if passed else 1


@dataclass(frozen=True)
class RateVersion:
    effective_from: date
    annual_rate: Fraction  # 12% a year = Fraction(12, 100)


def round_half_up(value: Fraction) -> int:
    """Whole rupiah, halves away from zero (subsidy amounts are never negative)."""
    if value < 0:
        return -round_half_up(-value)
    return int((value.numerator * 2 + value.denominator) // (value.denominator * 2))


@dataclass
class LoanFacts:
    """What the arithmetic needs of one loan."""

    plafon: int
    disbursed_on: date
    instalments: list[tuple[date, int]]  # (due date, principal) in order
    payments: list[Payment] = field(default_factory=list)
    written_off_on: date | None = None
    tolerance: int = 0


class LoanTimeline:
    """A loan's balances on any date, from its schedule and repayments (outcomes decided once)."""

    def __init__(self, facts: LoanFacts) -> None:
        self.facts = facts
        self.outcomes = repayment_outcomes(facts.plafon, facts.payments, facts.written_off_on)
        applied = sorted(
            ((p.paid_on, p.amount) for p in facts.payments if self.outcomes[p.number] == APPLIED),
        )
        self._paid_dates: list[date] = []
        self._paid_cumulative: list[int] = []
        total = 0
        for paid_on, amount in applied:
            total += amount
            if self._paid_dates and self._paid_dates[-1] == paid_on:
                self._paid_cumulative[-1] = total
            else:
                self._paid_dates.append(paid_on)
                self._paid_cumulative.append(total)
        self._due_dates = [due for due, _amount in facts.instalments]
        self._due_cumulative: list[int] = []
        total = 0
        for _due, amount in facts.instalments:
            total += amount
            self._due_cumulative.append(total)
        self.last_due_date = self._due_dates[-1] if self._due_dates else facts.disbursed_on

    def principal_repaid(self, on: date) -> int:
        """Principal repaid by the end of `on` (recoveries and refused payments excluded)."""
        index = bisect_right(self._paid_dates, on)
        return self._paid_cumulative[index - 1] if index else 0

    def baki_debet(self, on: date) -> int:
        """Outstanding principal at the end of `on`: 0 before disbursement and from the write-off date."""
        if on < self.facts.disbursed_on:
            return 0
        if self.facts.written_off_on is not None and on >= self.facts.written_off_on:
            return 0
        return self.facts.plafon - self.principal_repaid(on)

    def oldest_unpaid_due_date(self, on: date) -> date | None:
        """Due date of the oldest instalment not fully paid by the end of `on`, if it is due by then."""
        repaid = self.principal_repaid(on)
        index = bisect_right(self._due_cumulative, repaid + self.facts.tolerance)
        if index >= len(self._due_dates):
            return None
        due = self._due_dates[index]
        return due if due <= on else None

    def days_past_due(self, on: date) -> int:
        due = self.oldest_unpaid_due_date(on)
        return (on - due).days if due is not None else 0

    def subsidy_by_month(
        self,
        *,
        start: date,
        end: date,
        rates: Sequence[RateVersion],
        bands: Sequence[Band] = POJK_40_2019,
        stop_after_last_due: bool = True,
        skip_collectibility: int | None = 5,
    ) -> dict[tuple[int, int], int]:
        """The subsidy of each calendar month of [start, end], rounded half up once per month.

        A month with no subsidy day is absent. Each day: rate of that day × end-of-day baki debet ÷ 360.
        """
        first = max(start, self.facts.disbursed_on)
        last = end
        if stop_after_last_due:
            last = min(last, self.last_due_date)
        if self.facts.written_off_on is not None:
            last = min(last, self.facts.written_off_on - timedelta(days=1))
        if first > last or not rates:
            return {}
        rate_dates = [r.effective_from for r in rates]
        # per month, per rate: the sum of end-of-day balances of the subsidy days
        sums: dict[tuple[int, int], dict[Fraction, int]] = {}
        day = first
        one = timedelta(days=1)
        while day <= last:
            balance = self.baki_debet(day)
            if balance > 0:
                if (
                    skip_collectibility is not None
                    and collectibility(self.days_past_due(day), bands) == skip_collectibility
                ):
                    day += one
                    continue
                # before the first version the earliest rate applies (a scheme always has one)
                index = bisect_right(rate_dates, day) - 1
                rate = rates[max(index, 0)].annual_rate
                month = sums.setdefault((day.year, day.month), {})
                month[rate] = month.get(rate, 0) + balance
            day += one
        result: dict[tuple[int, int], int] = {}
        for key, by_rate in sums.items():
            exact = sum((rate * total for rate, total in by_rate.items()), Fraction(0)) / DAYS_IN_YEAR_FOR_INTEREST
            result[key] = round_half_up(exact)
        return result


def max_days_past_due(timeline: LoanTimeline, until: date) -> int:
    """The longest arrears of a loan up to `until` (the repeat-loan rule looks at it)."""
    worst = 0
    if not timeline._due_dates:
        return 0
    day = timeline._due_dates[0]
    last = min(until, timeline.facts.written_off_on or until)
    one = timedelta(days=1)
    while day <= last:
        due = timeline.oldest_unpaid_due_date(day)
        if due is None:
            # nothing due unpaid: jump to the next due date after today
            later = [d for d in timeline._due_dates if d > day]
            if not later:
                break
            day = later[0]
            continue
        worst = max(worst, (day - due).days)
        day += one
    return worst


def restructured_instalments(
    instalments: Sequence[tuple[date, int]], repaid: int, effective_on: date, tenor: int, unit: int = 1000
) -> list[tuple[date, int]]:
    """A new schedule: the part of the old one paid by `effective_on` is kept (a partly paid instalment
    keeps its paid part), the rest of the principal is spread over `tenor` months from `effective_on`
    by the same rule as a new loan (multiples of the unit, remainder last)."""
    kept: list[tuple[date, int]] = []
    left = repaid
    total = 0
    for due, amount in instalments:
        total += amount
        part = min(amount, left)
        if part > 0:
            kept.append((due, part))
        left -= part
    outstanding = total - repaid
    if outstanding <= 0:
        return kept
    new = zip(due_dates(effective_on, tenor), instalment_amounts(outstanding, tenor, unit), strict=True)
    return kept + list(new)


@dataclass(frozen=True)
class PreviousLoan:
    closed: bool
    max_days_late: int


@dataclass(frozen=True)
class SchemeLimits:
    regency: str
    floor: int
    first_ceiling: int
    repeat_ceiling: int
    repeat_requires_closed: bool
    repeat_max_days_late: int


@dataclass(frozen=True)
class ApplicantFacts:
    nik_problems: tuple[str, ...]
    residence_regency: str | None
    business_regency: str
    in_registry: bool
    amount: int
    previous_loans: tuple[PreviousLoan, ...]
    open_application: bool
    no_other_bank_loan: bool


@dataclass(frozen=True)
class CheckOutcome:
    code: str
    passed: bool
    reason: str


def repeat_loan_allowed(limits: SchemeLimits, previous: Sequence[PreviousLoan]) -> tuple[bool, str]:
    """Whether a borrower with these earlier loans may borrow again, and why (in Indonesian)."""
    if not previous:
        return True, _("pinjaman pertama")
    if limits.repeat_requires_closed and not all(p.closed for p in previous):
        return False, _("pinjaman sebelumnya belum lunas")
    worst = max(p.max_days_late for p in previous)
    if worst > limits.repeat_max_days_late:
        return False, _("pernah menunggak %(d)s hari (batas %(n)s hari)") % {
            "d": worst,
            "n": limits.repeat_max_days_late,
        }
    return True, _("pinjaman sebelumnya lunas, tunggakan terlama %(d)s hari") % {"d": worst}


def eligibility(codes: Sequence[str], limits: SchemeLimits, facts: ApplicantFacts) -> list[CheckOutcome]:
    """Each configured check with its result and reason (the scheme decides hard stop or warning)."""

    repeat = bool(facts.previous_loans)
    ceiling = limits.repeat_ceiling if repeat else limits.first_ceiling
    results: list[CheckOutcome] = []
    for code in codes:
        if code == "nik_valid":
            ok = not facts.nik_problems
            reason = "; ".join(facts.nik_problems) if not ok else _("NIK 16 digit dan berbentuk benar")
        elif code == "domisili":
            ok = facts.residence_regency == limits.regency
            reason = _("tinggal di kabupaten skema") if ok else _("tempat tinggal di luar kabupaten skema")
        elif code == "usaha_di_kabupaten":
            ok = facts.business_regency == limits.regency
            reason = _("usaha berada di kabupaten skema") if ok else _("usaha berada di luar kabupaten skema")
        elif code == "terdaftar":
            ok = facts.in_registry
            reason = _("usaha terdaftar di registri UMKM") if ok else _("usaha belum terdaftar di registri UMKM")
        elif code == "batas_plafon":
            ok = limits.floor <= facts.amount <= ceiling
            reason = _("%(a)s dalam batas %(lo)s–%(hi)s (%(k)s)") % {
                "a": rupiah(facts.amount),
                "lo": rupiah(limits.floor),
                "hi": rupiah(ceiling),
                "k": _("pinjaman ulang") if repeat else _("pinjaman pertama"),
            }
            if not ok:
                reason = _("%(a)s di luar batas %(lo)s–%(hi)s") % {
                    "a": rupiah(facts.amount),
                    "lo": rupiah(limits.floor),
                    "hi": rupiah(ceiling),
                }
        elif code == "tanpa_pinjaman_aktif":
            open_loans = [p for p in facts.previous_loans if not p.closed]
            ok = not open_loans and not facts.open_application
            if open_loans:
                reason = _("masih ada pinjaman Kredit Mawar yang belum lunas")
            elif facts.open_application:
                reason = _("masih ada permohonan lain yang sedang diproses")
            else:
                reason = _("tidak ada pinjaman atau permohonan lain yang berjalan")
        elif code == "pinjaman_ulang":
            ok, reason = repeat_loan_allowed(limits, facts.previous_loans)
        elif code == "tanpa_pinjaman_bank":
            ok = facts.no_other_bank_loan
            reason = (
                _("pemohon menyatakan tidak punya pinjaman bank lain") if ok else _("pemohon punya pinjaman bank lain")
            )
        else:
            continue
        results.append(CheckOutcome(code, ok, reason))
    return results


def subsidy_segments(
    timeline: LoanTimeline,
    *,
    bands: Sequence[Band] = POJK_40_2019,
    stop_after_last_due: bool = True,
    skip_collectibility: int | None = 5,
) -> list[tuple[date, date, int]]:
    """The loan's subsidy days as runs (first day, last day, end-of-day baki debet), for set-based sums:
    the subsidy of any period is the sum over the runs of rate × baki × days in the period ÷ 360, each
    loan-month rounded once (the same days and balances `subsidy_by_month` walks)."""
    first = timeline.facts.disbursed_on
    last = timeline.last_due_date if stop_after_last_due else date(9999, 12, 30)
    if timeline.facts.written_off_on is not None:
        last = min(last, timeline.facts.written_off_on - timedelta(days=1))
    if not stop_after_last_due:
        # a scheme without the stop: the loan earns until repaid; an unpaid one is bounded at ten years
        # past its last due date (a scheme that also pays on collectibility-5 days is not realistic)
        repaid_in_full = timeline.principal_repaid(date.max) >= timeline.facts.plafon
        last = min(last, timeline._paid_dates[-1] if repaid_in_full else add_months(timeline.last_due_date, 120))
    if first > last:
        return []
    one = timedelta(days=1)
    # The state (baki debet, the oldest unpaid instalment) changes only on a payment date, a due date or
    # the write-off date; between two such days the arrears grow by one a day, so the days in the skipped
    # collectibility are a range found by arithmetic, not by walking every day.
    points = sorted(
        {
            first,
            *(d for d in timeline._paid_dates if first < d <= last),
            *(d for d in timeline._due_dates if first < d <= last),
        }
    )
    skipped = [b for b in bands if b.kolektibilitas == skip_collectibility] if skip_collectibility is not None else []
    runs: list[tuple[date, date, int]] = []

    def add(start: date, end: date, balance: int) -> None:
        if start > end:
            return
        if runs and runs[-1][1] == start - one and runs[-1][2] == balance:
            runs[-1] = (runs[-1][0], end, balance)
        else:
            runs.append((start, end, balance))

    for index, start in enumerate(points):
        end = points[index + 1] - one if index + 1 < len(points) else last
        balance = timeline.baki_debet(start)
        if balance <= 0:
            continue
        due = timeline.oldest_unpaid_due_date(start)
        if due is None:  # nothing due on these days: days past due 0 throughout
            if skip_collectibility is None or collectibility(0, bands) != skip_collectibility:
                add(start, end, balance)
            continue
        # days past due on day d is (d − due); drop the days whose arrears fall in a skipped band
        pieces = [(start, end)]
        for band in skipped:
            low = due + timedelta(days=band.min_days)
            high = due + timedelta(days=band.max_days) if band.max_days is not None else date.max
            pieces = [
                piece
                for a, b in pieces
                for piece in ((a, min(b, low - one)), (max(a, high + one) if high < date.max else date.max, b))
                if piece[0] <= piece[1]
            ]
        for a, b in pieces:
            add(a, b, balance)
    return runs
