"""The SPEC §11 competency rule as a table computed by hand.

Scheme: U1.1 (max 100, bobot 40, min 60), U1.2 (max 10, bobot 20, min 5), U2.1 (max 100, bobot 40,
min 50); pass mark 70. Weighted total = (v1/100·40 + v2/10·20 + v3/100·40) / 100 · 100
= 0,4·v1 + 2·v2 + 0,4·v3. Unit U1 = (0,4·v1 + 2·v2) / 60 · 100, U2 = v3.
"""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.pengembangan.ujikom_rules import CriterionDef, decimal_text, evaluate, valid_until

CRITERIA = [
    CriterionDef(1, "U1", "Rencana kerja", 1, "Rencana kerja", Decimal(100), Decimal(40), Decimal(60)),
    CriterionDef(2, "U1", "Rencana kerja", 2, "Anggaran", Decimal(10), Decimal(20), Decimal(5)),
    CriterionDef(3, "U2", "Keuangan", 1, "Laporan keuangan", Decimal(100), Decimal(40), Decimal(50)),
]

# v1, v2, v3 → total (exact), shown, kompeten, units to retake
TABLE = [
    ("80", "8", "70", Fraction(76), "76.00", True, []),
    ("70", "7", "70", Fraction(70), "70.00", True, []),  # exactly the pass mark
    ("69.99", "7", "70", Fraction(69996, 1000), "69.996", False, ["U1"]),  # 70,00 when rounded: more decimals
    ("100", "10", "45", Fraction(78), "78.00", False, ["U2"]),  # total passes, U2.1 below its minimum 50
    ("55", "10", "100", Fraction(82), "82.00", False, ["U1"]),  # U1.1 below its minimum 60
    ("60", "4", "50", Fraction(52), "52.00", False, ["U1", "U2"]),  # U1.2 < 5; U1 53,33 and U2 50 < 70
    ("90", "9", "50", Fraction(74), "74.00", True, []),  # U2.1 exactly at its minimum
]


@pytest.mark.parametrize(("v1", "v2", "v3", "total", "shown", "kompeten", "retake"), TABLE)
def test_rule_table(v1, v2, v3, total, shown, kompeten, retake):
    outcome = evaluate(CRITERIA, {1: Decimal(v1), 2: Decimal(v2), 3: Decimal(v3)}, Decimal(70))
    assert outcome.total == total
    assert decimal_text(outcome.total, 2, Decimal(70)) == shown
    assert outcome.kompeten is kompeten
    assert outcome.units_to_retake == retake


def test_lines_explain_each_criterion():
    outcome = evaluate(CRITERIA, {1: Decimal(60), 2: Decimal(4), 3: Decimal(50)}, Decimal(70))
    assert [(line["unit"], line["nomor"], line["kontribusi"], line["memenuhi_minimum"]) for line in outcome.lines] == [
        ("U1", 1, "24.0000", True),
        ("U1", 2, "8.0000", False),
        ("U2", 1, "20.0000", True),
    ]
    assert [(u.kode, u.skor, u.alasan) for u in outcome.units] == [
        ("U1", Fraction(160, 3), ["minimum", "nilai_unit"]),
        ("U2", Fraction(50), ["nilai_unit"]),
    ]


def test_missing_score_is_refused():
    with pytest.raises(ValueError):
        evaluate(CRITERIA, {1: Decimal(60), 2: Decimal(4)}, Decimal(70))


@pytest.mark.parametrize(
    ("tested", "months", "until"),
    [
        (date(2026, 3, 10), 36, date(2029, 3, 9)),
        (date(2024, 2, 29), 36, date(2027, 2, 27)),  # 29 Feb → 28 Feb 2027, valid through the day before
        (date(2026, 1, 31), 1, date(2026, 2, 27)),
    ],
)
def test_validity(tested, months, until):
    assert valid_until(tested, months) == until


scores = st.decimals(min_value=0, max_value=100, places=2)


@given(v1=scores, v2=st.decimals(min_value=0, max_value=10, places=2), v3=scores)
def test_kompeten_iff_no_unit_to_retake(v1, v2, v3):
    """Kompeten exactly when no unit must be retaken; belum kompeten always names at least one unit."""
    outcome = evaluate(CRITERIA, {1: v1, 2: v2, 3: v3}, Decimal(70))
    assert outcome.kompeten == (outcome.units_to_retake == [])
