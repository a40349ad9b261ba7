"""Failover checks and throughput of the local province cluster (issue 20, SPEC §13), loopback only.

    ./dev cluster up                                  # first: the cluster (deploy/cluster.py)
    .venv/bin/python bench/cluster.py                 # everything, 60 s per phase
    .venv/bin/python bench/cluster.py --only app-node,replica --seconds 30
    phases: throughput, app-node, replica, worker, primary, restore-drill (not run by default)

Every load phase runs 32 clients (asyncio, one connection per request, each client its own cookies) against
the balancer for --seconds: they browse (home, catalogue, search, product pages, the products API) and buy
(product page → add to cart → recipient → shipping options → place the order, CSRF and session like a
browser; each client has its own e-mail, so its orders can be counted in the database). A request fails when
it gets no response or a 5xx. The checks:
- app-node: a quarter in, app1 is killed (SIGKILL to its process group); it comes back three quarters in.
  Pass: < 1 % failed requests; per client, orders in the database between its confirmed orders and its
  confirmed plus its unanswered final POSTs (none lost, none doubled).
- replica: a quarter in, the replica is stopped (immediate shutdown); back three quarters in. Pass: no failed
  request later than 5 s after the stop; reads back on the replica after it returns.
- worker: an import of --import-businesses businesses (two yearly rows each) is queued; when it has started,
  the worker running it is killed; the other worker must finish it. Pass: the job ends `done` and every row
  is in the database once (yearly records added = 2 × businesses added, the run's counts add up to the rows).
- primary: a quarter in, the primary is restarted (fast shutdown, start). Pass: requests succeed again
  within 15 s of the restart with no node restarted, and orders are not lost or doubled.
- restore-drill: docs/deployment.md's restore drill: a base backup (tar, no WAL), orders, a target time,
  more orders; a new cluster restored from the backup and the WAL archive to the target time must hold exactly
  the payments made by the target.
- throughput: browsing only (storefront pages and the products API, plus the leadership report page for 4
  logged-in clients) against one gunicorn node on the primary alone, then against the balancer (two nodes
  + replica); requests/s of each and their ratio. On a 2-core machine running everything the ratio shows
  the overheads of the extra hops, not gains.
Prints one line per figure and a JSON summary at the end (bench/out/cluster.json).
"""

import argparse
import asyncio
import collections
import importlib.util
import json
import os
import random
import re
import signal
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_plus, urlencode

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("tt_cluster", ROOT / "deploy" / "cluster.py")
assert _spec and _spec.loader
cluster = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cluster)

HOST = "127.0.0.1"
CLIENTS = 32
SOLO_PORT = cluster.BALANCER_PORT + 10
SEARCHES = ["gula", "rajut", "nopia", "kopi", "madu", "keripik", "batik", "bulu mata", "knalpot", "sale pisang"]
VILLAGE = "33.03.01.2001"
RUN_ID = time.strftime("%H%M%S")
PHASE = {"tag": RUN_ID}  # each load phase's clients have e-mails of their own, so orders are counted per phase


def sql(query: str, port: int = cluster.PRIMARY_PORT) -> str:
    return cluster.psql(query, port=port, db=cluster.DB_NAME)


def machine_load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f} on {os.cpu_count()} cores"


@dataclass
class Stats:
    started: float = field(default_factory=time.monotonic)
    results: list[tuple[float, str, int, float]] = field(default_factory=list)  # (t, kind, status, seconds)
    confirmed: dict[int, int] = field(default_factory=dict)  # client -> orders confirmed by a redirect
    unanswered: dict[int, int] = field(default_factory=dict)  # client -> final POSTs with no answer / 5xx

    def add(self, kind: str, status: int, seconds: float) -> None:
        self.results.append((time.monotonic() - self.started, kind, status, seconds))

    def failed(self, since: float = 0.0, until: float = float("inf")) -> list[tuple[float, str, int, float]]:
        return [r for r in self.results if since <= r[0] < until and (r[2] == 0 or r[2] >= 500)]


