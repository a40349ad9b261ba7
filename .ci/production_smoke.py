#!/usr/bin/env python3
"""Build and start the production configuration from this checkout and fetch the main pages of every role.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/smoke .venv/bin/python .ci/production_smoke.py

Steps, each under TUKATUKU_ENV=production (DEBUG=False, WhiteNoise's manifest storage, HTTPS settings):
`check --deploy`, `migrate`, `demo` (the demo users and data), `collect_vendor_assets`, `collectstatic`
into a temporary STATIC_ROOT, then gunicorn on a free local port behind which requests arrive as the proxy
sends them (`X-Forwarded-Proto: https`, the public host name). Every page must answer with the expected
status (200, or 302 where the page redirects); static files must be served by their hashed names. Exits
non-zero and prints each failure otherwise. The database named by DATABASE_URL is filled with the demo;
use a scratch database (SQLite: a temporary file when DATABASE_URL is not set).
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
HOST = "tukatuku.example.id"
PASSWORD = "tukatuku2020"

# (user or None for anonymous, path, expected status)
PAGES: list[tuple[str | None, str, int]] = [
    (None, "/", 200),
    (None, "/toko/", 200),
    (None, "/toko/produk-desa/", 200),
    (None, "/akun/masuk/", 200),
    (None, "/akun/daftar/", 200),
    (None, "/api/v1/products", 200),
    (None, "/dasbor/", 302),
    (None, "/umkm/", 302),
    ("operator", "/dasbor/", 200),
    ("operator", "/umkm/", 200),
    ("operator", "/umkm/naik-kelas/", 200),
    ("operator", "/koperasi/", 200),
    ("operator", "/koperasi/pembubaran/", 200),
    ("operator", "/laporan/", 200),
    ("operator", "/omzet/", 200),
    ("operator", "/impor/", 200),
    ("operator", "/impor/umkm/unggah/", 200),
    ("operator", "/toko/kurasi/", 200),
    ("operator", "/toko/kurasi/penjual/", 200),
    ("operator", "/pesanan/operator/", 200),
    ("operator", "/pesanan/operator/transfer/", 200),
    ("operator", "/audit/", 200),
    ("kepala", "/laporan/", 200),
    ("bupati", "/laporan/", 200),
    ("provinsi", "/laporan/", 200),
    ("penjual", "/toko/kelola/", 302),
    ("penjual", "/pesanan/toko/", 200),
    ("koperasi", "/koperasi/saya/", 200),
    ("pembeli", "/pesanan/saya/", 200),
    ("admin", "/akun/pengguna/", 200),
    ("admin", "/django-admin/", 200),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Client:
    """Speaks to gunicorn as the TLS-terminating proxy would; keeps cookies itself (they are Secure)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": f"https://{HOST}",
                    "Referer": f"https://{HOST}{path}",
                }
            )
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        content = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, content

    def login(self, username: str) -> int:
        status, _, page = self.request("GET", "/akun/masuk/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            return status
        status, _, _ = self.request(
            "POST",
            "/akun/masuk/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1).decode()},
        )
        return status


def run(env: dict[str, str], *args: str) -> None:
    print("==>", " ".join(args), flush=True)
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="tukatuku-smoke-"))
    env = dict(os.environ)
    env.update(
        {
            "TUKATUKU_ENV": "production",
            "SECRET_KEY": "smoke-" + os.urandom(24).hex() + "-production-like-secret-key",
            "ALLOWED_HOSTS": HOST,
            "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
            "NIK_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "NIK_HASH_KEY": "smoke-hash-key",
            "MIDTRANS_SERVER_KEY": "smoke-server-key",
            "STATIC_ROOT": str(work / "static"),
            "MEDIA_ROOT": str(work / "media"),
            "PROTECTED_MEDIA_ROOT": str(work / "protected"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
    )
    env.setdefault("DATABASE_URL", f"sqlite:///{work / 'smoke.sqlite3'}")
    run(env, "check", "--deploy", "--fail-level", "WARNING")
    run(env, "migrate", "--noinput", "-v", "0")
    run(env, "demo")
    run(env, "collect_vendor_assets")
    run(env, "collectstatic", "--noinput", "-v", "0")

    port = free_port()
    print(f"==> gunicorn on 127.0.0.1:{port}", flush=True)
    server = subprocess.Popen(
        [GUNICORN, "tukatuku.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "120"],
        cwd=ROOT,
        env=env,
    )
    failures: list[str] = []
    try:
        for _ in range(120):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None:
                    print("gunicorn exited", file=sys.stderr)
                    return 1
                time.sleep(0.5)
        clients: dict[str | None, Client] = {}
        for user, path, expected in PAGES:
            if user not in clients:
                clients[user] = Client(port)
                if user is not None:
                    status = clients[user].login(user)
                    if status != 302:
                        failures.append(f"login {user}: {status} (expected 302)")
            status, headers, body = clients[user].request("GET", path)
            line = f"{status} {path} ({user or 'anonim'})"
            print(line, flush=True)
            if status != expected:
                failures.append(f"{line}: expected {expected}")
            if path == "/" and status == 200:
                css = re.search(rb'href="(/static/[^"]+\.css)"', body)
                if css is None or not re.search(rb"\.[0-9a-f]{12}\.css$", css.group(1)):
                    failures.append("/ links no hashed stylesheet (manifest storage not in use)")
                else:
                    css_status = Client(port).request("GET", css.group(1).decode())[0]
                    print(f"{css_status} {css.group(1).decode()}", flush=True)
                    if css_status != 200:
                        failures.append(f"{css.group(1).decode()}: {css_status}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    for failure in failures:
        print("GAGAL:", failure, file=sys.stderr)
    print(f"==> {len(PAGES)} pages, {len(failures)} failures", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
