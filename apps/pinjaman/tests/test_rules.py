"""SPEC §9 arithmetic as literal tables computed by hand, and hypothesis properties."""

from bisect import bisect_right
from collections.abc import Sequence
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.pinjaman import rules
from apps.pinjaman.rules import (
    APPLIED,
    DAYS_IN_YEAR_FOR_INTEREST,
    POJK_40_2019,
    RECOVERY,
    REFUSED,
    Band,
    LoanFacts,
    LoanTimeline,
    Payment,
    RateVersion,
    add_months,
    collectibility,
    due_dates,
    instalment_amounts,
    repayment_outcomes,
    round_half_up,
    schedule,
)

TWELVE = [RateVersion(date(2019, 1, 1), Fraction(12, 100))]


def timeline(plafon, disbursed, tenor=12, payments=(), written_off=None, tolerance=0):
    return LoanTimeline(
        LoanFacts(
            plafon=plafon,
            disbursed_on=disbursed,
            instalments=[(due, amount) for _k, due, amount in schedule(plafon, tenor, disbursed)],
            payments=[Payment(d, n, a) for d, n, a in payments],
            written_off_on=written_off,
            tolerance=tolerance,
        )
    )


def test_spec_example_two_and_a_half_million_over_twelve_months():
    assert schedule(2_500_000, 12, date(2019, 3, 15)) == [
        (1, date(2019, 4, 15), 208_000),
        (2, date(2019, 5, 15), 208_000),
        (3, date(2019, 6, 15), 208_000),
        (4, date(2019, 7, 15), 208_000),
        (5, date(2019, 8, 15), 208_000),
        (6, date(2019, 9, 15), 208_000),
        (7, date(2019, 10, 15), 208_000),
        (8, date(2019, 11, 15), 208_000),
        (9, date(2019, 12, 15), 208_000),
        (10, date(2020, 1, 15), 208_000),
        (11, date(2020, 2, 15), 208_000),
        (12, date(2020, 3, 15), 212_000),
    ]


@pytest.mark.parametrize(
    "plafon,tenor,unit,expected",
    [
        (2_500_000, 12, 1000, [208_000] * 11 + [212_000]),
        (1_000_000, 12, 1000, [83_000] * 11 + [87_000]),
        (500_000, 12, 1000, [41_000] * 11 + [49_000]),
        (1_200_000, 12, 1000, [100_000] * 12),
        (2_345_678, 12, 1000, [195_000] * 11 + [200_678]),
        (700_000, 6, 1000, [116_000] * 5 + [120_000]),
        (2_500_000, 12, 1, [208_333] * 11 + [208_337]),
        (5_000, 12, 1000, [0] * 11 + [5_000]),
        (900_000, 1, 1000, [900_000]),
    ],
)
def test_instalments_are_multiples_of_the_unit_with_the_remainder_last(plafon, tenor, unit, expected):
    assert instalment_amounts(plafon, tenor, unit) == expected


def test_loan_disbursed_on_the_31st_falls_due_on_each_months_last_day_never_chained():
    assert due_dates(date(2019, 1, 31), 12) == [
        date(2019, 2, 28),
        date(2019, 3, 31),  # chained from 28 February it would be 28 March
        date(2019, 4, 30),
        date(2019, 5, 31),
        date(2019, 6, 30),
        date(2019, 7, 31),
        date(2019, 8, 31),
        date(2019, 9, 30),
        date(2019, 10, 31),
        date(2019, 11, 30),
        date(2019, 12, 31),
        date(2020, 1, 31),
    ]


@pytest.mark.parametrize(
    "disbursed,tenor,expected",
    [
        (date(2019, 12, 31), 3, [date(2020, 1, 31), date(2020, 2, 29), date(2020, 3, 31)]),  # leap year
        (date(2019, 8, 30), 7, [date(2019, 9, 30), date(2019, 10, 30), date(2019, 11, 30), date(2019, 12, 30),
                                date(2020, 1, 30), date(2020, 2, 29), date(2020, 3, 30)]),
        (date(2019, 11, 29), 4, [date(2019, 12, 29), date(2020, 1, 29), date(2020, 2, 29), date(2020, 3, 29)]),
        (date(2020, 2, 29), 2, [date(2020, 3, 29), date(2020, 4, 29)]),
        (date(2019, 5, 31), 1, [date(2019, 6, 30)]),
    ],
)  # fmt: skip
def test_month_end_due_dates(disbursed, tenor, expected):
    assert due_dates(disbursed, tenor) == expected


