"""Full-size acceptance run from the command line, as an outside tester does it on a fresh clone:

    python tests/acceptance/run_full.py [--scenario article|edge] [--scale 1] [--folder DIR] [--database-url URL]

generates the files, creates a fresh database (SQLite file in the folder unless --database-url),
runs `manage.py migrate`, `manage.py import_data …` for each file and `manage.py kpi_report … --format
json` for each report, times every command, and compares the figures with the reference ones (for the
article at scale 1: the article's figures). Exit status 1 when a figure differs.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from exports import missing_numbers, pdf_numbers, xlsx_numbers  # noqa: E402
from generate import REGENCY, REPORTS, D, Y, generate  # noqa: E402

CPU: list[float] = []  # CPU seconds (user + system) of each command, beside its wall time


def run(args: list[str], env: dict[str, str]) -> tuple[float, str, str, int]:
    """Wall seconds, stdout, stderr, exit status; the command's CPU seconds are appended to CPU."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall, done.stdout.strip(), done.stderr.strip(), done.returncode


def normal(figures: dict) -> dict:
    out = {}
    for key, value in figures.items():
        if key == "naik_kelas":
            value = {k: v for k, v in value.items() if v or k in ("mikro_kecil", "kecil_menengah", "menengah_besar")}
        elif key == "koperasi_dibubarkan_per_tahun":
            value = {str(k): v for k, v in value.items() if v}
        out[key] = value
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenario", default="article", choices=["article", "edge"])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--folder", default="/tmp/tukatuku-acceptance")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    folder = Path(args.folder)
    t0 = time.perf_counter()
    data = generate(folder, scenario=args.scenario, seed=args.seed, scale=args.scale)
    print(f"generate {args.scenario} x{args.scale}: {time.perf_counter() - t0:.1f} s -> {folder}")
    env = dict(os.environ)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    else:
        db = folder / "acceptance.sqlite3"
        db.unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{db}"
    seconds, _out, err, code = run(["migrate", "--noinput", "-v", "0"], env)
    print(f"migrate: {seconds:.1f} s")
    if code:
        print(err)
        return 2
    total = 0.0
    for f in data.files:
        seconds, out, err, code = run([*f.command(), "--quiet-progress"], env)
        total += seconds
        print(
            f"{seconds:7.1f} s ({CPU[-1]:5.1f} s CPU)  import_data {f.kind} {f.path.name} {' '.join(f.options)} "
            f"-> {out or err} (exit {code})"
        )
        if code:
            print(err)
    print(f"{total:7.1f} s ({sum(CPU[1:]):5.1f} s CPU)  all imports")
    failures = 0
    for region, year, as_of in REPORTS:
        seconds, out, err, code = run(
            ["kpi_report", "--regency", region, "--year", str(year), "--as-of", as_of.isoformat(), "--format", "json"],
            env,
        )
        got = normal(json.loads(out)) if code == 0 else {"error": err}
        want = normal(data.figures(region, year, as_of))
        diff = {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
        failures += bool(diff)
        print(f"{seconds:7.1f} s  kpi_report --regency {region} --year {year} --as-of {as_of}: "
              + ("OK" if not diff else f"DIFFERS (got, expected): {diff}"))  # fmt: skip
    for fmt, reader in (("xlsx", xlsx_numbers), ("pdf", pdf_numbers)):
        target = folder / f"laporan-{REGENCY}-{Y}.{fmt}"
        report = ["--regency", REGENCY, "--year", str(Y), "--as-of", D.isoformat()]
        seconds, _out, err, code = run(["kpi_report", *report, "--format", fmt, "--output", str(target)], env)
        missing = missing_numbers(data.figures(), reader(target)) if code == 0 else err
        failures += bool(missing)
        print(f"{seconds:7.1f} s  kpi_report {' '.join(report)} --format {fmt}: "
              + ("same numbers as the JSON" if not missing else f"MISSING {missing}"))  # fmt: skip
    if args.scenario == "article" and args.scale == 1.0:
        print("article figures:", json.dumps(data.figures(), ensure_ascii=False))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
