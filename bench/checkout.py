"""Benchmark of the web-store checkout under contention (issue 6), against a baseline in the same run.

    python bench/checkout.py                        # 50 buyers, stock 10, 5 rounds, PostgreSQL tt_bench_checkout
    python bench/checkout.py --buyers 80 --stock 20 --rounds 3

What it does:
1. creates a fresh PostgreSQL database (127.0.0.1:5432, trust auth) and migrates it;
2. makes a verified seller with a courier rate;
3. per round, two runs of N threads released together by a barrier, each thread with its own
   database connection calling the real service `checkout_place` (one order of 1 unit, transfer):
   - contended: every buyer wants the same variant with stock S (S < N): exactly S must succeed;
   - baseline: the same requests against a variant with ample stock (all succeed);
   the two runs alternate which goes first, so neither always meets a warm cache;
4. prints per run the orders made, the refusals (out of stock), other errors, the stock left and
   whether it ever went below zero, and the medians: orders/s, requests/s, and the ratio of the
   contended run's wall time to the baseline's.
"""

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def fresh_database(name: str) -> str:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--buyers", type=int, default=50)
    parser.add_argument("--stock", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database", default="tt_bench_checkout")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = fresh_database(args.database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tukatuku.settings")
    # Mails go after commit in the request; keep them in memory so the bench measures the database.
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - t0:.1f} s")

    from apps.orders.models import Order
    from apps.orders.services.checkout import OutOfStock
    from apps.orders.tests.factories import make_seller, make_variant, place
    from apps.store.models import Variant

    seller = make_seller(name="Toko Bench", rate=10000)
    shipping = {seller.pk: f"tarif-{seller.shipping_rates.get().pk}"}

    def run(variant_stock: int) -> dict:
        variant = make_variant(seller, stock=variant_stock, price=25000)
        barrier = threading.Barrier(args.buyers)
        outcome: list = [None] * args.buyers
        started = [0.0]

        def buyer(i: int) -> None:
            try:
                connection.ensure_connection()  # connect before the clock starts
                barrier.wait(timeout=60)
                if i == 0:
                    started[0] = time.perf_counter()
                place([(variant, 1)], shipping=shipping)
                outcome[i] = "order"
            except OutOfStock:
                outcome[i] = "refused"
            except Exception as exc:  # counted and printed: a deadlock or anything else is a failure
                outcome[i] = f"error: {type(exc).__name__}: {exc}"
            finally:
                connection.close()

        threads = [threading.Thread(target=buyer, args=(i,)) for i in range(args.buyers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started[0]
        stock_left = Variant.objects.get(pk=variant.pk).stock
        made = outcome.count("order")
        return {
            "seconds": elapsed,
            "orders": made,
            "refused": outcome.count("refused"),
            "errors": [o for o in outcome if o and o.startswith("error")],
            "stock_left": stock_left,
            "orders_in_db": Order.objects.filter(lines__variant=variant).count(),
            "ok": stock_left >= 0 and made + stock_left == variant_stock,
        }

    ample = args.buyers * 10
    contended_runs, baseline_runs = [], []
    for r in range(args.rounds):
        pair = [("contended", args.stock), ("baseline", ample)]
        if r % 2:
            pair.reverse()
        for label, stock in pair:
            result = run(stock)
            (contended_runs if label == "contended" else baseline_runs).append(result)
            print(
                f"round {r + 1} {label:<9} {result['seconds'] * 1000:8.1f} ms  orders {result['orders']:>3}  "
                f"refused {result['refused']:>3}  errors {len(result['errors'])}  stock left {result['stock_left']}"
                f"  orders in db {result['orders_in_db']}  consistent {result['ok']}"
            )
            for err in result["errors"][:3]:
                print("   ", err)

    c = statistics.median(x["seconds"] for x in contended_runs)
    b = statistics.median(x["seconds"] for x in baseline_runs)
    print()
    print(f"buyers {args.buyers}, contended stock {args.stock}, baseline stock {ample}, rounds {args.rounds}")
    print(
        f"contended: {statistics.median(x['orders'] for x in contended_runs):.0f} orders, "
        f"{statistics.median(x['refused'] for x in contended_runs):.0f} refused, "
        f"{sum(len(x['errors']) for x in contended_runs)} errors, stock left "
        f"{sorted({x['stock_left'] for x in contended_runs})}; "
        f"{statistics.median(x['orders'] / x['seconds'] for x in contended_runs):.1f} orders/s, "
        f"{args.buyers / c:.1f} requests/s (median {c * 1000:.1f} ms)"
    )
    print(
        f"baseline:  {statistics.median(x['orders'] for x in baseline_runs):.0f} orders, "
        f"{sum(len(x['errors']) for x in baseline_runs)} errors; "
        f"{statistics.median(x['orders'] / x['seconds'] for x in baseline_runs):.1f} orders/s, "
        f"{args.buyers / b:.1f} requests/s (median {b * 1000:.1f} ms)"
    )
    print(f"ratio contended/baseline wall time: {c / b:.2f}")
    all_ok = all(x["ok"] and not x["errors"] for x in contended_runs + baseline_runs)
    print("never oversold, no deadlock:", "yes" if all_ok else "NO")
    sys.exit(0 if all_ok else 1)


if __name__ == "__main__":
    main()
