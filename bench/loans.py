"""Province-scale benchmark of Kredit Mawar (issue #11, SPEC §9).

    python bench/loans.py                 # 100,000 loans × 12 instalments, ~0.95M repayments, 35 regencies
    python bench/loans.py --loans 20000   # quicker

Generates on PostgreSQL (database `tt_loans_bench` by default) a province over three programme years:
one partner bank per regency of Central Java with schemes 2019–2021 at 12% a year, loans spread over the
regencies and years, each with its 12 instalments (SQL, `INSERT … SELECT generate_series`) and repayments
of every kind (on time, 20 days late, half instalments, stopping after four, early in two payments), and
some write-offs. The derived rows (repayment outcomes, subsidy days) are then computed by the application's
own `loans_recompute`, as every import does. Then it times, in the same run:

  - `kpi_report --regency 33 --year 2020 --as-of 2020-12-31` (the province, in-process) and the
    Kredit Mawar figures alone (`pinjaman_kpi`);
  - one bank's monthly subsidy claim (`claim_create` for 33.03's bank, June 2020, rolled back);
  - a hand-written SQL baseline computing the same figures and the same claim lines,

checks that the two agree to the rupiah, and prints the times (median of --repeat runs). Target: each
≤ 2 s. The data stays; a second run with the same --loans reuses it (`--regenerate` forces a new set).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEAR, AS_OF = 2020, date(2020, 12, 31)
CLAIM_REGENCY, CLAIM_YEAR, CLAIM_MONTH = "33.03", 2020, 6


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--loans", type=int, default=100_000)
    p.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/tt_loans_bench")
    p.add_argument("--regenerate", action="store_true")
    p.add_argument("--repeat", type=int, default=3)
    return p.parse_args()


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tukatuku.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def timed(label: str, cursor, sql: str, params=()) -> None:
    t = time.perf_counter()
    cursor.execute(sql, params)
    print(f"  {label:<40} {time.perf_counter() - t:7.1f} s", flush=True)


def generate(n_loans: int, force: bool) -> None:
    from django.db import connection

    from apps.pinjaman.models import Loan
    from apps.pinjaman.services import loans_recompute

    with connection.cursor() as c:
        c.execute("CREATE TABLE IF NOT EXISTS bench_loans_meta (loans integer NOT NULL, done boolean NOT NULL)")
        c.execute("SELECT loans FROM bench_loans_meta WHERE done")
        row = c.fetchone()
        if row and row[0] == n_loans and not force:
            print(f"data: {n_loans:,} loans already generated")
            return
        print(f"generating {n_loans:,} loans")
        c.execute("SET synchronous_commit = off")
        c.execute("SET work_mem = '256MB'")
        timed(
            "truncate",
            c,
            """TRUNCATE pinjaman_claimline, pinjaman_subsidyclaim, pinjaman_subsidysegment, pinjaman_repayment,
                        pinjaman_instalment, pinjaman_borrowernotice, pinjaman_application,
                        pinjaman_recommendationbatch, pinjaman_restructuring, pinjaman_loan RESTART IDENTITY CASCADE""",
        )
        c.execute("DELETE FROM bench_loans_meta")
        bench_schemes = "SELECT id FROM pinjaman_scheme WHERE code LIKE 'B-%%'"
        c.execute(f"DELETE FROM pinjaman_bankrate WHERE scheme_id IN ({bench_schemes})")
        c.execute(f"DELETE FROM pinjaman_eligibilitycheck WHERE scheme_id IN ({bench_schemes})")
        c.execute("DELETE FROM pinjaman_scheme WHERE code LIKE 'B-%%'")
        c.execute("DELETE FROM pinjaman_bank WHERE code LIKE 'b-%%'")
        timed(
            "banks and schemes (35 regencies × 3 years)",
            c,
            """WITH r AS (SELECT code, row_number() OVER (ORDER BY code) AS n FROM regions_region
                          WHERE level = 2 AND code LIKE '33.%%')
               INSERT INTO pinjaman_bank (code, name, regency_id, collectibility_table_id, address)
               SELECT 'b-' || replace(code, '.', '-'), 'BPR ' || code, code,
                      (SELECT id FROM pinjaman_collectibilitytable ORDER BY id LIMIT 1), '' FROM r""",
        )
        c.execute(
            """INSERT INTO pinjaman_scheme (code, name, bank_id, regency_id, year, target_group, first_loan_floor,
                      first_loan_ceiling, repeat_loan_ceiling, repeat_requires_closed, repeat_max_days_late,
                      tenor_months, borrower_rate_percent, provision_percent, rounding_unit, arrears_tolerance,
                      subsidy_stops_after_last_due, subsidy_excludes_macet, accepts_applications, notes)
               SELECT 'B-' || b.regency_id || '-' || y, 'Bench', b.id, b.regency_id, y, 'umkm', 500000, 2500000,
                      15000000, true, 30, 12, 0, 6, 1000, 0, true, true, false, ''
               FROM pinjaman_bank b, generate_series(2019, 2021) AS y WHERE b.code LIKE 'b-%%'"""
        )
        c.execute(
            """INSERT INTO pinjaman_bankrate (scheme_id, effective_from, annual_rate_percent)
               SELECT id, make_date(year, 1, 1), 12 FROM pinjaman_scheme WHERE code LIKE 'B-%%'"""
        )
        timed(
            "loans",
            c,
            """WITH s AS (SELECT id, regency_id, year, row_number() OVER (ORDER BY regency_id, year) - 1 AS n
                          FROM pinjaman_scheme WHERE code LIKE 'B-%%'),
                    g AS (SELECT i, (SELECT count(*) FROM s) AS k FROM generate_series(1, %s) AS i)
               INSERT INTO pinjaman_loan (id, nik_ciphertext, nik_hash, nik_masked, account_number, scheme_id,
                      regency_id, district_id, village_id, region_code_text, debtor_name, gender, nib, business_name,
                      owner_id, business_id, disbursed_on, plafon, tenor_months, written_off_on, status, flags, source,
                      created_at, updated_at)
               SELECT g.i, 'bench', md5((g.i %% (%s * 9 / 10))::text), '3303**********00', 'B' || g.i, s.id,
                      s.regency_id, NULL, NULL, '', 'Debitur ' || g.i, 'P', '', '', NULL, NULL,
                      make_date(s.year, 1, 1) + ((g.i * 7) %% 360), 500000 + (g.i %% 21) * 100000, 12,
                      CASE WHEN g.i %% 50 = 8 THEN make_date(s.year, 1, 1) + ((g.i * 7) %% 360) + 300 END,
                      'aktif', '[]'::jsonb, 'impor', now(), now()
               FROM g JOIN s ON s.n = g.i %% g.k""",
            [n_loans, n_loans],
        )
        c.execute("SELECT setval(pg_get_serial_sequence('pinjaman_loan', 'id'), %s)", [n_loans])
        timed(
            "instalments (12 per loan)",
            c,
            """INSERT INTO pinjaman_instalment (loan_id, number, due_on, principal, cumulative)
               SELECT l.id, k, (l.disbursed_on + make_interval(months => k))::date,
                      CASE WHEN k < 12 THEN l.plafon / 12 / 1000 * 1000
                           ELSE l.plafon - 11 * (l.plafon / 12 / 1000 * 1000) END,
                      CASE WHEN k < 12 THEN k * (l.plafon / 12 / 1000 * 1000) ELSE l.plafon END
               FROM pinjaman_loan l, generate_series(1, 12) AS k""",
        )
        timed(
            "repayments of every kind",
            c,
            """INSERT INTO pinjaman_repayment (loan_id, transaction_number, paid_on, amount, status, created_at)
               SELECT i.loan_id, i.number::text,
                      CASE WHEN i.loan_id %% 10 = 6 THEN i.due_on + 20 ELSE i.due_on END,
                      CASE WHEN i.loan_id %% 10 = 7 THEN i.principal / 2 ELSE i.principal END,
                      'diterapkan', now()
               FROM pinjaman_instalment i
               WHERE i.loan_id %% 10 IN (0, 1, 2, 3, 4, 5, 6, 7) OR (i.loan_id %% 10 = 8 AND i.number <= 4)
               UNION ALL
               SELECT l.id, p::text, l.disbursed_on + 15 * p,
                      CASE WHEN p = 1 THEN l.plafon / 2 ELSE l.plafon - l.plafon / 2 END, 'diterapkan', now()
               FROM pinjaman_loan l, generate_series(1, 2) AS p WHERE l.id %% 10 = 9""",
        )
        c.execute("ANALYZE")
    ids = list(Loan.objects.order_by("pk").values_list("pk", flat=True))
    t = time.perf_counter()
    for start in range(0, len(ids), 2000):
        loans_recompute(loan_ids=ids[start : start + 2000])
        done = min(start + 2000, len(ids))
        print(f"\r  derived rows (loans_recompute)           {done:>9,} / {len(ids):,}", end="", flush=True)
    print(f"\r  derived rows (loans_recompute)           {time.perf_counter() - t:7.1f} s" + " " * 12)
    with connection.cursor() as c:
        c.execute("ANALYZE")
        c.execute("INSERT INTO bench_loans_meta (loans, done) VALUES (%s, true)", [n_loans])


BASELINE_KPI = """
WITH l AS (SELECT * FROM pinjaman_loan WHERE regency_id LIKE '33.%%' AND disbursed_on <= %(d)s),
paid AS (SELECT loan_id, SUM(amount) s FROM pinjaman_repayment WHERE status = 'diterapkan' AND paid_on <= %(d)s
         GROUP BY loan_id),