class Client:
    """One browser: its cookies, a CSRF token, its own e-mail address for its orders."""

    def __init__(self, index: int, port: int, stats: Stats) -> None:
        self.index, self.port, self.stats = index, port, stats
        self.cookies: dict[str, str] = {}
        self.expires: dict[str, float] = {}
        self.email = f"klien{index}-{PHASE['tag']}@bench.tukatuku.local"

    async def request(
        self, method: str, path: str, kind: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        body = urlencode(form or {}).encode()
        headers = [f"{method} {path} HTTP/1.1", f"Host: {HOST}", "Connection: close"]
        for key in [k for k, deadline in self.expires.items() if deadline < time.monotonic()]:
            self.cookies.pop(key, None)
            del self.expires[key]
        if self.cookies:
            headers.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if method == "POST":
            headers += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
                f"X-CSRFToken: {self.cookies.get('csrftoken', '')}",
            ]
        t0 = time.perf_counter()
        status, response_headers, text = 0, {}, ""
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, self.port), 10)
            writer.write(("\r\n".join(headers) + "\r\n\r\n").encode() + body)
            await writer.drain()
            data = await asyncio.wait_for(reader.read(), 60)
            writer.close()
            head, _, payload = data.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0][9:12]) if lines and len(lines[0]) >= 12 else 0
            for line in lines[1:]:
                name, _, value = line.partition(":")
                name, value = name.strip().lower(), value.strip()
                if name == "set-cookie":
                    cookie, _, attrs = value.partition(";")
                    key, _, val = cookie.partition("=")
                    max_age = re.search(r"max-age=(\d+)", attrs.lower())
                    if (max_age and max_age.group(1) == "0") or val == '""':
                        self.cookies.pop(key, None)
                    else:
                        self.cookies[key] = val
                        if max_age:  # the read-your-writes cookie lives 10 s, as in a browser
                            self.expires[key] = time.monotonic() + int(max_age.group(1))
                else:
                    response_headers[name] = value
            text = payload.decode("utf-8", "replace")
        except (OSError, TimeoutError, ValueError, asyncio.IncompleteReadError):
            status = 0
        self.stats.add(kind, status, time.perf_counter() - t0)
        return status, response_headers, text

    async def browse(self, products: list[str]) -> None:
        path = random.choice(
            ["/", "/toko/", f"/toko/?q={quote_plus(random.choice(SEARCHES))}", "/api/v1/products"]
            + [random.choice(products)] * 2
        )
        await self.request("GET", path, "browse")

    async def buy(self, products: list[str], variants: dict[str, int]) -> None:
        product = random.choice(products)
        status, _, _ = await self.request("GET", product, "browse")
        if status != 200 or "csrftoken" not in self.cookies:
            return
        status, headers, _ = await self.request(
            "POST", "/pesanan/keranjang/tambah/", "buy", {"variant": str(variants[product]), "quantity": "1"}
        )
        if status != 302:
            return
        recipient = {
            "kab": "33.03",
            "name": f"Klien {self.index}",
            "phone": "081234567890",
            "email": self.email,
            "address": "Jl. Bench 1 RT 01 RW 02",
            "village_code": VILLAGE,
            "postal_code": "53311",
        }
        status, headers, _ = await self.request("POST", "/pesanan/checkout/", "buy", recipient)
        if status != 302 or "pengiriman" not in headers.get("location", ""):
            return
        status, _, html = await self.request("GET", "/pesanan/checkout/pengiriman/", "buy")
        choices = dict(re.findall(r'name="(kirim_\d+)"[^>]*value="([^"]+)"', html))
        if status != 200 or not choices:
            return
        status, headers, _ = await self.request(
            "POST", "/pesanan/checkout/pengiriman/", "buy", {**choices, "method": "transfer", "note": ""}
        )
        if status == 302 and "/pesanan/bayar/" in headers.get("location", ""):
            self.stats.confirmed[self.index] = self.stats.confirmed.get(self.index, 0) + 1
        elif status == 0 or status >= 500:
            self.stats.unanswered[self.index] = self.stats.unanswered.get(self.index, 0) + 1

    async def login(self, username: str) -> None:
        await self.request("GET", "/akun/masuk/", "browse")
        await self.request("POST", "/akun/masuk/", "login", {"username": username, "password": "tukatuku2020"})


