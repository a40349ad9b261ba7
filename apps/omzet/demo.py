"""Demo omzet for Purbalingga (33.03): Bukalapak history of 2019, overlapping Shopee exports and a
Tokopedia report around the turn of 2020, showroom sales and an OPD purchase.

Built through the real paths (the `penjualan` importer and the offline-sale service) with its own
seeded generator, so it is deterministic and running it again changes nothing. The amounts are chosen
so that `tukatuku_omzet_kumulatif` of 33.03 as of 2020-03-09 is Rp129.000.000 — the figure of the
9 March 2020 article — counting what this builder records.
"""

import random
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.db.models import Sum

from apps.core.actors import Actor
from apps.core.formatting import WIB
from apps.core.spreadsheets import csv_writer
from apps.imports.framework import run_import
from apps.omzet.importers import FORMATS, normalize_name
from apps.omzet.models import Channel, OfflineSale, ProductMapping
from apps.omzet.offline import SaleItem, offline_sale_record
from apps.omzet.selectors import ledger_until
from apps.omzet.services import product_mapping_set
from apps.store.models import Variant

REGENCY = "33.03"
AS_OF = date(2020, 3, 9)
TARGET = 129_000_000
# Left for offline sales (about Rp8,6 juta), web orders of other builders and a balancing order.
BALANCE_ROOM = 15_000_000
OWN_CHANNELS = ("bukalapak", "shopee", "tokopedia", "showroom", "outlet", "opd")

# Purbalingga goods sold before they were in the catalogue (listed as unmatched for the operator).
LOOSE_PRODUCTS = [
    ("Nopia Mino isi 10", 25_000),
    ("Sale Pisang Ambon 250 g", 18_000),
    ("Gula Kelapa Kristal 1 kg", 32_000),
    ("Keripik Tempe Sagu 200 g", 15_000),
    ("Kopi Robusta Serang 250 g", 45_000),
    ("Batik Tulis Purbalingga", 350_000),
    ("Tas Rajut Eceng Gondok", 125_000),
    ("Emping Melinjo 500 g", 55_000),
    ("Bulu Mata Palsu (6 pasang)", 40_000),
    ("Knalpot Racing Custom", 850_000),
]


@dataclass
class Line:
    order: str
    status: str
    when: datetime
    name: str
    sku: str
    quantity: int
    price: int
    returned: int = 0

    def counted(self, completed: str) -> int:
        """The line's omzet as of AS_OF under the SPEC §6 rule of its channel."""
        if self.status != completed or self.when.date() > AS_OF:
            return 0
        return self.price * (self.quantity - self.returned)


def _catalogue(ctx: Any) -> list[Any]:
    """Catalogue variants of the regency, the demo seller's first (when the store demo made any)."""
    variants = list(
        Variant.objects.filter(product__seller__regency_id=REGENCY, is_active=True)
        .select_related("product__seller")
        .order_by("sku")[:40]
    )
    seller_user = ctx.get("users", {}).get("penjual")
    mine = {m.seller_id for m in seller_user.seller_memberships.all()} if seller_user is not None else set()
    return sorted(variants, key=lambda v: (v.product.seller_id not in mine, v.sku))


def _others() -> int:
    """Ledger omzet of the regency up to AS_OF on channels this builder does not write."""
    lines = ledger_until(regency_codes=[REGENCY], as_of=AS_OF).exclude(channel__code__in=OWN_CHANNELS)
    return int(lines.aggregate(s=Sum("amount"))["s"] or 0)


# Loose marketplace names and the catalogue product each one is (the start of its name): an operator maps a
# line only to the shop that really makes it, never to whichever shop happens to come first.
LOOSE_TO_CATALOGUE = {
    "Nopia Mino isi 10": "nopia",
    "Sale Pisang Ambon 250 g": "sale pisang",
    "Gula Kelapa Kristal 1 kg": "gula kelapa kristal",
}


