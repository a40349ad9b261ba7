"""Storefront benchmark (issue 5): catalogue page, search page and search API under 32 concurrent clients,
against a static 24-item JSON response served by the same gunicorn in the same run.

    python bench/storefront.py                    # 100,000 listed products from 5,000 sellers (PostgreSQL)
    python bench/storefront.py --requests 3000    # requests per endpoint (default 2000; 60 s cap each)
    python bench/storefront.py --cache none       # no cache at all: every request renders and queries

What it does, in order:
1. creates (once) the PostgreSQL database `tt_bench_store` on 127.0.0.1:5432, migrates it, and bulk-generates
   5,000 Purbalingga sellers and 100,000 approved, listed products (one variant and one photo row each), with
   `search_text` made by the same indexing function the services use, and the search vocabulary (a database
   made before `Product.listed` existed is migrated: migration 0005 fills the flag);
2. starts gunicorn on 127.0.0.1 (4 sync workers, production settings, Redis cache db 7 unless
   `--cache none`, emptied first) with a bench URLconf that adds `/bench/baseline.json` (24 static items);
3. for each endpoint, 32 clients (asyncio, one connection per request, as the sync workers close them)
   send `--requests` requests over a rotating set of URLs (catalogue pages 1-40 with sorts; 20 search
   queries, stemmed and misspelt; the same queries on the API); the first pass over each URL is a warm-up;
4. prints requests/s, p50 and p99 per endpoint and its ratio to the baseline's requests/s.
Targets: ratio >= 0.40 and p99 < 250 ms.
"""

import argparse
import asyncio
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "tt_bench_store"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
PORT = 8765
CLIENTS = 32

GOODS = [
    ("Gula Kelapa", "makanan"),
    ("Gula Aren", "makanan"),
    ("Nopia", "makanan"),
    ("Mino", "makanan"),
    ("Sale Pisang", "makanan"),
    ("Keripik Tempe", "makanan"),
    ("Keripik Singkong", "makanan"),
    ("Tas Rajutan", "kerajinan"),
    ("Dompet Rajut", "kerajinan"),
    ("Anyaman Bambu", "kerajinan"),
    ("Bulu Mata Palsu", "kecantikan"),
    ("Rambut Palsu", "kecantikan"),
    ("Knalpot Racing", "otomotif"),
    ("Knalpot Standar", "otomotif"),
    ("Kain Batik Tulis", "fashion"),
    ("Kemeja Batik", "fashion"),
    ("Kopi Robusta", "minuman"),
    ("Kopi Arabika", "minuman"),
    ("Madu Hutan", "minuman"),
    ("Teh Kelor", "minuman"),
]
TRAITS = [
    "Kristal",
    "Cetak",
    "Renyah",
    "Pedas",
    "Manis",
    "Original",
    "Premium",
    "Super",
    "Mini",
    "Jumbo",
    "Alami",
    "Tebal",
    "Lentik",
    "Stainless",
    "Nilon",
    "Halus",
    "Sangrai",
    "Murni",
    "Khas",
    "Spesial",
]
SEARCHES = [
    "rajut",
    "gula kelapa",
    "kripik tempe",
    "knalpot",
    "bulu mata",
    "nopia",
    "sale pisang",
    "batik tulis",
    "kopi",
    "madu hutan",
    "rajutan nilon",
    "knalpott",
    "gula aren cetak",
    "keripik pedas",
    "teh kelor",
    "tas",
    "dompet",
    "kemeja batik",
    "kopi arabika sangrai",
    "anyaman",
]


def psql(sql: str, db: str = "postgres") -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-tAc", sql], check=True, capture_output=True, text=True
    ).stdout.strip()