pos AS (SELECT l.id, CASE WHEN l.written_off_on <= %(d)s THEN 0 ELSE l.plafon - COALESCE(paid.s, 0) END baki,
               COALESCE(paid.s, 0) repaid FROM l LEFT JOIN paid ON paid.loan_id = l.id),
od AS (SELECT i.loan_id, MIN(i.due_on) due FROM pinjaman_instalment i JOIN pos ON pos.id = i.loan_id
       WHERE pos.baki > 0 AND i.cumulative > pos.repaid AND i.due_on < %(d)s GROUP BY i.loan_id),
kol AS (SELECT pos.baki, CASE WHEN od.due IS NULL THEN 1 WHEN %(d)s - od.due <= 90 THEN 2
                              WHEN %(d)s - od.due <= 120 THEN 3 WHEN %(d)s - od.due <= 180 THEN 4 ELSE 5 END k
        FROM pos LEFT JOIN od ON od.loan_id = pos.id WHERE pos.baki > 0),
m AS (SELECT gs::date AS a, (gs + interval '1 month' - interval '1 day')::date AS b
      FROM generate_series(%(y0)s::date, date_trunc('month', %(d)s::date), interval '1 month') gs),
sub AS (SELECT s.loan_id, m.a, SUM(s.baki::numeric * 120000
                                   * (LEAST(s.end_on, m.b, %(d)s) - GREATEST(s.start_on, m.a, %(y0)s) + 1)) num
        FROM pinjaman_subsidysegment s JOIN l ON l.id = s.loan_id JOIN m ON s.start_on <= m.b AND s.end_on >= m.a
        WHERE s.end_on >= %(y0)s AND s.start_on <= %(d)s GROUP BY 1, 2)