def _map_products(variants: list[Any], actor: Actor) -> None:
    """An operator maps loose products to the catalogue variant of the same product (re-attributing their lines)."""

    pairs = []
    for name, product_start in LOOSE_TO_CATALOGUE.items():
        same = [v for v in variants if normalize_name(v.product.name).startswith(product_start)]
        if same:
            pairs.append((name, min(same, key=lambda v: v.sku)))
    for channel in Channel.objects.filter(regency_id=REGENCY, code__in=["bukalapak", "shopee", "tokopedia"]):
        for name, variant in pairs:
            key = f"nama:{normalize_name(name)}"
            if not ProductMapping.objects.filter(channel=channel, match_key=key, variant=variant).exists():
                product_mapping_set(channel=channel, match_key=key, variant=variant, actor=actor)


def _pick(rng: random.Random) -> tuple[str, str, int]:
    """A product as the marketplaces knew it (no SKU): the rows never depend on the catalogue, so
    running the demo again after the catalogue changed still changes nothing."""
    name, price = LOOSE_PRODUCTS[rng.randrange(len(LOOSE_PRODUCTS))]
    return name, "", price


def _moment(rng: random.Random, start: date, end: date) -> datetime:
    day = start + timedelta(days=rng.randrange((end - start).days + 1))
    return datetime(day.year, day.month, day.day, rng.randrange(7, 22), rng.randrange(60), tzinfo=WIB)