@pytest.mark.parametrize(
    "days,kol",
    [(0, 1), (1, 2), (30, 2), (90, 2), (91, 3), (120, 3), (121, 4), (180, 4), (181, 5), (1000, 5)],
)
def test_pojk_40_2019_collectibility(days, kol):
    assert collectibility(days) == kol


def test_a_bank_table_with_other_bands():
    bands = (rules.Band(1, 0, 30), rules.Band(2, 31, 60), rules.Band(5, 61, None))
    assert [collectibility(d, bands) for d in (0, 30, 31, 60, 61)] == [1, 1, 2, 2, 5]


# Rp1.200.000 over 12 months (Rp100.000 each) disbursed 10 January 2019: instalment 1 due 10 February,
# 2 due 10 March, 3 due 10 April. Paid: 100.000 on 10 Feb (on time), 50.000 on 20 March (partial),
# 50.000 on 25 March (instalment 2 complete), nothing in April until 100.000 on 15 April.
ARREARS = timeline(
    1_200_000,
    date(2019, 1, 10),
    payments=[
        (date(2019, 2, 10), "T1", 100_000),
        (date(2019, 3, 20), "T2", 50_000),
        (date(2019, 3, 25), "T3", 50_000),
        (date(2019, 4, 15), "T4", 100_000),
    ],
)


@pytest.mark.parametrize(
    "day,dpd,baki",
    [
        (date(2019, 1, 9), 0, 0),  # before disbursement
        (date(2019, 1, 10), 0, 1_200_000),
        (date(2019, 2, 9), 0, 1_200_000),
        (date(2019, 2, 10), 0, 1_100_000),  # paid on its due date
        (date(2019, 3, 10), 0, 1_100_000),  # unpaid at the end of its due date: still 0 that day
        (date(2019, 3, 11), 1, 1_100_000),
        (date(2019, 3, 19), 9, 1_100_000),
        (date(2019, 3, 20), 10, 1_050_000),  # partial payment: the instalment is still unpaid
        (date(2019, 3, 24), 14, 1_050_000),
        (date(2019, 3, 25), 0, 1_000_000),  # paid in full
        (date(2019, 4, 10), 0, 1_000_000),
        (date(2019, 4, 11), 1, 1_000_000),
        (date(2019, 4, 14), 4, 1_000_000),
        (date(2019, 4, 15), 0, 900_000),
        (date(2019, 5, 11), 1, 900_000),
    ],
)
def test_days_past_due_and_baki_debet_day_by_day(day, dpd, baki):
    assert ARREARS.days_past_due(day) == dpd
    assert ARREARS.baki_debet(day) == baki


def test_arrears_tolerance_of_a_scheme():
    t = timeline(1_200_000, date(2019, 1, 10), payments=[(date(2019, 2, 10), "T1", 99_500)], tolerance=500)
    assert t.days_past_due(date(2019, 2, 20)) == 0
    strict = timeline(1_200_000, date(2019, 1, 10), payments=[(date(2019, 2, 10), "T1", 99_500)])
    assert strict.days_past_due(date(2019, 2, 20)) == 10


def test_early_repayment_covers_later_instalments_oldest_first():
    t = timeline(1_200_000, date(2019, 1, 10), payments=[(date(2019, 1, 20), "T1", 300_000)])
    assert t.days_past_due(date(2019, 4, 10)) == 0
    assert t.days_past_due(date(2019, 5, 10)) == 0
    assert t.days_past_due(date(2019, 5, 11)) == 1
    assert t.baki_debet(date(2019, 1, 20)) == 900_000


def test_unpaid_loan_keeps_ageing_into_macet():
    t = timeline(1_200_000, date(2019, 1, 10))
    assert t.days_past_due(date(2019, 8, 9)) == 180
    assert collectibility(t.days_past_due(date(2019, 8, 9))) == 4
    assert t.days_past_due(date(2019, 8, 10)) == 181
    assert collectibility(t.days_past_due(date(2019, 8, 10))) == 5
    assert t.days_past_due(date(2021, 2, 10)) == (date(2021, 2, 10) - date(2019, 2, 10)).days


