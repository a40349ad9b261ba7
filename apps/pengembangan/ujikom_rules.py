"""The competency-test rule (SPEC §11), pure so it can be tested as a table.

Definitions (docs/koperasi.md, "Uji kompetensi"):
- a criterion's contribution = nilai ÷ maksimum × bobot; the **weighted total** = Σ contributions ÷ Σ bobot
  × 100 (0–100), exact (fractions), compared with the pass mark without rounding;
- **kompeten** when the weighted total ≥ the pass mark and every criterion's nilai ≥ its minimum;
  otherwise **belum kompeten**;
- the **units to retake**: every unit with a criterion below its minimum, and, when the total is below the
  pass mark, every unit whose own weighted score (the same formula over its criteria) is below the pass
  mark. The total is the bobot-weighted mean of the unit scores, so a total below the pass mark always
  has at least one such unit.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any


@dataclass(frozen=True)
class CriterionDef:
    id: int
    unit_kode: str
    unit_judul: str
    nomor: int
    uraian: str
    maksimum: Decimal
    bobot: Decimal
    minimum: Decimal


@dataclass
class UnitLine:
    kode: str
    judul: str
    skor: Fraction
    di_bawah_minimum: list[int] = field(default_factory=list)
    ulang: bool = False
    alasan: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    total: Fraction
    nilai_lulus: Decimal
    kompeten: bool
    lines: list[dict[str, Any]]
    units: list[UnitLine]

    @property
    def units_to_retake(self) -> list[str]:
        return [u.kode for u in self.units if u.ulang]


def _frac(value: Decimal | int | str) -> Fraction:
    return Fraction(Decimal(value))


def decimal_text(value: Fraction, places: int = 2, edge: Decimal | None = None) -> str:
    """`value` with `places` decimals (half up), or more where rounding would cross `edge`."""
    for p in range(places, 9):
        q = Decimal(1).scaleb(-p)
        shown = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(q, rounding=ROUND_HALF_UP)
        if edge is None or (Fraction(shown) >= _frac(edge)) == (value >= _frac(edge)):
            return str(shown)
    return str(shown)


def evaluate(criteria: list[CriterionDef], nilai: dict[int, Decimal], nilai_lulus: Decimal) -> Outcome:
    """Decide kompeten / belum kompeten from a complete set of scores (criterion id → nilai)."""
    missing = [c.id for c in criteria if c.id not in nilai]
    if missing:
        raise ValueError(f"missing scores for criteria {missing}")
    total_bobot = sum((_frac(c.bobot) for c in criteria), Fraction(0))
    lines: list[dict[str, Any]] = []
    unit_sum: dict[str, Fraction] = {}
    unit_bobot: dict[str, Fraction] = {}
    units: dict[str, UnitLine] = {}
    contributions = Fraction(0)
    for c in criteria:
        v = _frac(nilai[c.id])
        contribution = v / _frac(c.maksimum) * _frac(c.bobot)
        contributions += contribution
        unit = units.setdefault(c.unit_kode, UnitLine(c.unit_kode, c.unit_judul, Fraction(0)))
        unit_sum[c.unit_kode] = unit_sum.get(c.unit_kode, Fraction(0)) + contribution
        unit_bobot[c.unit_kode] = unit_bobot.get(c.unit_kode, Fraction(0)) + _frac(c.bobot)
        meets = v >= _frac(c.minimum)
        if not meets:
            unit.di_bawah_minimum.append(c.nomor)
        lines.append(
            {
                "kriteria_id": c.id,
                "unit": c.unit_kode,
                "nomor": c.nomor,
                "uraian": c.uraian,
                "nilai": str(nilai[c.id]),
                "maksimum": str(c.maksimum),
                "minimum": str(c.minimum),
                "bobot": str(c.bobot),
                "kontribusi": decimal_text(contribution / total_bobot * 100, 4),
                "memenuhi_minimum": meets,
            }
        )
    total = contributions / total_bobot * 100
    passed = _frac(nilai_lulus)
    for kode, unit in units.items():
        unit.skor = unit_sum[kode] / unit_bobot[kode] * 100
        if unit.di_bawah_minimum:
            unit.ulang = True
            unit.alasan.append("minimum")
        if total < passed and unit.skor < passed:
            unit.ulang = True
            unit.alasan.append("nilai_unit")
    kompeten = total >= passed and not any(u.di_bawah_minimum for u in units.values())
    return Outcome(total=total, nilai_lulus=nilai_lulus, kompeten=kompeten, lines=lines, units=list(units.values()))


def add_months(start: date, months: int) -> date:
    """The same day `months` later (the month's last day when that day does not exist)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def valid_until(tanggal_uji: date, months: int) -> date:
    """A certificate is valid for `months` from the test date, through the day before the same date."""
    return add_months(tanggal_uji, months) - timedelta(days=1)


def plain(value: Decimal) -> str:
    """`100.00` → `100`, `7.50` → `7.5` (no exponent)."""
    return format(value.normalize(), "f")