def catalogue() -> tuple[list[str], dict[str, int]]:
    rows = sql(
        "SELECT p.id, p.slug, min(v.id) FROM store_product p JOIN store_variant v ON v.product_id = p.id "
        "WHERE p.listed AND v.stock > 0 GROUP BY p.id, p.slug ORDER BY p.id"
    )
    variants = {}
    for row in rows.splitlines():
        pk, slug, variant = row.split("|")
        variants[f"/toko/produk/{pk}/{slug}/"] = int(variant)
    return list(variants), variants


async def load(port: int, seconds: float, *, buy: bool, events=(), reporters: int = 0) -> Stats:
    """32 clients for `seconds`; `events` are (seconds after start, callable run in a thread)."""
    products, variants = catalogue()
    PHASE["tag"] = f"{RUN_ID}{time.monotonic_ns() % 10**6:06d}"
    stats = Stats()
    deadline = stats.started + seconds

    async def client(i: int) -> None:
        c = Client(i, port, stats)
        reporter = i < reporters
        if reporter:
            await c.login("kepala")
        n = 0
        while time.monotonic() < deadline:
            n += 1
            if reporter:
                await c.request("GET", "/laporan/", "report")
            elif buy and n % 5 == 0:
                await c.buy(products, variants)
            else:
                await c.browse(products)

    async def fire(at: float, action) -> None:
        await asyncio.sleep(at)
        await asyncio.to_thread(action)

    await asyncio.gather(*(client(i) for i in range(CLIENTS)), *(fire(at, action) for at, action in events))
    stats.results = [r for r in stats.results if r[0] <= seconds + 60]
    return stats


def orders_check(stats: Stats) -> dict:
    """Per client: confirmed <= orders in the database <= confirmed + unanswered."""
    found = {
        email.split("-")[0]: int(count)
        for email, count in (
            row.split("|")
            for row in sql(
                "SELECT buyer_email, count(*) FROM orders_payment "
                f"WHERE buyer_email LIKE '%-{PHASE['tag']}@bench.tukatuku.local' GROUP BY buyer_email"
            ).splitlines()
            if row
        )
    }
    lost = doubled = 0
    for i in range(CLIENTS):
        db = found.get(f"klien{i}", 0)
        confirmed, unanswered = stats.confirmed.get(i, 0), stats.unanswered.get(i, 0)
        lost += max(0, confirmed - db)
        doubled += max(0, db - confirmed - unanswered)
    return {
        "orders_confirmed": sum(stats.confirmed.values()),
        "orders_in_db": sum(found.values()),
        "final_posts_unanswered": sum(stats.unanswered.values()),
        "lost": lost,
        "doubled": doubled,
    }


def summary(name: str, stats: Stats, seconds: float) -> dict:
    total = len(stats.results)
    failed = stats.failed()
    ok = [r[3] for r in stats.results if 0 < r[2] < 500]
    figures = {
        "requests": total,
        "requests_per_s": round(total / seconds, 1),
        "failed": len(failed),
        "failed_pct": round(100 * len(failed) / total, 2) if total else 0.0,
        "p50_ms": round(1000 * statistics.median(ok), 1) if ok else None,
        "p99_ms": round(1000 * statistics.quantiles(ok, n=100)[98], 1) if len(ok) > 100 else None,
        "failed_by_kind_status": dict(collections.Counter(f"{r[1]} {r[2]}" for r in failed)),
        "failed_at_s": [round(r[0], 1) for r in failed][:50],
        "machine": machine_load(),
    }
    print(f"{name}: " + ", ".join(f"{k}={v}" for k, v in figures.items() if k != "failed_at_s"))
    return figures


def make_stock_ample() -> None:
    # The bench buys many times over; the demo's stock of a few units would turn checkouts into refusals.
    sql("UPDATE store_variant SET stock = 1000000 WHERE stock < 1000000")


def wait_healthy(port: int, timeout: float = 60) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if cluster.healthz(port)[0] == 200:
            return time.monotonic() - t0
        time.sleep(0.2)
    raise SystemExit(f"port {port} not healthy after {timeout} s")


