"""Province-scale benchmark of the leadership report (issue #7, SPEC §7).

    python bench/report.py --scale 0.05            # quick: 200k businesses, 400k yearly records, 100k omzet lines
    python bench/report.py --scale 1               # 35 regencies, 4M businesses, 8M yearly records, 2M omzet lines

Generates the data on PostgreSQL straight into the real tables of the domain models (INSERT … SELECT
generate_series, no Python loop), then times, in the same run:
  - the regency report (33.03) and the province report (33) as the page computes them:
    `apps.reports.composer.build_report` (each domain's `report.py`: figures and breakdowns);
  - a hand-written SQL baseline computing the same figures;
and prints the times and the ratio. Targets: regency ≤ 2 s, province ≤ 10 s, for the report as it is after
every import (each import recomputes the roll-ups it made stale: "warm"). For information: the first
report after an operator's edit (one regency's roll-up recomputed within the report), what the roll-up
follow-up adds to an import into one regency and into the whole province, and a province report with no
roll-ups at all (which the page prepares in a background job with a progress bar).

The data stays in the database (default `tt_reports_bench`); a second run with the same scale reuses it
(`--regenerate` forces a new one).
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FULL = {"businesses": 4_000_000, "years_per_business": 2, "omzet_lines": 2_000_000, "koperasi": 8_400}
YEAR, AS_OF = 2019, date(2020, 3, 9)
SECTORS = ["Kuliner", "Kerajinan", "Fesyen", "Pertanian", "Perdagangan", "Jasa", "Perikanan", "Peternakan"]


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scale", type=float, default=0.05)
    # no `?options=`: the project's settings then turn JIT off and set an SSD's random_page_cost
    p.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/tt_reports_bench")
    p.add_argument("--regenerate", action="store_true")
    p.add_argument("--repeat", type=int, default=3, help="timed runs of each measurement (the median is shown)")
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


def table_exists(cursor, name: str) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
    return bool(cursor.fetchone()[0])


def generated_scale(cursor) -> float | None:
    cursor.execute(
        "CREATE TABLE IF NOT EXISTS bench_report_meta (scale double precision NOT NULL, done boolean NOT NULL)"
    )
    cursor.execute("SELECT scale FROM bench_report_meta WHERE done")
    row = cursor.fetchone()
    return row[0] if row else None


def step(label: str, cursor, sql: str, params=None, table: str = "") -> None:
    """Run one generation statement (autocommit: an interrupted run resumes at the first empty table)."""
    if table:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")
        if cursor.fetchone()[0]:
            print(f"  {label:<44} (already there)", flush=True)
            return
    t = time.perf_counter()
    cursor.execute(sql, params)
    print(f"  {label:<44} {time.perf_counter() - t:7.1f} s", flush=True)


def generate(scale: float, force: bool = False) -> None:
    """Fill the domain tables with a province: every regency of Central Java (33), businesses spread over
    its villages, two yearly records each, sellers, channels, an omzet ledger and cooperatives."""
    from django.db import connection

    n_business = int(FULL["businesses"] * scale)
    n_lines = int(FULL["omzet_lines"] * scale)
    n_sellers = max(100, n_business // 200)
    n_koperasi = max(350, int(FULL["koperasi"] * scale))
    print(f"generating: {n_business:,} businesses, {2 * n_business:,} yearly records, {n_lines:,} omzet lines")
    with connection.cursor() as c:
        c.execute("SET synchronous_commit = off")
        c.execute("SET work_mem = '256MB'")
        c.execute("SET maintenance_work_mem = '512MB'")
        tables = ["omzet_omzetline", "omzet_channel", "store_seller"]
        tables += ["umkm_businessyear", "umkm_business", "umkm_owner"]
        # derived from the tables above: a new data set starts without them
        derived = ["reports_umkmrollup", "umkm_registryrevision"]
        if table_exists(c, "koperasi_koperasi"):
            tables.insert(0, "koperasi_koperasi")
        c.execute("SELECT scale FROM bench_report_meta")
        row = c.fetchone()
        if row is None or row[0] != scale or force:
            # A new scale starts over; the same scale resumes after the last finished step.
            step("truncate", c, f"TRUNCATE {', '.join(tables + derived)} RESTART IDENTITY CASCADE")
            c.execute("DELETE FROM bench_report_meta")
            c.execute("INSERT INTO bench_report_meta (scale, done) VALUES (%s, false)", [scale])
        step(
            "villages of Central Java",
            c,
            """CREATE TEMP TABLE IF NOT EXISTS bench_village AS
               SELECT (row_number() OVER (ORDER BY code))::int - 1 AS i, code, parent_id AS district,
                      substr(code, 1, 5) AS regency
               FROM regions_region WHERE level = 4 AND code LIKE '33.%%'""",
        )
        c.execute("SELECT count(*) FROM bench_village")
        n_village = c.fetchone()[0]
        step(
            "owners",
            c,
            """INSERT INTO umkm_owner (id, nik_ciphertext, nik_hash, nik_masked, name, gender, phone,
                      created_at, updated_at)
               SELECT i, 'bench', md5(i::text), '3303**********' || lpad((i %% 100)::text, 2, '0'),
                      'Pemilik ' || i, CASE WHEN i %% 5 < 2 THEN 'L' ELSE 'P' END, '', now(), now()
               FROM generate_series(1, %s) AS i""",
            [n_business],
            table="umkm_owner",
        )
        step(
            "businesses",
            c,
            """INSERT INTO umkm_business (id, owner_id, name, name_normalized, nib, kbli, sector, regency_id,
                      district_id, village_id, address, founded_year, status, created_at, updated_at)
               SELECT g.n, g.n, 'Usaha ' || g.n, 'usaha ' || g.n, '', '', (%s::text[])[1 + (g.n * 7) %% 8],
                      v.regency, v.district, v.code, '', 2000 + g.n %% 20,
                      CASE WHEN g.n %% 50 = 0 THEN 'tutup' ELSE 'aktif' END, now(), now()
               FROM generate_series(1, %s) AS g(n) JOIN bench_village v ON v.i = (g.n::bigint * 7919) %% %s""",
            [SECTORS, n_business, n_village],
            table="umkm_business",
        )
        # Two consecutive data years per business: 3 in 4 report 2018 and 2019, the rest 2019 and 2020.
        # Classes: mostly mikro; about 1 in 40 moves up from mikro to kecil in the second year.
        step(
            "yearly records",
            c,
            """INSERT INTO umkm_businessyear (business_id, year, modal_usaha, omzet_tahunan, tenaga_kerja, kelas,
                      kelas_rank, rule_set, row_hash, updated_at)
               SELECT b, y, 10000000, 100000000, 2, k, CASE k WHEN 'mikro' THEN 0 WHEN 'kecil' THEN 1
                      WHEN 'menengah' THEN 2 ELSE 3 END, 'UU 20/2008', NULL, now()
               FROM (
                 SELECT b, y,
                   CASE WHEN b %% 97 = 0 THEN 'menengah' WHEN b %% 11 = 0 THEN 'kecil'
                        WHEN b %% 40 = 1 AND y = first_year + 1 THEN 'kecil' ELSE 'mikro' END AS k
                 FROM (SELECT b, CASE WHEN b %% 4 = 3 THEN 2019 ELSE 2018 END AS first_year
                       FROM generate_series(1, %s) AS b) s,
                 LATERAL (VALUES (first_year), (first_year + 1)) AS yy(y)
               ) t""",
            [n_business],
            table="umkm_businessyear",
        )
        step(
            "sellers",
            c,
            """INSERT INTO store_seller (id, business_id, shop_name, slug, description, regency_id, district_id,
                      village_id, status, status_note, created_at, updated_at)
               SELECT s, b.id, 'Toko ' || b.id, 'toko-' || b.id, '', b.regency_id, b.district_id, b.village_id,
                      'terverifikasi', '', now(), now()
               FROM generate_series(1, %s) AS s JOIN umkm_business b ON b.id = s * 200 - 199""",
            [n_sellers],
            table="store_seller",
        )
        step(
            "channels",
            c,
            """INSERT INTO omzet_channel (regency_id, code, name, kind, is_active)
               SELECT r.code, ch.code, ch.name, ch.kind, true
               FROM regions_region r,
                    (VALUES ('web', 'Toko daring Tuka-Tuku', 'web'), ('showroom', 'Showroom', 'offline'),
                            ('opd', 'Pembelian OPD', 'opd'), ('shopee', 'Shopee', 'marketplace'),
                            ('tokopedia', 'Tokopedia', 'marketplace'), ('bukalapak', 'Bukalapak', 'marketplace'))
                      AS ch(code, name, kind)
               WHERE r.level = 2 AND r.parent_id = '33'""",
            table="omzet_channel",
        )
        c.execute(
            """CREATE TEMP TABLE IF NOT EXISTS bench_channel AS
               SELECT regency_id, array_agg(id ORDER BY code) AS ids FROM omzet_channel GROUP BY regency_id"""
        )
        # Lines from 2017 to mid-2020, every seller selling on every channel of its regency.
        step(
            "omzet lines",
            c,
            """INSERT INTO omzet_omzetline (regency_id, district_id, seller_id, product_id, variant_id, product_name,
                      channel_id, source_key, counted_at, quantity, amount, reverses_id, created_at, updated_at)
               SELECT s.regency_id, s.district_id, s.id, NULL, NULL, 'Produk ' || (j %% 50), ch.ids[1 + j %% 6],
                      'bench:' || j,
                      timestamptz '2017-01-01 00:00+07' + ((j::bigint * 7919) %% 110000000) * interval '1 second',
                      1 + j %% 3, 10000 + ((j * 37) %% 500) * 1000, NULL, now(), now()
               FROM generate_series(1, %s) AS j
               JOIN store_seller s ON s.id = 1 + (j * 31) %% %s
               JOIN bench_channel ch ON ch.regency_id = s.regency_id""",
            [n_lines, n_sellers],
            table="omzet_omzetline",
        )
        if "koperasi_koperasi" in tables:
            generate_koperasi(c, n_koperasi)
        for t in tables:
            step(f"vacuum analyze {t}", c, f"VACUUM ANALYZE {t}")  # as autovacuum would, later
        c.execute("UPDATE bench_report_meta SET done = true")


def generate_koperasi(c, n: int) -> None:
    """Cooperatives with three years of RAT reports (some skipped), a few dissolved, and assessments."""
    step(
        "cooperatives",
        c,
        """INSERT INTO koperasi_koperasi (id, nomor_badan_hukum, nama, jenis, unit_simpan_pinjam,
                  tanggal_badan_hukum, regency_id, district_id, village_id, alamat, tanggal_pembubaran,
                  created_at, updated_at)
           SELECT k, 'BH-' || k, 'Koperasi ' || k,
                  (ARRAY['KSP','KSU','produsen','konsumen','jasa','pemasaran'])[1 + k %% 6],
                  false, date '1990-01-01' + (k %% 9000), v.regency, v.district, v.code, '',
                  CASE WHEN k %% 30 = 0 THEN date '2016-01-01' + (k %% 1400) END, now(), now()
           FROM generate_series(1, %s) AS g(k)
           JOIN bench_village v ON v.i = (g.k * 104729) %% (SELECT count(*) FROM bench_village)""",
        [n],
        table="koperasi_koperasi",
    )
    step(
        "cooperative annual reports",
        c,
        """INSERT INTO koperasi_laporantahunan (koperasi_id, tahun_buku, tanggal_rat, kuesioner_manajemen, status,
                  sumber, catatan_review, created_at, updated_at)
           SELECT k, y, CASE WHEN k %% 4 = 0 THEN NULL ELSE make_date(y + 1, 3, 1 + k %% 28) END, '{}'::jsonb,
                  'diterima', 'impor', '', now(), now()
           FROM generate_series(1, %s) AS k, generate_series(2016, 2019) AS y""",
        [n],
        table="koperasi_laporantahunan",
    )


def median_time(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def page_figures(region: str) -> dict:
    from apps.reports.composer import build_report

    report = build_report(region=region, year=YEAR, as_of=AS_OF)
    return {"figures": report.figures, "breakdowns": report.breakdowns}


HAND_SQL = {
    "umkm_per_kelas": """
        SELECT kelas, count(*) FROM (
          SELECT DISTINCT ON (y.business_id) y.business_id, y.kelas
          FROM umkm_businessyear y JOIN umkm_business b ON b.id = y.business_id
          WHERE b.regency_id = ANY(%(codes)s) AND b.status <> 'tutup' AND y.year <= %(year)s
          ORDER BY y.business_id, y.year DESC) t
        GROUP BY kelas""",
    "naik_kelas": """
        SELECT p.kelas, c.kelas, count(*)
        FROM umkm_businessyear c
        JOIN umkm_businessyear p ON p.business_id = c.business_id AND p.year = c.year - 1
        JOIN umkm_business b ON b.id = c.business_id
        WHERE c.year = %(year)s AND b.regency_id = ANY(%(codes)s) AND c.kelas_rank > p.kelas_rank
        GROUP BY 1, 2""",
    "umkm_breakdowns": """
        SELECT b.{area}, b.sector, o.gender, count(*)
        FROM umkm_business b JOIN umkm_owner o ON o.id = b.owner_id
        WHERE b.regency_id = ANY(%(codes)s) AND b.status <> 'tutup'
          AND EXISTS (SELECT 1 FROM umkm_businessyear y WHERE y.business_id = b.id AND y.year <= %(year)s)
        GROUP BY 1, 2, 3""",
    "omzet": """
        SELECT l.channel_id, l.{area}, b.sector,
               CASE WHEN l.counted_at >= %(y0)s THEN extract(month FROM l.counted_at AT TIME ZONE 'Asia/Jakarta') END,
               sum(l.amount), sum(l.amount) FILTER (WHERE l.counted_at >= %(y0)s)
        FROM omzet_omzetline l
        LEFT JOIN store_seller s ON s.id = l.seller_id LEFT JOIN umkm_business b ON b.id = s.business_id
        WHERE l.regency_id = ANY(%(codes)s) AND l.counted_at < %(end)s
        GROUP BY 1, 2, 3, 4""",
    "koperasi": """
        SELECT k.{area}, count(*),
               count(*) FILTER (WHERE EXISTS (SELECT 1 FROM koperasi_laporantahunan r WHERE r.koperasi_id = k.id
                   AND r.status = 'diterima' AND r.tanggal_rat BETWEEN %(rat0)s AND %(asof)s))
        FROM koperasi_koperasi k
        WHERE k.regency_id = ANY(%(codes)s) AND k.tanggal_badan_hukum <= %(asof)s
          AND (k.tanggal_pembubaran IS NULL OR k.tanggal_pembubaran > %(asof)s)
        GROUP BY 1""",
}


def hand_sql(region: str) -> int:
    from django.db import connection

    from apps.core.reporting import wib_start
    from apps.regions.selectors import regency_codes_under

    codes = sorted(regency_codes_under({region}))
    area = "regency_id" if len(region) == 2 else "district_id"
    params = {
        "codes": codes,
        "year": YEAR,
        "y0": wib_start(date(YEAR, 1, 1)),
        "end": wib_start(AS_OF + timedelta(days=1)),
        "asof": AS_OF,
        "rat0": date(AS_OF.year - 3, AS_OF.month, AS_OF.day),
    }
    rows = 0
    with connection.cursor() as c:
        for name, sql in HAND_SQL.items():
            if name == "koperasi" and not table_exists(c, "koperasi_koperasi"):
                continue
            c.execute(sql.format(area=area), params)
            rows += len(c.fetchall())
    return rows


def main() -> None:
    args = parse_args()
    ensure_database(args.database_url)
    setup_django(args.database_url)
    from django.db import connection

    with connection.cursor() as c:
        have = generated_scale(c)
    if args.regenerate or have != args.scale:
        t = time.perf_counter()
        generate(args.scale, force=args.regenerate)
        print(f"generated in {time.perf_counter() - t:.0f} s")
    with connection.cursor() as c:
        counts = {}
        for t in ("umkm_business", "umkm_businessyear", "omzet_omzetline", "koperasi_koperasi"):
            if table_exists(c, t):
                c.execute(f"SELECT count(*) FROM {t}")
                counts[t] = c.fetchone()[0]
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print(f"report year {YEAR}, as of {AS_OF}; warm and SQL: median of {args.repeat} runs\n")
    from apps.regions.selectors import regency_codes_under
    from apps.umkm.models import UmkmRollup
    from apps.umkm.rollups import umkm_rollups_refresh_stale
    from apps.umkm.services import registry_revision_bump

    # Roll-ups of every regency exist, as after `report_rollups` or the first report; how long building
    # them from nothing takes is shown after the table.
    province = sorted(regency_codes_under({"33"}))
    page_figures("33")
    print(
        f"{'report':<16} {'warm (s)':>9} {'hand SQL (s)':>13} {'warm/SQL':>9} {'target (s)':>11}"
        f" {'after an edit (s)':>18}"
    )
    ok = True
    for label, region, target in (("regency 33.03", "33.03", 2.0), ("province 33", "33", 10.0)):
        # after edit: the first report after an operator's edit in 33.03 (the umkm services bump its
        # revision; unlike an import, an edit does not recompute roll-ups itself): 33.03 is recomputed
        # from the domain selectors in the report, the other regencies' roll-ups are read as they are
        registry_revision_bump(regency_codes=["33.03"])
        t_cold, _ = median_time(lambda r=region: page_figures(r), 1)
        t_page, result = median_time(lambda r=region: page_figures(r), args.repeat)
        hand_sql(region)  # warm-up
        t_sql, _rows = median_time(lambda r=region: hand_sql(r), args.repeat)
        ok &= t_page <= target
        print(
            f"{label:<16} {t_page:9.2f} {t_sql:13.2f} {t_page / t_sql:9.3f} {target:11.1f} {t_cold:18.2f}",
            flush=True,
        )
        f = result["figures"]  # type: ignore[index]
        print(
            f"    umkm_total {f['umkm_total']:,}  naik_kelas {f['naik_kelas']}  omzet {f['tukatuku_omzet_kumulatif']:,}"
            f"  koperasi {f['koperasi_total']:,} (aktif {f['koperasi_aktif']:,})",
            flush=True,
        )
    # what an import adds to its own run: recomputing the roll-ups it made stale (here the one year
    # reported on), for an import into one regency and into the whole province
    registry_revision_bump(regency_codes=["33.03"])
    t_one, _ = median_time(umkm_rollups_refresh_stale, 1)
    registry_revision_bump(regency_codes=province)
    t_refresh, n = median_time(umkm_rollups_refresh_stale, 1)
    print(f"\nan import's roll-up follow-up: one regency {t_one:.1f} s; all {n} regencies {t_refresh:.1f} s")
    # from nothing: a new deployment, or the first province report of another data year
    UmkmRollup.objects.filter(regency_id__in=province).delete()
    t_all, _ = median_time(lambda: page_figures("33"), 1)
    print(f"province report with no roll-ups at all (35 computed, then summed): {t_all:.1f} s")
    print("\nall targets met" if ok else "\nTARGET MISSED")


if __name__ == "__main__":
    main()
