#!/usr/bin/env python3
"""The province deployment (SPEC §13) on one machine, from Debian and registry packages only:

    ./dev cluster up        build (first time) and start everything; on a running cluster: migrate and
                            reload the nodes and workers with the current code; prints the status
    ./dev cluster status    each node's state, then the balancer's URL on a line of its own
    ./dev cluster down      stop everything cleanly (data kept; `down --wipe` deletes it too)

What runs (all state under var/cluster/, ports on 127.0.0.1):
- PostgreSQL primary `tt_primary` (port 6442) and a streaming replica `tt_replica` (6443) made from it with
  `pg_basebackup -R` on a replication slot; Debian's pg_createcluster/pg_ctlcluster with their configuration
  under var/cluster/pg/etc (PG_CLUSTER_CONF_ROOT), so the machine's own clusters are not touched. The primary
  archives its WAL to var/cluster/pg/wal-archive (the restore drill in docs/deployment.md uses it);
- Redis (6390): the shared cache, rate limits and login throttles of every node;
- two gunicorn application nodes (8101, 8102), stateless: sessions in the database, cache in Redis, uploads
  in the shared directory var/cluster/shared (object storage in production), reads on the replica
  (DATABASE_REPLICA_URL), writes on the primary;
- HAProxy (8100) in front, checking each node's /healthz every second; its admin socket and a stats page (8109);
- two job workers (`manage.py worker`) taking jobs with SELECT … FOR UPDATE SKIP LOCKED.
The first `up` migrates the primary and loads the demo (`manage.py demo --seed 1`).
"""

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "cluster"
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG_ETC = VAR / "pg" / "etc"
WAL_ARCHIVE = VAR / "pg" / "wal-archive"
RUN = VAR / "run"
LOG = VAR / "log"
SHARED = VAR / "shared"

HOST = "127.0.0.1"
PRIMARY_PORT = 6442
REPLICA_PORT = 6443
REDIS_PORT = 6390
BALANCER_PORT = int(os.environ.get("CLUSTER_PORT", "8100"))
APP_PORTS = {"app1": BALANCER_PORT + 1, "app2": BALANCER_PORT + 2}
STATS_PORT = BALANCER_PORT + 9
WORKERS = ("worker1", "worker2")
DB_NAME = "tukatuku"
SLOT = "tt_replica"
APP_PROCESSES = int(os.environ.get("CLUSTER_APP_PROCESSES", "2"))  # gunicorn sync workers per node


def pg_version() -> str:
    return sorted((p.name for p in Path("/usr/lib/postgresql").iterdir()), key=int)[-1]


def pg_env() -> dict[str, str]:
    return {**os.environ, "PG_CLUSTER_CONF_ROOT": str(PG_ETC)}


def run(cmd: list[str], *, env: dict[str, str] | None = None, check: bool = True, quiet: bool = False) -> str:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        sys.exit(f"gagal: {' '.join(cmd)}\n{result.stdout}{result.stderr}")
    if not quiet and result.returncode != 0:
        print(result.stderr.strip(), file=sys.stderr)
    return result.stdout


def psql(sql: str, *, port: int = PRIMARY_PORT, db: str = "postgres", check: bool = True) -> str:
    return run(
        ["psql", "-h", HOST, "-p", str(port), "-U", "postgres", "-d", db, "-tAXqc", sql], check=check, quiet=True
    ).strip()


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((HOST, port)) == 0


