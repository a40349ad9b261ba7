"""Benchmark of `manage.py import_data umkm` (issue 3) against a plain baseline measured in the same run.

    python bench/import_umkm.py                       # SQLite, 100,000 businesses x 2 years = 200,000 rows
    python bench/import_umkm.py --db postgres         # PostgreSQL on 127.0.0.1:5432 (database tt_bench_umkm)
    python bench/import_umkm.py --businesses 1000000  # 2,000,000 rows (RSS flat with file size?)

What it does, in order:
1. creates a fresh database (SQLite file under bench/out/, or a PostgreSQL database) and migrates it;
2. writes N rows in the SPEC §4 template (real Purbalingga villages, valid NIKs, NIB for most businesses,
   2018 and 2019 records, some crossing class boundaries) to bench/out/umkm-N.csv;
3. baseline: parses the same CSV with the csv module and inserts the same 15 columns into a bare table
   with executemany (SQLite) or COPY (PostgreSQL), in one transaction;
4. runs the real command `manage.py import_data umkm FILE --regency 33.03` in a child process, then again
   on the unchanged file (the re-import), and reads the child's peak RSS from wait4();
5. prints rows/s of both, the ratio (import time / baseline time), the peak RSS and the re-import speed-up.
"""

import argparse
import csv
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = sys.executable

HEADER = [
    "nik",
    "nama_pemilik",
    "jenis_kelamin",
    "no_hp",
    "nama_usaha",
    "nib",
    "kbli",
    "sektor",
    "kode_wilayah",
    "alamat",
    "tahun_berdiri",
    "tahun_data",
    "modal_usaha",
    "omzet_tahunan",
    "tenaga_kerja",
]
SECTORS = [
    ("gula kelapa", "10721"),
    ("bulu mata palsu", "32903"),
    ("knalpot", "29300"),
    ("tas rajutan", "15121"),
    ("nopia", "10710"),
    ("sale pisang", "10313"),
    ("keripik tempe", "10794"),
    ("batik", "13134"),
    ("kopi", "10761"),
    ("madu", "01499"),
]
FIRST = ["Sri", "Budi", "Siti", "Agus", "Dwi", "Tri", "Eko", "Nur", "Rina", "Joko", "Wahyu", "Ani"]
LAST = ["Rahayu", "Santoso", "Lestari", "Prasetyo", "Wulandari", "Hidayat", "Susanti", "Purnomo"]


def village_codes(regency: str) -> list[str]:
    """Village codes of the regency from the Kemendagri table shipped with the project."""
    sys.path.insert(0, str(ROOT))
    from apps.regions.loader import read_rows

    return sorted(code for code, _name in read_rows(prefix=regency + ".") if code.count(".") == 3)


def make_nik(i: int, female: bool, districts: list[str]) -> str:
    d, rest = i % len(districts), i // len(districts)
    day, rest = rest % 28 + 1, rest // 28
    month, rest = rest % 12 + 1, rest // 12
    yy, rest = rest % 40 + 55, rest // 40
    serial = rest + 1
    return f"{districts[d].replace('.', '')}{day + 40 if female else day:02d}{month:02d}{yy:02d}{serial:04d}"


def generate(path: Path, businesses: int, villages: list[str], seed: int = 1) -> int:
    rng = random.Random(seed)
    districts = sorted({v[:8] for v in villages})
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in range(businesses):
            female = i % 2 == 1
            sector, kbli = SECTORS[i % len(SECTORS)]
            village = villages[rng.randrange(len(villages))]
            nik = make_nik(i, female, districts)
            owner = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            nib = f"{9120000000000 + i}" if i % 10 < 7 else ""
            name = f"{sector.title()} {owner.split()[0]} {i}"
            modal = int(10 ** rng.uniform(6.5, 9.5))
            omzet = int(10 ** rng.uniform(7.5, 10.0))
            founded = rng.randint(1980, 2017)
            workers = rng.randint(1, 40)
            for year in (2018, 2019):
                if year == 2019:
                    modal, omzet = int(modal * rng.uniform(0.9, 1.6)), int(omzet * rng.uniform(0.9, 1.6))
                w.writerow(
                    [
                        nik,
                        owner,
                        "P" if female else "L",
                        f"08{rng.randrange(10**9, 10**10)}",
                        name,
                        nib,
                        kbli,
                        sector,
                        village,
                        f"RT {i % 9 + 1:02d} RW {i % 5 + 1:02d}",
                        founded,
                        year,
                        modal,
                        omzet,
                        workers,
                    ]
                )
                rows += 1
    return rows


