"""The set-based reads used on PostgreSQL (positions on a date, subsidy per loan-month from the stored
subsidy days) give exactly what walking each loan's timeline gives, on random portfolios with a rate
change, write-offs, refused and late payments."""

import random
from datetime import date, timedelta

import pytest
from django.conf import settings

from apps.pinjaman import selectors
from apps.pinjaman.models import BankRate, Loan, Scheme
from apps.pinjaman.rules import schedule
from apps.pinjaman.tests.factories import (
    ANGSURAN_HEADER,
    HAPUS_BUKU_HEADER,
    PINJAMAN_HEADER,
    import_file,
    loan_row,
    write_csv,
)

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql", reason="set-based reads"
    ),
    pytest.mark.django_db,
]


def _portfolio(tmp_path, seed):
    rng = random.Random(seed)
    loans, payments, write_offs = [], [], []
    for i in range(60):
        disbursed = date(2019, 1, 1) + timedelta(days=rng.randrange(0, 700))
        plafon = rng.choice([500_000, 1_000_000, 2_500_000, 2_345_600])
        tenor = rng.choice([12, 6, 1])
        account = f"S{i:03d}"
        loans.append(
            loan_row(
                account,
                i + 1,
                disbursed.isoformat(),
                plafon,
                jangka_waktu_bulan=tenor,
                skema="MAWAR-2019" if disbursed.year == 2019 else "MAWAR-2020",
            )
        )
        for k, due, amount in schedule(plafon, tenor, disbursed):
            if rng.random() < 0.2:
                continue
            paid = due + timedelta(days=rng.choice([-10, 0, 5, 60, 200]))
            value = rng.choice([amount, amount, amount // 2, amount * 2])
            payments.append(
                {
                    "nomor_rekening": account,
                    "nomor_transaksi": str(k),
                    "tanggal_bayar": paid.isoformat(),
                    "jumlah": value,
                }
            )
        if rng.random() < 0.15:
            write_offs.append(
                {
                    "nomor_rekening": account,
                    "tanggal_hapus_buku": (disbursed + timedelta(days=rng.randrange(60, 500))).isoformat(),
                }
            )
    import_file("pinjaman", write_csv(tmp_path / "p.csv", PINJAMAN_HEADER, loans))
    import_file("angsuran", write_csv(tmp_path / "a.csv", ANGSURAN_HEADER, payments))
    import_file("hapus_buku", write_csv(tmp_path / "h.csv", HAPUS_BUKU_HEADER, write_offs))


@pytest.mark.parametrize("seed", [3, 4])
def test_set_based_reads_equal_the_timeline_walk(tmp_path, seed, monkeypatch):
    BankRate.objects.create(
        scheme=Scheme.objects.get(code="MAWAR-2019"), effective_from=date(2019, 8, 17), annual_rate_percent="10.5"
    )
    _portfolio(tmp_path, seed)
    loans = Loan.objects.all()
    cases = [
        (date(2019, 1, 1), date(2019, 12, 31)),
        (date(2020, 1, 1), date(2020, 3, 9)),
        (date(2019, 8, 10), date(2019, 8, 25)),
        (date(2020, 2, 1), date(2021, 6, 30)),
    ]
    days = [date(2019, 6, 30), date(2020, 3, 9), date(2020, 12, 31), date(2021, 8, 1)]
    sql_sub = [selectors.loan_month_subsidies(loans, a, b) for a, b in cases]
    sql_pos = [sorted(selectors.positions_on(loans, d), key=lambda p: p.loan_id) for d in days]
    sql_kpi = selectors.pinjaman_kpi(regency_codes=["33.03"], year=2020, as_of=date(2020, 12, 31))
    monkeypatch.setattr(selectors, "_set_based", lambda: False)
    assert sql_sub == [selectors.loan_month_subsidies(loans, a, b) for a, b in cases]
    assert sql_pos == [sorted(selectors.positions_on(loans, d), key=lambda p: p.loan_id) for d in days]
    assert sql_kpi == selectors.pinjaman_kpi(regency_codes=["33.03"], year=2020, as_of=date(2020, 12, 31))
    assert any(sql_sub) and any(p.days_past_due > 180 for p in sql_pos[2])