def replica_in_use(port: int) -> bool:
    return cluster.healthz(port)[1].get("replica") == "ok"


# --- phases --------------------------------------------------------------------------------------------


def phase_app_node(seconds: float) -> dict:
    make_stock_ample()
    marks: dict[str, float] = {}
    t0 = time.monotonic()

    def kill() -> None:
        pid = cluster.read_pid("app1")
        assert pid, "app1 is not running"
        os.killpg(pid, signal.SIGKILL)
        marks["killed_at_s"] = time.monotonic() - t0

    def restart() -> None:
        cluster.app_start("app1")
        marks["restarted_at_s"] = time.monotonic() - t0
        wait_healthy(cluster.APP_PORTS["app1"], 90)
        marks["back_healthy_at_s"] = time.monotonic() - t0

    events = [(seconds / 4, kill), (seconds * 3 / 4, restart)]
    stats = asyncio.run(load(cluster.BALANCER_PORT, seconds, buy=True, events=events))
    result = {**summary("app-node", stats, seconds), **orders_check(stats), **marks}
    result["pass"] = result["failed_pct"] < 1 and result["lost"] == 0 and result["doubled"] == 0
    print(f"app-node: {json.dumps({k: v for k, v in result.items() if k not in ('failed_at_s',)})}")
    return result


def phase_replica(seconds: float) -> dict:
    make_stock_ample()
    marks: dict[str, float] = {}
    t0 = time.monotonic()

    def stop_replica() -> None:
        cluster.run(
            [
                "pg_ctlcluster",
                "--skip-systemctl-redirect",
                cluster.pg_version(),
                "tt_replica",
                "stop",
                "-m",
                "immediate",
            ],
            env=cluster.pg_env(),
            check=False,
        )
        marks["stopped_at_s"] = time.monotonic() - t0
        # Every gunicorn process probes on its own; a node's /healthz answers from one of them. The time until
        # both nodes' answers say the replica is out shows when reads have moved to the primary.
        off: set[int] = set()
        while len(off) < len(cluster.APP_PORTS) and time.monotonic() - t0 < seconds:
            off |= {port for port in cluster.APP_PORTS.values() if not replica_in_use(port)}
            time.sleep(0.2)
        marks["reads_on_primary_after_s"] = time.monotonic() - t0 - marks["stopped_at_s"]

    def start_replica() -> None:
        cluster.pg_ctl("tt_replica", "start")
        marks["started_at_s"] = time.monotonic() - t0
        while time.monotonic() - t0 < seconds + 60:
            if all(replica_in_use(port) for port in cluster.APP_PORTS.values()):
                marks["back_in_use_at_s"] = time.monotonic() - t0
                break
            time.sleep(0.5)

    events = [(seconds / 4, stop_replica), (seconds * 3 / 4, start_replica)]
    stats = asyncio.run(load(cluster.BALANCER_PORT, seconds, buy=True, events=events))
    result = {**summary("replica", stats, seconds), **orders_check(stats), **marks}
    stopped = marks.get("stopped_at_s", seconds / 4)
    late = stats.failed(since=stopped + 5)
    result["failed_within_5s_of_stop"] = len(stats.failed(since=stopped, until=stopped + 5))
    result["failed_later_than_5s"] = len(late)
    result["pass"] = not late and result["lost"] == 0 and result["doubled"] == 0 and "back_in_use_at_s" in marks
    print(f"replica: {json.dumps({k: v for k, v in result.items() if k not in ('failed_at_s',)})}")
    return result


IMPORT_SCRIPT = """
import sys
from django.core.files.uploadedfile import SimpleUploadedFile
from apps.accounts.models import User
from apps.imports.services import import_upload
sys.path.insert(0, "bench")
import import_umkm
from pathlib import Path
villages = import_umkm.village_codes("33.03")
path = Path("{path}")
import_umkm.generate(path, {businesses}, villages, seed={seed})
actor = User.objects.get(username="operator")
job = import_upload(kind="umkm", upload=SimpleUploadedFile("umkm-bench.csv", path.read_bytes()),
                    options={{"regency": "33.03"}}, actor=actor)
print(job.pk)
"""