@pytest.mark.parametrize(
    "payments,written_off,expected",
    [
        # the second takes the total beyond the plafon: refused whole; the third still fits
        (
            [(date(2019, 2, 10), "A", 500_000), (date(2019, 2, 11), "B", 200_000), (date(2019, 2, 12), "C", 100_000)],
            None,
            {"A": APPLIED, "B": REFUSED, "C": APPLIED},
        ),
        # same day: transaction numbers in natural order (9 before 10), whatever the file order
        (
            [(date(2019, 2, 10), "TRX-10", 400_000), (date(2019, 2, 10), "TRX-9", 300_000)],
            None,
            {"TRX-9": APPLIED, "TRX-10": REFUSED},
        ),
        # date before number
        (
            [(date(2019, 2, 11), "1", 400_000), (date(2019, 2, 10), "2", 300_000)],
            None,
            {"2": APPLIED, "1": REFUSED},
        ),
        # on or after the write-off date: a recovery
        (
            [(date(2019, 2, 10), "A", 100_000), (date(2019, 3, 15), "B", 50_000), (date(2019, 4, 1), "C", 20_000)],
            date(2019, 3, 15),
            {"A": APPLIED, "B": RECOVERY, "C": RECOVERY},
        ),
        # exactly the plafon is accepted
        ([(date(2019, 2, 10), "A", 600_000)], None, {"A": APPLIED}),
    ],
)
def test_repayment_outcomes(payments, written_off, expected):
    assert repayment_outcomes(600_000, [Payment(*p) for p in payments], written_off) == expected


@pytest.mark.parametrize(
    "value,expected",
    [(Fraction(5, 2), 3), (Fraction(7, 2), 4), (Fraction(249, 100), 2), (Fraction(10566, 1) + Fraction(2, 3), 10567),
     (Fraction(0), 0), (Fraction(1, 3), 0), (Fraction(1, 2), 1)],
)  # fmt: skip
def test_round_half_up(value, expected):
    assert round_half_up(value) == expected


def test_subsidy_day_by_day_rounded_once_per_loan_month():
    # Rp1.200.000 at 12%: 1.200.000 × 0,12 / 360 = Rp400 a day exactly.
    # January: 10–31 = 22 days × 400 = 8.800.
    # February: 1–9 at 400 (3.600) + 10–28 at 1.100.000 × 0,12 / 360 = 366,67 (19 days = 6.966,67)
    #   = 10.566,67 → 10.567 (rounding each day would give 3.600 + 19 × 367 = 10.573).
    # March: 1–19 at 1.100.000 (19 × 366,67 = 6.966,67), 20–24 at 1.050.000 (350 × 5 = 1.750),
    #   25–31 at 1.000.000 (7 × 333,33 = 2.333,33) = 11.050 exactly.
    result = ARREARS.subsidy_by_month(start=date(2019, 1, 1), end=date(2019, 3, 31), rates=TWELVE)
    assert result == {(2019, 1): 8_800, (2019, 2): 10_567, (2019, 3): 11_050}
    # a period ending mid-month rounds the part of the month asked
    assert ARREARS.subsidy_by_month(start=date(2019, 2, 1), end=date(2019, 2, 10), rates=TWELVE) == {
        (2019, 2): 3_967  # 3.600 + 366,67
    }


def test_no_subsidy_after_the_last_due_date_and_the_last_due_date_counts():
    # Rp600.000 for one month, disbursed 10 January 2019, never paid: Rp200 a day.
    t = timeline(600_000, date(2019, 1, 10), tenor=1)
    assert t.subsidy_by_month(start=date(2019, 1, 1), end=date(2019, 12, 31), rates=TWELVE) == {
        (2019, 1): 4_400,  # 22 days
        (2019, 2): 2_000,  # 1–10 February, the due date included
    }


def test_no_subsidy_on_days_in_collectibility_5():
    t = timeline(1_200_000, date(2019, 1, 10))  # never paid: dpd 181 on 10 August
    result = t.subsidy_by_month(start=date(2019, 8, 1), end=date(2019, 12, 31), rates=TWELVE)
    assert result == {(2019, 8): 3_600}  # 1–9 August at Rp400
    unlimited = t.subsidy_by_month(
        start=date(2019, 8, 1), end=date(2019, 8, 31), rates=TWELVE, skip_collectibility=None
    )
    assert unlimited == {(2019, 8): 12_400}


def test_write_off_sets_baki_debet_to_zero_from_its_date_and_later_payments_are_recoveries():
    t = timeline(
        1_200_000,
        date(2019, 1, 10),
        payments=[(date(2019, 2, 10), "T1", 100_000), (date(2019, 4, 1), "T2", 200_000)],
        written_off=date(2019, 3, 15),
    )
    assert t.baki_debet(date(2019, 3, 14)) == 1_100_000
    assert t.baki_debet(date(2019, 3, 15)) == 0
    assert t.baki_debet(date(2019, 4, 2)) == 0
    assert t.outcomes == {"T1": APPLIED, "T2": RECOVERY}
    # March: 1–14 at 366,67 = 5.133,33 → 5.133; nothing after
    assert t.subsidy_by_month(start=date(2019, 3, 1), end=date(2019, 6, 30), rates=TWELVE) == {(2019, 3): 5_133}