def wait_for(what: str, test, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not test():
        if time.monotonic() > deadline:
            sys.exit(f"gagal: {what} tidak siap dalam {timeout:.0f} s (lihat {LOG})")
        time.sleep(0.3)


def app_env() -> dict[str, str]:
    """The environment of every application node and worker: the same on each, nothing node-local."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tukatuku.settings",
        "TUKATUKU_ENV": "development",  # plain HTTP on loopback (production adds HTTPS-only cookies)
        "DEBUG": "0",
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "DATABASE_URL": f"postgres://postgres@{HOST}:{PRIMARY_PORT}/{DB_NAME}",
        "DATABASE_REPLICA_URL": f"postgres://postgres@{HOST}:{REPLICA_PORT}/{DB_NAME}",
        "CONN_MAX_AGE": "60",
        "REDIS_URL": f"redis://{HOST}:{REDIS_PORT}/0",
        "MEDIA_ROOT": str(SHARED / "media"),
        "PROTECTED_MEDIA_ROOT": str(SHARED / "protected"),
        "EMAIL_FILE_PATH": str(SHARED / "surel"),
        "STATIC_ROOT": str(VAR / "static"),
        "TRUSTED_PROXY_COUNT": "1",
        "SITE_URL": f"http://{HOST}:{BALANCER_PORT}",
        # A killed worker's job is taken again by another once its heartbeat is this old (apps/jobs/conf.py).
        "JOBS_HEARTBEAT_SECONDS": "5",
        "JOBS_STALE_AFTER_SECONDS": "30",
        "PYTHONUNBUFFERED": "1",
    }


# --- PostgreSQL -----------------------------------------------------------------------------------------


def pg_cluster(name: str) -> dict | None:
    out = run(["pg_lsclusters", "--json"], env=pg_env(), check=False, quiet=True)
    for cluster in json.loads(out or "[]"):
        if cluster["cluster"] == name:
            return cluster
    return None


def pg_ctl(name: str, action: str) -> None:
    args = ["pg_ctlcluster", "--skip-systemctl-redirect", pg_version(), name, action]
    if action in ("stop", "restart"):
        args += ["-m", "fast"]
    run(args, env=pg_env(), check=action == "start")


def pg_running(name: str) -> bool:
    cluster = pg_cluster(name)
    return bool(cluster and cluster.get("running"))


HBA = """# local cluster: loopback only, trusted (docs/deployment.md has the production rules)
local   all          all                 trust
host    all          all   127.0.0.1/32  trust
local   replication  all                 trust
host    replication  all   127.0.0.1/32  trust
"""


PRIMARY_CONF = """listen_addresses = '{host}'
wal_level = replica
max_wal_senders = 5
max_replication_slots = 5
archive_mode = on
archive_command = '{archive}'
shared_buffers = 128MB
max_connections = 200
"""
REPLICA_CONF = """listen_addresses = '{host}'
hot_standby = on
hot_standby_feedback = on
max_wal_senders = 5
shared_buffers = 128MB
max_connections = 200
"""


def configure(cluster: str, conf: str) -> None:
    """Settings in the cluster's conf.d (Debian's postgresql.conf includes it) and loopback-only trust."""
    etc = PG_ETC / pg_version() / cluster
    (etc / "conf.d").mkdir(exist_ok=True)
    (etc / "conf.d" / "tukatuku.conf").write_text(conf)
    (etc / "pg_hba.conf").write_text(HBA)


def pg_primary_create() -> None:
    data = VAR / "pg" / "primary"
    archive = f"test ! -f {WAL_ARCHIVE}/%f && cp %p {WAL_ARCHIVE}/%f"
    run(
        [
            "pg_createcluster", pg_version(), "tt_primary", "--port", str(PRIMARY_PORT), "--datadir", str(data),
            "--logfile", str(LOG / "pg-primary.log"), "--start-conf", "manual",
        ],
        env=pg_env(),
    )  # fmt: skip
    configure("tt_primary", PRIMARY_CONF.format(host=HOST, archive=archive))


def pg_replica_create() -> None:
    """A physical copy of the running primary that streams from it (Debian's recipe: a new cluster for the
    configuration, its data directory replaced by `pg_basebackup -R`, which writes standby.signal and
    primary_conninfo); the slot keeps the WAL the replica has not received while it is down."""
    data = VAR / "pg" / "replica"
    run(
        [
            "pg_createcluster", pg_version(), "tt_replica", "--port", str(REPLICA_PORT), "--datadir", str(data),
            "--logfile", str(LOG / "pg-replica.log"), "--start-conf", "manual",
        ],
        env=pg_env(),
    )  # fmt: skip
    configure("tt_replica", REPLICA_CONF.format(host=HOST))
    for entry in data.iterdir():
        shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    if psql(f"SELECT count(*) FROM pg_replication_slots WHERE slot_name = '{SLOT}'") == "0":
        psql(f"SELECT pg_create_physical_replication_slot('{SLOT}')")
    run(
        ["runuser", "-u", "postgres", "--", "pg_basebackup", "-h", HOST, "-p", str(PRIMARY_PORT), "-U", "postgres",
         "-D", str(data), "-R", "-X", "stream", "-S", SLOT, "--checkpoint=fast"],
    )  # fmt: skip


def postgres_up() -> None:
    for folder in (VAR / "pg", WAL_ARCHIVE):
        folder.mkdir(parents=True, exist_ok=True)
        shutil.chown(folder, "postgres", "postgres")
    shutil.chown(LOG, "postgres", "postgres")
    if pg_cluster("tt_primary") is None:
        print("==> PostgreSQL primer (pg_createcluster, port %d)" % PRIMARY_PORT)
        pg_primary_create()
    if not pg_running("tt_primary"):
        pg_ctl("tt_primary", "start")
    wait_for("PostgreSQL primer", lambda: port_open(PRIMARY_PORT))
    if psql(f"SELECT count(*) FROM pg_database WHERE datname = '{DB_NAME}'") == "0":
        psql(f'CREATE DATABASE "{DB_NAME}"')
    if pg_cluster("tt_replica") is None:
        print("==> PostgreSQL replika (pg_basebackup -R, port %d)" % REPLICA_PORT)
        pg_replica_create()
    if not pg_running("tt_replica"):
        pg_ctl("tt_replica", "start")
    wait_for("PostgreSQL replika", lambda: port_open(REPLICA_PORT))


# --- processes we start ourselves ------------------------------------------------------------------------


def pidfile(name: str) -> Path:
    return RUN / f"{name}.pid"


def read_pid(name: str) -> int | None:
    try:
        pid = int(pidfile(name).read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return None
    return None if state in ("Z", "X") else pid


def spawn(name: str, cmd: list[str]) -> int:
    """Start a process in its own session (its process group is the node: killing it kills the node)."""
    with open(LOG / f"{name}.log", "ab") as log:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=app_env(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
    pidfile(name).write_text(str(proc.pid))
    return proc.pid


def stop(name: str, timeout: float = 20) -> None:
    pid = read_pid(name)
    if pid is None:
        pidfile(name).unlink(missing_ok=True)
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while read_pid(name) and time.monotonic() < deadline:
        time.sleep(0.2)
    if read_pid(name):
        os.killpg(pid, signal.SIGKILL)
    pidfile(name).unlink(missing_ok=True)


def app_start(name: str) -> None:
    pid = read_pid(name)
    if pid is not None:
        os.kill(pid, signal.SIGHUP)  # gunicorn replaces its processes one by one with the current code
        return
    spawn(
        name,
        [GUNICORN, "tukatuku.wsgi:application", "--bind", f"{HOST}:{APP_PORTS[name]}", "--workers",
         str(APP_PROCESSES), "--timeout", "60", "--graceful-timeout", "10", "--max-requests", "5000",
         "--max-requests-jitter", "500", "--access-logfile", str(LOG / f"{name}-access.log")],
    )  # fmt: skip


def worker_start(name: str, *, restart: bool = False) -> None:
    if restart:
        stop(name, timeout=60)  # it finishes the job it runs; one still running after that is taken again later
    if read_pid(name) is None:
        spawn(name, [PY, "manage.py", "worker"])


def healthz(port: int) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=3) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:  # 503 from /healthz (JSON), or an error page while a node reloads
        try:
            return exc.code, json.loads(exc.read() or b"{}")
        except ValueError:
            return exc.code, {}
    except (OSError, ValueError):
        return 0, {}


HAPROXY_CFG = """global
    maxconn 2000
    stats socket {run}/haproxy.sock mode 600 level admin
    log stdout format raw local0 warning