def phase_worker(businesses: int, timeout: float) -> dict:
    before = sql("SELECT (SELECT count(*) FROM umkm_business), (SELECT count(*) FROM umkm_businessyear)")
    businesses_before, yearly_before = map(int, before.split("|"))
    csv_path = cluster.SHARED / f"umkm-bench-{RUN_ID}.csv"
    script = IMPORT_SCRIPT.format(path=csv_path, businesses=businesses, seed=int(RUN_ID))
    out = subprocess.run(
        [cluster.PY, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=cluster.app_env(),
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    job_id = out.stdout.strip().splitlines()[-1]
    t0 = time.monotonic()
    marks: dict = {"job": job_id, "rows": 2 * businesses}
    while time.monotonic() - t0 < 120:
        row = sql(f"SELECT status, progress_done FROM jobs_job WHERE id = '{job_id}'")
        status, done = row.split("|")
        if status == "running" and int(done) > 0:
            break
        time.sleep(0.3)
    else:
        raise SystemExit("the import did not start within 120 s")
    busy = busiest_worker()
    os.killpg(cluster.read_pid(busy) or 0, signal.SIGKILL)
    marks.update(killed=busy, killed_at_s=round(time.monotonic() - t0, 1), progress_at_kill=int(done))
    # The killed node comes back later, as systemd would restart it; the job must not wait for that.
    while time.monotonic() - t0 < timeout:
        status, attempts = sql(f"SELECT status, attempts FROM jobs_job WHERE id = '{job_id}'").split("|")
        if status in ("done", "failed", "gagal"):
            break
        time.sleep(1)
    marks.update(status=status, attempts=int(attempts), finished_at_s=round(time.monotonic() - t0, 1))
    cluster.worker_start(busy)
    after = sql("SELECT (SELECT count(*) FROM umkm_business), (SELECT count(*) FROM umkm_businessyear)")
    businesses_after, yearly_after = map(int, after.split("|"))
    marks.update(
        businesses_added=businesses_after - businesses_before,
        yearly_records_added=yearly_after - yearly_before,
        result=sql(f"SELECT result->>'summary' FROM jobs_job WHERE id = '{job_id}'"),
    )
    counts = {k: int(v) for k, v in re.findall(r"(rows|created|updated|unchanged|rejected): (\d+)", marks["result"])}
    # Every row once: the run accounts for each row of the file exactly once, each created yearly record is
    # in the database once, and each new business got its two years (rows of businesses the demo already
    # had update them instead).
    marks["pass"] = (
        status == "done"
        and counts.get("rows") == 2 * businesses
        and sum(counts.get(k, 0) for k in ("created", "updated", "unchanged", "rejected")) == 2 * businesses
        and marks["yearly_records_added"] == counts.get("created")
        and marks["yearly_records_added"] >= 2 * marks["businesses_added"]
    )
    marks["machine"] = machine_load()
    print(f"worker: {json.dumps(marks)}")
    return marks


def busiest_worker() -> str:
    """The worker running the import: the one whose process used CPU over the last second."""

    def cpu(name: str) -> int:
        pid = cluster.read_pid(name)
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])

    first = {name: cpu(name) for name in cluster.WORKERS}
    time.sleep(1.0)
    return max(cluster.WORKERS, key=lambda name: cpu(name) - first[name])


def phase_primary(seconds: float) -> dict:
    make_stock_ample()
    marks: dict[str, float] = {}
    t0 = time.monotonic()

    def restart() -> None:
        marks["restart_at_s"] = time.monotonic() - t0
        cluster.pg_ctl("tt_primary", "restart")
        marks["primary_back_at_s"] = time.monotonic() - t0

    events = [(seconds / 4, restart)]
    pids = {name: cluster.read_pid(name) for name in (*cluster.APP_PORTS, *cluster.WORKERS)}
    stats = asyncio.run(load(cluster.BALANCER_PORT, seconds, buy=True, events=events))
    result = {**summary("primary", stats, seconds), **orders_check(stats), **marks}
    back = marks.get("primary_back_at_s", seconds / 4)
    late = stats.failed(since=back + 15)
    result["failed_around_restart"] = len(stats.failed(since=marks.get("restart_at_s", 0), until=back + 15))
    result["failed_later_than_15s"] = len(late)
    result["same_processes"] = pids == {name: cluster.read_pid(name) for name in pids}
    result["pass"] = not late and result["lost"] == 0 and result["doubled"] == 0 and result["same_processes"]
    print(f"primary: {json.dumps({k: v for k, v in result.items() if k not in ('failed_at_s',)})}")
    return result