def baseline_sqlite(db_path: Path, csv_path: Path) -> float:
    import sqlite3

    con = sqlite3.connect(db_path)
    con.execute("DROP TABLE IF EXISTS bench_baseline")
    con.execute(
        "CREATE TABLE bench_baseline (nik TEXT, nama_pemilik TEXT, jenis_kelamin TEXT, no_hp TEXT, nama_usaha TEXT,"
        " nib TEXT, kbli TEXT, sektor TEXT, kode_wilayah TEXT, alamat TEXT, tahun_berdiri INTEGER,"
        " tahun_data INTEGER, modal_usaha INTEGER, omzet_tahunan INTEGER, tenaga_kerja INTEGER)"
    )
    con.commit()
    start = time.perf_counter()
    with csv_path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        with con:
            con.executemany(f"INSERT INTO bench_baseline VALUES ({', '.join('?' * 15)})", reader)
    elapsed = time.perf_counter() - start
    con.execute("DROP TABLE bench_baseline")
    con.close()
    return elapsed


def baseline_postgres(url: str, csv_path: Path) -> float:
    import psycopg

    with psycopg.connect(url) as con:
        con.execute("DROP TABLE IF EXISTS bench_baseline")
        con.execute(
            "CREATE TABLE bench_baseline (nik TEXT, nama_pemilik TEXT, jenis_kelamin TEXT, no_hp TEXT,"
            " nama_usaha TEXT, nib TEXT, kbli TEXT, sektor TEXT, kode_wilayah TEXT, alamat TEXT,"
            " tahun_berdiri INTEGER, tahun_data INTEGER, modal_usaha BIGINT, omzet_tahunan BIGINT,"
            " tenaga_kerja INTEGER)"
        )
        con.commit()
        start = time.perf_counter()
        with csv_path.open(newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            next(reader)
            with con.cursor().copy(f"COPY bench_baseline ({', '.join(HEADER)}) FROM STDIN") as copy:
                for row in reader:
                    copy.write_row(row)
        con.commit()
        elapsed = time.perf_counter() - start
        con.execute("DROP TABLE bench_baseline")
        con.commit()
    return elapsed


def peak_rss_of(args: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """Wall time, CPU time (user + system), peak RSS (bytes, from wait4) and stdout of a child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed with status {status}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, out.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--businesses", type=int, default=100_000, help="businesses (2 data years each)")
    parser.add_argument("--db", default="sqlite", help="sqlite, postgres, or a DATABASE_URL")
    parser.add_argument("--regency", default="33.03")
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if args.db == "sqlite":
        db_file = OUT / "bench-umkm.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(db_file) + suffix).unlink(missing_ok=True)
        url = f"sqlite:///{db_file}"
    else:
        url = "postgres://postgres@127.0.0.1:5432/tt_bench_umkm" if args.db == "postgres" else args.db
        import psycopg

        admin_url = url.rsplit("/", 1)[0] + "/postgres"
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(admin_url, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}"')
            con.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = url
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)

    csv_path = OUT / f"umkm-{args.businesses * 2}.csv"
    villages = village_codes(args.regency)
    t0 = time.perf_counter()
    rows = generate(csv_path, args.businesses, villages)
    gen_s = time.perf_counter() - t0
    size_mb = csv_path.stat().st_size / 1e6

    if url.startswith("sqlite"):
        baseline_s = baseline_sqlite(Path(url.removeprefix("sqlite:///")), csv_path)
        baseline_kind = "csv + executemany"
    else:
        baseline_s = baseline_postgres(url.replace("postgres://", "postgresql://", 1), csv_path)
        baseline_kind = "csv + COPY"

    command = [PY, "manage.py", "import_data", "umkm", str(csv_path), "--regency", args.regency, "--quiet-progress"]
    import_s, import_cpu, rss, summary = peak_rss_of(command, env)
    reimport_s, reimport_cpu, rss2, summary2 = peak_rss_of(command, env)

    vendor = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    print(f"database: {vendor}; file: {csv_path.name} ({rows:,} rows, {size_mb:.1f} MB, generated in {gen_s:.1f} s)")
    print(f"baseline ({baseline_kind}): {baseline_s:.2f} s, {rows / baseline_s:,.0f} rows/s")
    print(
        f"import_data umkm:      {import_s:.2f} s, {rows / import_s:,.0f} rows/s, peak RSS {rss / 2**20:.0f} MB"
        f" (CPU of the command process {import_cpu:.1f} s)"
    )
    print(f"  {summary}")
    print(f"ratio import/baseline: {import_s / baseline_s:.1f}x")
    print(
        f"re-import (unchanged): {reimport_s:.2f} s, {rows / reimport_s:,.0f} rows/s, peak RSS {rss2 / 2**20:.0f} MB"
        f" (CPU {reimport_cpu:.1f} s)"
    )
    print(f"  {summary2}")
    print(f"re-import speed-up:    {import_s / reimport_s:.1f}x (CPU {import_cpu / reimport_cpu:.1f}x)")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores, shared)")


if __name__ == "__main__":
    main()