defaults
    mode http
    log global
    option httplog
    option forwardfor
    option http-server-close
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-request 10s
    # A request that could not reach a node is sent to the other (redispatch); a GET/HEAD whose node died
    # before answering is sent again too. Other methods are never resent once a node got them: the order
    # might be placed twice.
    retries 5
    option redispatch 1
    retry-on conn-failure empty-response response-timeout 503

frontend web
    bind {host}:{port}
    http-request disable-l7-retry if !METH_GET !METH_HEAD
    default_backend app

backend app
    balance roundrobin
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host {host}
    http-check expect status 200
    # At most 2 requests per gunicorn process on a node; the rest wait in HAProxy's queue, from where they
    # go to the other node if this one dies (a request in the node's own accept queue would be lost with it).
    timeout queue 30s
    # A node whose port refuses a connection is taken out at once (observe layer4), not after the next checks.
    default-server inter 1s fastinter 500ms downinter 2s fall 2 rise 2 maxconn {maxconn}
    timeout check 5s
{servers}

listen stats
    bind {host}:{stats_port}
    stats enable
    stats uri /
    stats refresh 5s
"""


def haproxy_start() -> None:
    servers = "\n".join(
        f"    server {name} {HOST}:{port} check observe layer4 error-limit 1 on-error mark-down"
        for name, port in APP_PORTS.items()
    )
    cfg = VAR / "haproxy.cfg"
    cfg.write_text(
        HAPROXY_CFG.format(
            run=RUN, host=HOST, port=BALANCER_PORT, stats_port=STATS_PORT, servers=servers, maxconn=2 * APP_PROCESSES
        )
    )
    run(["haproxy", "-c", "-q", "-f", str(cfg)])
    pid = read_pid("haproxy")
    if pid is not None:
        os.kill(pid, signal.SIGUSR2)  # the master reloads the configuration without dropping connections
    else:
        with open(LOG / "haproxy.log", "ab") as log:
            proc = subprocess.Popen(
                ["haproxy", "-W", "-f", str(cfg)],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
        pidfile("haproxy").write_text(str(proc.pid))


def redis_start() -> None:
    if read_pid("redis") is None:
        (VAR / "redis").mkdir(exist_ok=True)
        with open(LOG / "redis.log", "ab") as log:
            proc = subprocess.Popen(
                ["redis-server", "--bind", HOST, "--port", str(REDIS_PORT), "--dir", str(VAR / "redis"),
                 "--save", "60 1000", "--appendonly", "no", "--maxmemory", "256mb",
                 "--maxmemory-policy", "allkeys-lru"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
        pidfile("redis").write_text(str(proc.pid))
    wait_for("Redis", lambda: port_open(REDIS_PORT))


def manage(*args: str) -> None:
    result = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=app_env())
    if result.returncode != 0:
        sys.exit(f"gagal: manage.py {' '.join(args)}")


def up() -> None:
    missing = [
        tool for tool in ("haproxy", "redis-server", "pg_createcluster", "pg_basebackup") if not shutil.which(tool)
    ]
    if missing:
        sys.exit(f"tidak ada: {', '.join(missing)} (./dev cluster up memasangnya dari paket Debian)")
    for folder in (RUN, LOG, SHARED / "media", SHARED / "protected", SHARED / "surel"):
        folder.mkdir(parents=True, exist_ok=True)
    postgres_up()
    redis_start()
    if not (VAR / "demo-loaded").exists():
        print("==> migrasi dan data demo di primer (sekali)")
        manage("migrate", "--noinput", "-v", "0")
        manage("demo", "--seed", "1")
        (VAR / "demo-loaded").touch()
    else:
        manage("migrate", "--noinput", "-v", "0")
    manage("collectstatic", "--noinput", "-v", "0")
    for name in APP_PORTS:
        app_start(name)
    for name in WORKERS:
        worker_start(name, restart=True)
    for name, port in APP_PORTS.items():
        wait_for(f"node {name}", lambda port=port: healthz(port)[0] == 200, timeout=90)
    haproxy_start()
    wait_for("HAProxy", lambda: healthz(BALANCER_PORT)[0] == 200)
    status()


def replica_lag() -> str:
    lag = psql(
        "SELECT COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::int::text, '-'), "
        "(SELECT status FROM pg_stat_wal_receiver)",
        port=REPLICA_PORT,
        check=False,
    )
    return lag.replace("|", " s sejak transaksi terakhir, penerima WAL: ") if lag else "?"


def haproxy_servers() -> dict[str, str]:
    sock = RUN / "haproxy.sock"
    if not sock.exists():
        return {}
    try:
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(2)
            s.connect(str(sock))
            s.sendall(b"show stat\n")
            data = b""
            while chunk := s.recv(65536):
                data += chunk
    except OSError:
        return {}
    states = {}
    for line in data.decode().splitlines():
        fields = line.split(",")
        if len(fields) > 17 and fields[0] == "app" and fields[1] not in ("FRONTEND", "BACKEND"):
            states[fields[1]] = fields[17]
    return states


def status() -> None:
    def line(name: str, port: int | str, state: str, detail: str = "") -> None:
        print(f"{name:<12} {str(port):<6} {state:<10} {detail}".rstrip())

    for name, port, role in (("pg-primary", PRIMARY_PORT, "tt_primary"), ("pg-replica", REPLICA_PORT, "tt_replica")):
        if not pg_running(role):
            line(name, port, "mati")
            continue
        recovery = psql("SELECT pg_is_in_recovery()", port=port, check=False)
        if name == "pg-primary":
            senders = psql("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'", check=False)
            line(name, port, "jalan", f"primer, {senders or 0} replika mengalir")
        else:
            line(name, port, "jalan", f"replika (recovery={recovery}), {replica_lag()}")
    line("redis", REDIS_PORT, "jalan" if read_pid("redis") and port_open(REDIS_PORT) else "mati")
    balancer = haproxy_servers()
    for name, port in APP_PORTS.items():
        code, body = healthz(port) if read_pid(name) else (0, {})
        state = "jalan" if code == 200 else ("sakit" if code else "mati")
        detail = f"healthz {code}" + (f", replika {body['replica']}" if "replica" in body else "")
        if name in balancer:
            detail += f", HAProxy: {balancer[name]}"
        line(name, port, state, detail if code or name in balancer else "")
    for name in WORKERS:
        pid = read_pid(name)
        line(name, "-", "jalan" if pid else "mati", f"pid {pid}" if pid else "")
    up_ = read_pid("haproxy") is not None and port_open(BALANCER_PORT)
    line("haproxy", BALANCER_PORT, "jalan" if up_ else "mati", f"statistik http://{HOST}:{STATS_PORT}/" if up_ else "")
    print(f"http://{HOST}:{BALANCER_PORT}")


def down(*, wipe: bool) -> None:
    stop("haproxy")
    for name in APP_PORTS:
        stop(name)
    for name in WORKERS:
        stop(name, timeout=30)  # a worker finishes the batch it is in; an unfinished import resumes later
    if read_pid("redis"):
        run(["redis-cli", "-h", HOST, "-p", str(REDIS_PORT), "shutdown"], check=False, quiet=True)
        stop("redis")
    for role in ("tt_replica", "tt_primary"):
        if pg_running(role):
            pg_ctl(role, "stop")
    if wipe:
        for role in ("tt_replica", "tt_primary"):
            if pg_cluster(role) is not None:
                run(["pg_dropcluster", pg_version(), role], env=pg_env(), check=False)
        shutil.rmtree(VAR, ignore_errors=True)
        print("var/cluster dihapus")
    else:
        print("klaster berhenti (data tetap di var/cluster; `./dev cluster down --wipe` menghapusnya)")


def main() -> None:
    parser = argparse.ArgumentParser(prog="./dev cluster", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("up")
    sub.add_parser("status")
    down_parser = sub.add_parser("down")
    down_parser.add_argument("--wipe", action="store_true", help="hapus juga data klaster (var/cluster)")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("./dev cluster perlu root (pg_createcluster, runuser)")
    if args.command == "up":
        up()
    elif args.command == "status":
        status()
    else:
        down(wipe=args.wipe)


if __name__ == "__main__":
    main()