def phase_restore_drill() -> dict:
    """docs/deployment.md's drill on the local cluster: a tar base backup without WAL, orders placed after it,
    a target time, more orders after that; a new cluster restored from the backup and the WAL archive up to
    the target must hold exactly the payments made by then."""
    version, data = cluster.pg_version(), cluster.VAR / "pg" / "drill"
    backup = cluster.VAR / "pg" / f"base-{RUN_ID}"
    t0 = time.monotonic()
    cluster.run(["runuser", "-u", "postgres", "--", "mkdir", "-p", str(backup)])
    cluster.run(
        ["runuser", "-u", "postgres", "--", "pg_basebackup", "-h", HOST, "-p", str(cluster.PRIMARY_PORT),
         "-U", "postgres", "-D", str(backup), "-Ft", "-z", "-X", "none", "--checkpoint=fast"]
    )  # fmt: skip
    marks: dict = {"base_backup_s": round(time.monotonic() - t0, 1)}
    make_stock_ample()
    asyncio.run(load(cluster.BALANCER_PORT, 10, buy=True))  # orders after the backup, before the target
    time.sleep(1)
    target = sql("SELECT now()")
    expected = int(sql(f"SELECT count(*) FROM orders_payment WHERE created_at <= '{target}'"))
    time.sleep(1)
    asyncio.run(load(cluster.BALANCER_PORT, 5, buy=True))  # after the target: must not be restored
    total = int(sql("SELECT count(*) FROM orders_payment"))
    sql("SELECT pg_switch_wal()")  # the segment holding the target goes to the archive now
    time.sleep(3)
    t1 = time.monotonic()
    env = cluster.pg_env()
    if cluster.pg_cluster("tt_drill"):
        cluster.run(["pg_dropcluster", "--stop", version, "tt_drill"], env=env, check=False)
    cluster.run(
        ["pg_createcluster", version, "tt_drill", "--port", "6449", "--datadir", str(data), "--start-conf", "manual"],
        env=env,
    )
    cluster.run(["find", str(data), "-mindepth", "1", "-delete"])
    cluster.run(["runuser", "-u", "postgres", "--", "tar", "-xzf", str(backup / "base.tar.gz"), "-C", str(data)])
    etc = cluster.PG_ETC / version / "tt_drill"
    (etc / "conf.d" / "recovery.conf").write_text(
        f"restore_command = 'cp {cluster.WAL_ARCHIVE}/%f %p'\n"
        f"recovery_target_time = '{target}'\nrecovery_target_action = 'promote'\n"
        f"listen_addresses = '{HOST}'\narchive_mode = off\nmax_connections = 200\nmax_wal_senders = 5\n"
        "max_replication_slots = 5\n"
    )
    (etc / "pg_hba.conf").write_text(cluster.HBA)
    cluster.run(["runuser", "-u", "postgres", "--", "touch", str(data / "recovery.signal")])
    cluster.pg_ctl("tt_drill", "start")
    for _ in range(300):
        if cluster.psql("SELECT pg_is_in_recovery()", port=6449, check=False) == "f":
            break
        time.sleep(1)
    restored = int(cluster.psql("SELECT count(*) FROM orders_payment", port=6449, db=cluster.DB_NAME))
    marks.update(
        restore_s=round(time.monotonic() - t1, 1),
        payments_at_target=expected,
        payments_restored=restored,
        payments_now=total,
    )
    cluster.run(["pg_dropcluster", "--stop", version, "tt_drill"], env=env, check=False)
    cluster.run(["rm", "-rf", str(backup)])
    marks["pass"] = restored == expected < total
    marks["machine"] = machine_load()
    print(f"restore-drill: {json.dumps(marks)}")
    return marks