def test_bank_rate_versioned_by_effective_date():
    rates = [RateVersion(date(2019, 1, 1), Fraction(12, 100)), RateVersion(date(2019, 1, 20), Fraction(9, 100))]
    t = timeline(1_200_000, date(2019, 1, 10))
    # 10–19 January at 400 (4.000) + 20–31 at 1.200.000 × 0,09 / 360 = 300 (12 × 300 = 3.600)
    assert t.subsidy_by_month(start=date(2019, 1, 1), end=date(2019, 1, 31), rates=rates) == {(2019, 1): 7_600}


plafons = st.integers(min_value=1, max_value=20_000_000)
tenors = st.integers(min_value=1, max_value=36)
days = st.dates(min_value=date(2019, 1, 1), max_value=date(2021, 12, 31))


@given(plafon=plafons, tenor=tenors, unit=st.sampled_from([1, 100, 1000]))
def test_instalments_sum_to_the_plafon(plafon, tenor, unit):
    amounts = instalment_amounts(plafon, tenor, unit)
    assert sum(amounts) == plafon
    assert len(amounts) == tenor
    assert all(a % unit == 0 and a >= 0 for a in amounts[:-1])
    assert amounts[-1] >= max(amounts[:-1], default=0)


@settings(max_examples=60, deadline=None)
@given(
    plafon=st.integers(min_value=100_000, max_value=5_000_000),
    disbursed=days,
    payments=st.lists(
        st.tuples(st.integers(min_value=0, max_value=500), st.integers(min_value=1, max_value=3_000_000)), max_size=8
    ),
    written_off=st.one_of(st.none(), st.integers(min_value=0, max_value=500)),
)
def test_baki_debet_never_negative_never_rising_and_no_subsidy_after_maturity(plafon, disbursed, payments, written_off):
    t = timeline(
        plafon,
        disbursed,
        payments=[(disbursed + timedelta(days=d), f"T{i}", a) for i, (d, a) in enumerate(payments)],
        written_off=disbursed + timedelta(days=written_off) if written_off is not None else None,
    )
    previous = plafon
    for offset in range(0, 520, 7):
        balance = t.baki_debet(disbursed + timedelta(days=offset))
        assert 0 <= balance <= previous
        previous = balance
    after = t.last_due_date + timedelta(days=1)
    assert t.subsidy_by_month(start=after, end=after + timedelta(days=400), rates=TWELVE) == {}
    # a month's subsidy never exceeds what the whole plafon would earn
    for (y, m), amount in t.subsidy_by_month(start=disbursed, end=t.last_due_date, rates=TWELVE).items():
        assert 0 <= amount <= round_half_up(Fraction(plafon * 12 * 31, 100 * 360)) + 1, (y, m)


LIMITS = rules.SchemeLimits("33.03", 500_000, 2_500_000, 15_000_000, True, 30)


@pytest.mark.parametrize(
    "previous,allowed,reason",
    [
        ((), True, "pinjaman pertama"),
        ((rules.PreviousLoan(True, 10),), True, "pinjaman sebelumnya lunas, tunggakan terlama 10 hari"),
        ((rules.PreviousLoan(True, 30),), True, "pinjaman sebelumnya lunas, tunggakan terlama 30 hari"),
        ((rules.PreviousLoan(True, 41),), False, "pernah menunggak 41 hari (batas 30 hari)"),
        ((rules.PreviousLoan(True, 0), rules.PreviousLoan(False, 0)), False, "pinjaman sebelumnya belum lunas"),
    ],
)
def test_repeat_loan_rule(previous, allowed, reason):
    assert rules.repeat_loan_allowed(LIMITS, previous) == (allowed, reason)


def test_longest_arrears_of_a_loan():
    # instalment 2 (due 10 March) paid in full on 25 March: 14 days past due on the 24th, 0 at the end
    # of the 25th; instalment 3 paid 5 days late (4); instalment 4 (due 10 May) unpaid on 31 May: 21
    assert rules.max_days_past_due(ARREARS, date(2019, 4, 30)) == 14
    assert rules.max_days_past_due(ARREARS, date(2019, 5, 31)) == 21


