"""A separate, deliberately plain calculation of the `kredit_mawar_*` figures, read straight from the
SPEC §9 text and written without `apps.pinjaman.rules`: day by day, instalment by instalment, from the
rows of the bank's files. Tests compare the system against it."""

import calendar
import re
from datetime import date, timedelta
from fractions import Fraction


def _due(disbursed, k):
    month0 = disbursed.month - 1 + k
    year = disbursed.year + month0 // 12
    month = month0 % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, disbursed.day if disbursed.day <= last else last)


def _natural(number):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", number.upper()) if p]


class RefLoan:
    def __init__(self, plafon, disbursed, tenor, payments, written_off):
        self.plafon = plafon
        self.disbursed = disbursed
        base = (plafon // tenor) // 1000 * 1000
        self.instalments = [(_due(disbursed, k), base) for k in range(1, tenor)]
        self.instalments.append((_due(disbursed, tenor), plafon - base * (tenor - 1)))
        self.written_off = written_off
        # (date, amount) of the repayments that reduce the principal
        self.principal_payments = []
        total = 0
        ordered = sorted(payments, key=lambda p: (p[0], _natural(p[1])))
        for paid_on, _number, amount in ordered:
            if total + amount > plafon:
                continue  # refused whole
            total += amount
            if written_off is not None and paid_on >= written_off:
                continue  # recovery
            self.principal_payments.append((paid_on, amount))

    def repaid(self, day):
        return sum(a for d, a in self.principal_payments if d <= day)

    def baki(self, day):
        if day < self.disbursed:
            return 0
        if self.written_off is not None and day >= self.written_off:
            return 0
        return self.plafon - self.repaid(day)

    def dpd(self, day):
        left = self.repaid(day)
        for due, amount in self.instalments:
            paid = min(amount, left)
            left -= paid
            if paid < amount:
                return (day - due).days if due <= day else 0
        return 0

    def kol(self, day):
        d = self.dpd(day)
        if d == 0:
            return 1
        if d <= 90:
            return 2
        if d <= 120:
            return 3
        if d <= 180:
            return 4
        return 5

    def subsidy(self, start, end, rate):
        months = {}
        day = start
        last_due = self.instalments[-1][0]
        while day <= end:
            if self.disbursed <= day <= last_due and self.kol(day) != 5:
                key = (day.year, day.month)
                months[key] = months.get(key, Fraction(0)) + rate * self.baki(day) / 360
            day += timedelta(days=1)
        total = 0
        for value in months.values():
            whole = int(value)
            total += whole + (1 if value - whole >= Fraction(1, 2) else 0)
        return total


def reference_figures(loans, payments, write_offs, year, as_of, rate=Fraction(12, 100)):
    """`loans`: dicts with nik, tanggal_pencairan (date), plafon, jangka_waktu_bulan and nomor_rekening;
    `payments`: (account, number, date, amount), the last row of a (account, number) pair winning;
    `write_offs`: account → date."""
    by_key = {}
    for account, number, paid_on, amount in payments:
        by_key[(account, number)] = (paid_on, number, amount)
    figures = {
        "kredit_mawar_debitur_tahun": 0,
        "kredit_mawar_pencairan_tahun": 0,
        "kredit_mawar_baki_debet": 0,
        "kredit_mawar_kolektibilitas": {str(k): 0 for k in range(1, 6)},
        "kredit_mawar_subsidi_bunga_tahun": 0,
    }
    debtors = set()
    start, end = date(year, 1, 1), min(date(year, 12, 31), as_of)
    for row in loans:
        disbursed = row["tanggal_pencairan"]
        if disbursed > as_of:
            continue
        if start <= disbursed <= end:
            debtors.add(row["nik"])
            figures["kredit_mawar_pencairan_tahun"] += row["plafon"]
        loan = RefLoan(
            row["plafon"],
            disbursed,
            row["jangka_waktu_bulan"],
            [v for (a, _n), v in by_key.items() if a == row["nomor_rekening"]],
            write_offs.get(row["nomor_rekening"]),
        )
        baki = loan.baki(as_of)
        figures["kredit_mawar_baki_debet"] += baki
        if baki:
            figures["kredit_mawar_kolektibilitas"][str(loan.kol(as_of))] += baki
        figures["kredit_mawar_subsidi_bunga_tahun"] += loan.subsidy(start, end, rate)
    figures["kredit_mawar_debitur_tahun"] = len(debtors)
    return figures
