"""Date rules of cooperative supervision: the three-year RAT window and the legal deadlines of a
government dissolution (UU 25/1992 art. 47, PP 17/1994). Pure functions."""

import calendar
from dataclasses import dataclass
from datetime import date


def add_months(d: date, months: int) -> date:
    """The same day `months` later (or earlier); a day the target month lacks becomes its last day
    (31 December + 2 months = 28/29 February), as deadlines in months are counted in Indonesian law."""
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def years_before(d: date, years: int) -> date:
    """The same calendar day `years` earlier; 29 February becomes 28 February in a common year."""
    return add_months(d, -12 * years)


def rat_window(as_of: date) -> tuple[date, date]:
    """A cooperative is active on D when it held a RAT dated in [D − 3 years, D], both ends included."""
    return years_before(as_of, 3), as_of


@dataclass(frozen=True)
class ProsesDates:
    tanggal_diterima: date
    tanggal_keberatan: date | None = None
    tanggal_keputusan_keberatan: date | None = None
    keberatan_diterima: bool | None = None
    tanggal_keputusan_pembubaran: date | None = None
    tanggal_dihapus: date | None = None


def batas_keberatan(d: ProsesDates) -> date:
    """The cooperative may object within 2 months of receiving the written notice."""
    return add_months(d.tanggal_diterima, 2)


def batas_keputusan_keberatan(d: ProsesDates) -> date | None:
    """The department decides on an objection within 1 month of receiving it."""
    return add_months(d.tanggal_keberatan, 1) if d.tanggal_keberatan else None


def batas_keputusan_pembubaran(d: ProsesDates) -> date:
    """The dissolution decision comes no later than 4 months after the notice was received."""
    return add_months(d.tanggal_diterima, 4)


@dataclass(frozen=True)
class NextStep:
    langkah: str  # a LangkahJenis value, or "" when the procedure is over
    batas: date | None  # due date (None: no legal deadline)
    terlambat: bool
    menunggu_koperasi: bool  # the objection window is still open: nothing is due from the department


def next_step(d: ProsesDates, today: date) -> NextStep:
    """What the department must do next, its due date and whether it is overdue on `today`."""
    if d.tanggal_dihapus is not None or d.keberatan_diterima is True:
        return NextStep("", None, False, False)
    if d.tanggal_keputusan_pembubaran is not None:
        # Striking from the register follows the decision; the law sets no separate deadline.
        return NextStep("penghapusan", d.tanggal_keputusan_pembubaran, False, False)
    if d.tanggal_keberatan is not None and d.tanggal_keputusan_keberatan is None:
        due = batas_keputusan_keberatan(d)
        assert due is not None
        return NextStep("keputusan_keberatan", due, today > due, False)
    due = batas_keputusan_pembubaran(d)
    waiting = d.tanggal_keberatan is None and today <= batas_keberatan(d)
    return NextStep("keputusan_pembubaran", due, today > due, waiting)