def test_restructuring_keeps_the_paid_part_and_spreads_the_rest():
    old = [(due, amount) for _k, due, amount in schedule(1_200_000, 12, date(2019, 1, 10))]
    assert rules.restructured_instalments(old, 250_000, date(2019, 5, 1), 5) == [
        (date(2019, 2, 10), 100_000),
        (date(2019, 3, 10), 100_000),
        (date(2019, 4, 10), 50_000),
        (date(2019, 6, 1), 190_000),
        (date(2019, 7, 1), 190_000),
        (date(2019, 8, 1), 190_000),
        (date(2019, 9, 1), 190_000),
        (date(2019, 10, 1), 190_000),
    ]


@settings(max_examples=150, deadline=None)
@given(
    plafon=st.integers(min_value=100_000, max_value=3_000_000),
    disbursed=days,
    tenor=st.sampled_from([1, 3, 12]),
    payments=st.lists(
        st.tuples(st.integers(min_value=0, max_value=400), st.integers(min_value=1, max_value=1_500_000)), max_size=6
    ),
    written_off=st.one_of(st.none(), st.integers(min_value=0, max_value=400)),
    stop=st.booleans(),
)
def test_segments_give_the_same_monthly_subsidy(plafon, disbursed, tenor, payments, written_off, stop):
    t = timeline(
        plafon,
        disbursed,
        tenor=tenor,
        payments=[(disbursed + timedelta(days=d), f"T{i}", a) for i, (d, a) in enumerate(payments)],
        written_off=disbursed + timedelta(days=written_off) if written_off is not None else None,
    )
    rates = [RateVersion(date(2019, 1, 1), Fraction(12, 100)), RateVersion(date(2020, 7, 1), Fraction(9, 100))]
    start, end = date(2019, 1, 1), date(2022, 6, 30)
    segments = rules.subsidy_segments(t, stop_after_last_due=stop)
    assert segments == segments_by_day(t, stop_after_last_due=stop)
    other_bands = (rules.Band(1, 0, 0), rules.Band(2, 1, 30), rules.Band(5, 31, 60), rules.Band(4, 61, None))
    assert rules.subsidy_segments(t, bands=other_bands) == segments_by_day(t, bands=other_bands)
    assert subsidy_from_segments(segments, rates, start, end) == t.subsidy_by_month(
        start=start, end=end, rates=rates, stop_after_last_due=stop
    )
    assert all(a <= b for a, b, _balance in segments)


# Reference readings the fast rules are compared with (tests only).


def segments_by_day(
    timeline: LoanTimeline,
    *,
    bands: Sequence[Band] = POJK_40_2019,
    stop_after_last_due: bool = True,
    skip_collectibility: int | None = 5,
) -> list[tuple[date, date, int]]:
    """The runs of `rules.subsidy_segments` found by walking every day: the plain reading of the rule that
    the arithmetic version is held to."""
    first = timeline.facts.disbursed_on
    last = timeline.last_due_date if stop_after_last_due else date(9999, 12, 30)
    if timeline.facts.written_off_on is not None:
        last = min(last, timeline.facts.written_off_on - timedelta(days=1))
    if not stop_after_last_due:
        repaid_in_full = timeline.principal_repaid(date.max) >= timeline.facts.plafon
        last = min(last, timeline._paid_dates[-1] if repaid_in_full else add_months(timeline.last_due_date, 120))
    runs: list[tuple[date, date, int]] = []
    day = first
    one = timedelta(days=1)
    while day <= last:
        balance = timeline.baki_debet(day)
        if balance > 0 and (
            skip_collectibility is None or collectibility(timeline.days_past_due(day), bands) != skip_collectibility
        ):
            if runs and runs[-1][1] == day - one and runs[-1][2] == balance:
                runs[-1] = (runs[-1][0], day, balance)
            else:
                runs.append((day, day, balance))
        day += one
    return runs


def subsidy_from_segments(
    segments: Sequence[tuple[date, date, int]], rates: Sequence[RateVersion], start: date, end: date
) -> dict[tuple[int, int], int]:
    """`LoanTimeline.subsidy_by_month` computed from the runs of `rules.subsidy_segments` (the stored
    segments must carry the same subsidy)."""
    rate_dates = [r.effective_from for r in rates]
    sums: dict[tuple[int, int], Fraction] = {}
    one = timedelta(days=1)
    for seg_start, seg_end, balance in segments:
        day = max(seg_start, start)
        while day <= min(seg_end, end):
            index = bisect_right(rate_dates, day) - 1
            rate = rates[max(index, 0)].annual_rate
            key = (day.year, day.month)
            sums[key] = sums.get(key, Fraction(0)) + rate * balance
            day += one
    return {key: round_half_up(total / DAYS_IN_YEAR_FOR_INTEREST) for key, total in sums.items() if total}