SELECT (SELECT count(DISTINCT nik_hash) FROM l WHERE disbursed_on >= %(y0)s),
       (SELECT COALESCE(SUM(plafon), 0) FROM l WHERE disbursed_on >= %(y0)s),
       (SELECT COALESCE(SUM(baki), 0) FROM kol),
       (SELECT array_agg(v ORDER BY k) FROM (SELECT k, SUM(baki) v FROM kol GROUP BY k) x),
       (SELECT COALESCE(SUM(div(2 * num + 360000000, 720000000)), 0) FROM sub)
"""

BASELINE_CLAIM = """
SELECT s.loan_id, SUM(s.baki::numeric * 120000 * (LEAST(s.end_on, %(e)s) - GREATEST(s.start_on, %(b)s) + 1))
FROM pinjaman_subsidysegment s JOIN pinjaman_loan l ON l.id = s.loan_id JOIN pinjaman_scheme sc ON sc.id = l.scheme_id
WHERE sc.bank_id = %(bank)s AND s.end_on >= %(b)s AND s.start_on <= %(e)s
GROUP BY s.loan_id
"""


def median_time(fn, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> None:
    args = parse_args()
    ensure_database(args.database_url)
    setup_django(args.database_url)
    from django.core.management import call_command
    from django.db import connection, transaction

    from apps.pinjaman.models import Bank
    from apps.pinjaman.selectors import pinjaman_kpi
    from apps.pinjaman.services import claim_create
    from apps.regions.selectors import regency_codes_under

    generate(args.loans, args.regenerate)
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM pinjaman_loan")
        n = c.fetchone()[0]
        c.execute("SELECT count(*) FROM pinjaman_instalment")
        n_inst = c.fetchone()[0]
        c.execute("SELECT count(*) FROM pinjaman_repayment")
        n_rep = c.fetchone()[0]
        c.execute("SELECT count(*) FROM pinjaman_subsidysegment")
        n_seg = c.fetchone()[0]
    print(f"data: {n:,} loans, {n_inst:,} instalments, {n_rep:,} repayments, {n_seg:,} subsidy runs")
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1/5/15 min)")

    def kpi_command():
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "kpi.json"
            call_command("kpi_report", "--regency", "33", "--year", str(YEAR), "--as-of", AS_OF.isoformat(),
                         "--output", str(out))  # fmt: skip
            import json

            return json.loads(out.read_text())

    codes = sorted(regency_codes_under({"33"}))
    t_cmd, figures = median_time(kpi_command, args.repeat)
    t_kpi, kpi = median_time(lambda: pinjaman_kpi(regency_codes=codes, year=YEAR, as_of=AS_OF), args.repeat)

    def baseline_kpi():
        with connection.cursor() as c:
            c.execute(BASELINE_KPI, {"d": AS_OF, "y0": date(YEAR, 1, 1)})
            return c.fetchone()

    t_base, base = median_time(baseline_kpi, args.repeat)
    by_kol = [kpi["kredit_mawar_kolektibilitas"][str(k)] for k in range(1, 6)]
    expected = (
        kpi["kredit_mawar_debitur_tahun"],
        kpi["kredit_mawar_pencairan_tahun"],
        kpi["kredit_mawar_baki_debet"],
        [v for v in by_kol if v],
        kpi["kredit_mawar_subsidi_bunga_tahun"],
    )
    got = (base[0], int(base[1]), int(base[2]), [int(v) for v in base[3] if v], int(base[4]))
    agree = expected == got and all(figures[k] == kpi[k] for k in kpi)

    bank = Bank.objects.get(code="b-" + CLAIM_REGENCY.replace(".", "-"))
    from apps.accounts.models import User

    operator, _created = User.objects.get_or_create(username="bench-operator", defaults={"role": "operator"})

    def claim():
        with transaction.atomic():
            made = claim_create(bank=bank, year=CLAIM_YEAR, month=CLAIM_MONTH, actor=operator)
            result = (made.lines.count(), made.total)
            transaction.set_rollback(True)
        return result

    import calendar

    last = date(CLAIM_YEAR, CLAIM_MONTH, calendar.monthrange(CLAIM_YEAR, CLAIM_MONTH)[1])

    def baseline_claim():
        with connection.cursor() as c:
            c.execute(BASELINE_CLAIM, {"b": date(CLAIM_YEAR, CLAIM_MONTH, 1), "e": last, "bank": bank.pk})
            rows = [(loan, (2 * num + 360_000_000) // 720_000_000) for loan, num in c.fetchall()]
        return len([r for r in rows if r[1]]), sum(v for _l, v in rows)

    t_claim, claimed = median_time(claim, args.repeat)
    t_claim_base, claimed_base = median_time(baseline_claim, args.repeat)
    agree = agree and claimed == claimed_base

    print(f"Kredit Mawar figures: {kpi}")
    print(f"claim {CLAIM_REGENCY} {CLAIM_MONTH}/{CLAIM_YEAR}: {claimed[0]:,} lines, Rp{claimed[1]:,}")
    print(f"{'measurement':<52}{'app':>9}{'baseline':>10}")
    print(f"{'kpi_report --regency 33 (whole command, in-process)':<52}{t_cmd:9.2f}")
    print(f"{'kredit_mawar_* figures of the province':<52}{t_kpi:9.2f}{t_base:10.2f}")
    print(f"{'monthly claim of one bank (lines written, rolled back)':<52}{t_claim:9.2f}{t_claim_base:10.2f}")
    print("figures agree with the baseline" if agree else "DISAGREE with the baseline")
    sys.exit(0 if agree else 1)


if __name__ == "__main__":
    main()