def _write(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv_writer(fh)  # the shared writer: demo data is read by people too
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _shopee_rows(lines: list[Line]) -> list[list[Any]]:
    rows = []
    for x in lines:
        done = x.when.strftime("%d-%m-%Y %H:%M") if x.status == "Selesai" else ""
        created = (x.when - timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
        total = x.price * x.quantity
        rows.append(
            [x.order, x.status, created, done, "", x.sku, x.name, "", x.price, f"Rp{x.price:,}".replace(",", ".")]
            + [x.quantity, x.returned, total, 9000, total + 9000, "KAB. PURBALINGGA", "JAWA TENGAH"]
        )
    return rows


def build(ctx: Any) -> None:
    rng = random.Random(20200309)
    actor = ctx.get("users", {}).get("operator")
    variants = _catalogue(ctx)

    # Showroom and outlet sales and one OPD purchase (when the catalogue has products to sell).
    offline = [
        ("showroom", date(2019, 8, 17), "", [(0, 6, 25_000), (1, 4, 40_000)]),
        ("showroom", date(2019, 12, 28), "", [(0, 10, 25_000), (2, 3, 120_000)]),
        ("outlet", date(2020, 2, 2), "", [(1, 12, 20_000)]),
        ("opd", date(2019, 12, 12), "Dinas Perindustrian dan Perdagangan", [(0, 150, 30_000), (2, 20, 120_000)]),
    ]
    offline_total = sum(q * p for *_x, items in offline for _i, q, p in items) if variants else 0

    # Shopee: export 1 (Nov 2019 – Jan 2020) has lines still being shipped; export 2 completes them.
    shopee_1: list[Line] = []
    shopee_2: list[Line] = []
    for i in range(40):
        name, sku, price = _pick(rng)
        when = _moment(rng, date(2019, 11, 1), date(2020, 3, 12))
        quantity = rng.randint(1, 4)
        line = Line(f"19{11 + i // 20:02d}{i:04d}SHP", "Selesai", when, name, sku, quantity, price)
        if when.date() >= date(2020, 1, 20):
            shopee_2.append(line)
        elif i % 7 == 3:  # shipped in export 1, completed in export 2
            shopee_1.append(Line(line.order, "Sedang Dikirim", when, name, sku, quantity, price))
            shopee_2.append(line)
        elif i % 11 == 5:  # completed, then one item came back
            line.quantity = quantity + 1
            shopee_1.append(line)
            shopee_2.append(Line(line.order, "Selesai", when, name, sku, quantity + 1, price, returned=1))
        elif i % 13 == 6:
            shopee_1.append(Line(line.order, "Batal", when, name, sku, quantity, price))
        else:
            shopee_1.append(line)
            if i % 2:
                shopee_2.append(line)  # overlapping exports
    shopee_final = {x.order: x for x in shopee_1 + shopee_2}  # the later export wins
    shopee_total = sum(x.counted("Selesai") for x in shopee_final.values())

    # Tokopedia (2020).
    tokopedia = []
    for i in range(15):
        name, sku, price = _pick(rng)
        status = "Pesanan Dibatalkan" if i % 6 == 4 else "Pesanan Selesai"
        when = _moment(rng, date(2020, 1, 2), date(2020, 3, 9))
        tokopedia.append(Line(f"INV/2020{i:04d}/XX/TKP", status, when, name, sku, rng.randint(1, 3), price))
    tokopedia_total = sum(x.counted("Pesanan Selesai") for x in tokopedia)

    # Bukalapak (historical, 2019), with the last order making the total exactly Rp129.000.000,
    # counting what other builders (web orders) recorded for the regency up to that day.
    bukalapak: list[Line] = []
    total = shopee_total + tokopedia_total
    i = 0
    while True:
        name, sku, price = _pick(rng)
        quantity = rng.randint(1, 6) * (5 if price < 60_000 else 1)
        status = "Dibatalkan" if i % 9 == 8 else "Selesai"
        line = Line(
            f"BL19{i:05d}", status, _moment(rng, date(2019, 1, 2), date(2019, 12, 20)), name, sku, quantity, price
        )
        value = line.counted("Selesai")
        if total + value > TARGET - BALANCE_ROOM:
            break
        bukalapak.append(line)
        total += value
        i += 1
    # The one line that depends on what else is in the ledger: same order number, so it is updated.
    total += offline_total + _others()
    if total >= TARGET:
        ctx.stdout.write("  omzet: ledger 33.03 already above Rp129.000.000; no balancing line")
    bukalapak.append(
        Line(
            "BL1900999",
            "Selesai",
            datetime(2019, 12, 23, 10, 0, tzinfo=WIB),
            "Paket hampers akhir tahun (korporat)",
            "",
            1,
            max(TARGET - total, 0),
        )
    )

    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        files = [
            (
                "bukalapak",
                _write(
                    base / "bukalapak-2019.csv",
                    list(FORMATS["bukalapak"].columns),
                    [
                        [
                            x.order,
                            x.when.strftime("%d/%m/%Y %H:%M"),
                            x.status,
                            x.name,
                            x.sku,
                            x.quantity,
                            x.price,
                            10000,
                            "",
                        ]
                        for x in bukalapak
                    ],
                ),
            ),
            ("shopee", _write(base / "shopee-1.csv", list(FORMATS["shopee"].columns), _shopee_rows(shopee_1))),
            ("shopee", _write(base / "shopee-2.csv", list(FORMATS["shopee"].columns), _shopee_rows(shopee_2))),
            (
                "tokopedia",
                _write(
                    base / "tokopedia-2020.csv",
                    list(FORMATS["tokopedia"].columns),
                    [
                        [
                            x.order,
                            x.when.strftime("%Y-%m-%d %H:%M"),
                            x.status,
                            x.name,
                            x.sku,
                            x.quantity,
                            f"{x.price}.0",
                            0,
                            "",
                        ]
                        for x in tokopedia
                    ],
                ),
            ),
        ]
        for channel, path in files:
            result = run_import(
                kind="penjualan", path=path, options={"channel": channel, "regency": REGENCY}, actor=actor
            )
            ctx.stdout.write(f"  omzet {path.name}: {result.summary}")

    if not variants:
        return
    _map_products(variants, actor)
    for channel, day, office, items in offline:
        marker = f"Data demo {channel} {day.isoformat()}"
        if OfflineSale.objects.filter(regency_id=REGENCY, note=marker).exists():
            continue
        offline_sale_record(
            regency_code=REGENCY,
            channel_code=channel,
            sale_date=day,
            items=[
                SaleItem(variants[idx % len(variants)], quantity, unit_price=price) for idx, quantity, price in items
            ],
            office_name=office,
            note=marker,
            actor=actor,
        )