def env(cache: str) -> dict[str, str]:
    e = dict(os.environ)
    e.update(
        DATABASE_URL=DB_URL,
        DJANGO_SETTINGS_MODULE="bench.storefront_settings",
        TUKATUKU_ENV="development",
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        BENCH_CACHE=cache,
        PYTHONPATH=str(ROOT),
    )
    if cache == "redis":
        e["REDIS_URL"] = "redis://127.0.0.1:6379/7"
    else:
        e.pop("REDIS_URL", None)
    return e


def generate(products: int, sellers: int) -> None:
    """Bulk-generate the catalogue in the bench database (skipped when it is already there)."""
    os.environ.update(env("none"))
    import django

    django.setup()
    from django.core.management import call_command

    from apps.regions.models import Region
    from apps.store import search
    from apps.store.models import Category, Product, ProductPhoto, SearchTerm, Seller, Variant
    from apps.umkm.models import Business, Owner

    call_command("migrate", verbosity=0)
    if Product.objects.filter(status="disetujui").count() >= products:
        print(f"data: {Product.objects.count()} produk sudah ada di {DB_NAME}")
        return
    t0 = time.monotonic()
    rng = random.Random(5)
    villages = list(Region.objects.filter(level=4, code__startswith="33.03.").values_list("code", flat=True))
    district_names = dict(Region.objects.filter(level=3, parent_id="33.03").values_list("code", "name"))
    cats = {}
    for i, slug in enumerate(["makanan", "minuman", "kerajinan", "fashion", "kecantikan", "otomotif"]):
        cats[slug] = Category.objects.get_or_create(slug=slug, defaults={"name": slug.title(), "position": i})[0]
    owners = []
    for i in range(sellers):
        o = Owner(name=f"Pemilik {i}", gender="P" if i % 2 else "L")
        o.set_nik(f"330301{(i % 28) + 1:02d}0385{i:04d}"[:16])
        owners.append(o)
    owners = Owner.objects.bulk_create(owners, batch_size=2000)
    biz, shop_rows = [], []
    for i, o in enumerate(owners):
        v = villages[i % len(villages)]
        biz.append(
            Business(
                owner=o,
                name=f"Usaha {i}",
                name_normalized=f"usaha {i}",
                nib=f"{9_000_000_000_000 + i}",
                regency_id=v[:5],
                district_id=v[:8],
                village_id=v,
            )
        )
    biz = Business.objects.bulk_create(biz, batch_size=2000)
    for i, b in enumerate(biz):
        shop_rows.append(
            Seller(
                business=b,
                shop_name=f"Toko {rng.choice(TRAITS)} {i}",
                slug=f"toko-{i}",
                regency_id=b.regency_id,
                district_id=b.district_id,
                village_id=b.village_id,
                status="terverifikasi",
            )
        )
    shops = Seller.objects.bulk_create(shop_rows, batch_size=2000)
    terms: set[str] = set()
    from django.utils import timezone

    now = timezone.now()
    batch = 5000
    for start in range(0, products, batch):
        rows = []
        for i in range(start, min(start + batch, products)):
            shop = shops[i % len(shops)]
            good, cat = GOODS[rng.randrange(len(GOODS))]
            name = f"{good} {rng.choice(TRAITS)} {rng.choice(TRAITS)}"
            desc = f"{good} buatan UMKM Purbalingga, {rng.choice(TRAITS).lower()} dan {rng.choice(TRAITS).lower()}."
            dname = district_names.get(shop.district_id, "")
            texts = (name, cats[cat].name, shop.shop_name, dname, desc)
            terms.update(search.index_terms(*texts))
            rows.append(
                Product(
                    seller=shop,
                    category=cats[cat],
                    name=name,
                    slug=f"produk-{i}",
                    description=desc,
                    weight_grams=250,
                    status="disetujui",
                    listed=True,  # approved, shop verified: what the store services would set
                    district_id=shop.district_id,
                    min_price=rng.randrange(5, 500) * 1000,
                    search_text=search.search_text_for(*texts),
                    listed_at=now,
                    parent_sku=f"B{i}",
                )
            )
        made = Product.objects.bulk_create(rows)
        Variant.objects.bulk_create(
            [Variant(product=p, name="", sku=f"BENCH-{p.pk}", price=p.min_price, stock=10) for p in made]
        )
        ProductPhoto.objects.bulk_create(
            [
                ProductPhoto(
                    product=p,
                    image_small=f"produk/bench/{p.pk % 100}-320.webp",
                    small_width=320,
                    small_height=320,
                    image_large=f"produk/bench/{p.pk % 100}-800.webp",
                    large_width=800,
                    large_height=800,
                    position=0,
                )
                for p in made
            ]
        )
        print(f"  {start + len(made)} produk", end="\r", flush=True)
    SearchTerm.objects.bulk_create([SearchTerm(term=t) for t in sorted(terms)], ignore_conflicts=True)
    psql("VACUUM ANALYZE", DB_NAME)
    print(f"data: {products} produk dari {sellers} penjual dibuat dalam {time.monotonic() - t0:.0f} s")