def postmaster(name: str) -> int:
    return int((cluster.VAR / "pg" / name / "postmaster.pid").read_text().split()[0])


def group_cpu_seconds(pgids: list[int]) -> float:
    """CPU seconds used so far by every process in these process groups (a gunicorn node, HAProxy) or
    started by one of them (PostgreSQL's backends each get a group of their own)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid = int(stat.parent.name)
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError, ValueError):
            continue
        if int(fields[2]) in pgids or int(fields[1]) in pgids or pid in pgids:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def measured(name: str, port: int, seconds: float, pgids: list[int]) -> dict:
    """A browsing run and the CPU its serving processes (nodes, balancer, databases) used: requests per CPU
    second shows the cost of a request on each setup regardless of how much of the shared cores it got."""
    cpu0 = group_cpu_seconds(pgids)
    stats = asyncio.run(load(port, seconds, buy=False, reporters=4))
    cpu = group_cpu_seconds(pgids) - cpu0
    figures = summary(name, stats, seconds)
    figures.update(serving_cpu_s=round(cpu, 1), requests_per_cpu_s=round(figures["requests"] / cpu, 2) if cpu else None)
    print(f"{name}: serving processes used {cpu:.1f} CPU s, {figures['requests_per_cpu_s']} requests per CPU s")
    return figures


def phase_throughput(seconds: float) -> dict:
    env = {k: v for k, v in cluster.app_env().items() if k != "DATABASE_REPLICA_URL"}
    with open(cluster.LOG / "solo.log", "ab") as log:
        solo = subprocess.Popen(
            [cluster.GUNICORN, "tukatuku.wsgi:application", "--bind", f"{HOST}:{SOLO_PORT}", "--workers",
             str(cluster.APP_PROCESSES), "--timeout", "60"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        wait_healthy(SOLO_PORT)
        one = measured("one node, primary only", SOLO_PORT, seconds, [solo.pid, postmaster("primary")])
    finally:
        os.killpg(solo.pid, signal.SIGTERM)
        solo.wait(30)
    serving = [cluster.read_pid(name) or 0 for name in (*cluster.APP_PORTS, "haproxy")]
    serving += [postmaster("primary"), postmaster("replica")]
    two = measured("two nodes + replica (HAProxy)", cluster.BALANCER_PORT, seconds, serving)
    ratio = round(two["requests_per_s"] / one["requests_per_s"], 2) if one["requests_per_s"] else None
    print(f"throughput ratio (two nodes + replica / one node): {ratio}")
    return {"one_node": one, "cluster": two, "ratio": ratio}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="throughput,app-node,replica,worker,primary")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--import-businesses", type=int, default=20000)
    parser.add_argument("--worker-timeout", type=float, default=900)
    args = parser.parse_args()
    if cluster.healthz(cluster.BALANCER_PORT)[0] != 200:
        raise SystemExit("the cluster is not up: ./dev cluster up")
    phases = {
        "throughput": lambda: phase_throughput(args.seconds),
        "app-node": lambda: phase_app_node(args.seconds),
        "replica": lambda: phase_replica(args.seconds),
        "worker": lambda: phase_worker(args.import_businesses, args.worker_timeout),
        "primary": lambda: phase_primary(args.seconds),
        "restore-drill": phase_restore_drill,
    }
    results = {"seconds": args.seconds, "clients": CLIENTS, "cores": os.cpu_count()}
    for name in args.only.split(","):
        print(f"==> {name} ({machine_load()})", flush=True)
        results[name] = phases[name]()
        for port in cluster.APP_PORTS.values():  # the next phase starts from a whole cluster
            wait_healthy(port, 120)
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "cluster.json").write_text(json.dumps(results, indent=2))
    print(json.dumps({k: v.get("pass") for k, v in results.items() if isinstance(v, dict) and "pass" in v}))


if __name__ == "__main__":
    main()