async def fetch(path: str) -> tuple[float, int]:
    t0 = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    data = await reader.read()
    writer.close()
    status = int(data[9:12]) if len(data) >= 12 else 0
    return time.perf_counter() - t0, status


async def load(paths: list[str], total: int, cap_seconds: float) -> dict[str, float]:
    for p in paths:  # warm-up: first hit of every URL (cache fill), not measured
        await fetch(p)
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))
    deadline = time.monotonic() + cap_seconds

    async def client() -> None:
        nonlocal errors
        for n in counter:
            if time.monotonic() > deadline:
                return
            seconds, status = await fetch(paths[n % len(paths)])
            if status != 200:
                errors += 1
            latencies.append(seconds)

    t0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    elapsed = time.perf_counter() - t0
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "n": len(latencies),
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--sellers", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--cache", choices=["redis", "none"], default="redis")
    args = parser.parse_args()

    if psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'") != "1":
        psql(f"CREATE DATABASE {DB_NAME}")
    subprocess.run(
        [sys.executable, __file__, "--generate-only", str(args.products), str(args.sellers)],
        check=True,
        env=env("none"),
    )
    if args.cache == "redis":
        # Db 7 is the benchmark's own: start from an empty cache, so no page of an earlier database or
        # code version is served; each endpoint's warm-up pass fills it.
        import redis

        redis.Redis.from_url(env("redis")["REDIS_URL"]).flushdb()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.storefront_wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(args.workers),
            "--backlog",
            "512",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env(args.cache),
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                if asyncio.run(fetch("/healthz"))[1] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn tidak menjawab")
        endpoints = {
            "baseline (JSON statis 24 item)": ["/bench/baseline.json"],
            "katalog /toko/": [
                f"/toko/?page={p}" + (f"&urut={s}" if s else "")
                for p in range(1, 11)
                for s in ("", "termurah", "termahal", "nama")
            ],
            "halaman cari /toko/?q=": [f"/toko/?q={quote_plus(q)}" for q in SEARCHES],
            "API cari /api/v1/products?q=": [f"/api/v1/products?q={quote_plus(q)}" for q in SEARCHES],
        }
        print(
            f"{args.products} produk, {args.sellers} penjual, {CLIENTS} klien, {args.workers} worker gunicorn, "
            f"cache={args.cache}, {args.requests} permintaan per titik (maks. {args.seconds:.0f} s)"
        )
        results = {}
        for label, paths in endpoints.items():
            results[label] = asyncio.run(load(paths, args.requests, args.seconds))
        base = results["baseline (JSON statis 24 item)"]["rps"]
        print(f"{'titik':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'rasio':>6} {'n':>6} {'gagal':>5}")
        for label, r in results.items():
            print(
                f"{label:34} {r['rps']:8.0f} {r['p50']:8.1f} {r['p99']:8.1f} {r['rps'] / base:6.2f} "
                f"{r['n']:6d} {r['errors']:5d}"
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--generate-only":
        generate(int(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
