"""Demo consignment for Purbalingga (33.03), made through the services: a showroom and a warehouse,
receipts from three demo sellers (harga titip and commission-percent terms, one food lot that expires
soon), a transfer from the warehouse, a few quick sales last week and that day's closing. Idempotent: a
location that exists is left as it is. Its sales are dated in the last days, long after the omzet demo's
figure date (2020-03-09), so that figure is unchanged."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from apps.core.formatting import WIB, today_wib
from apps.konsinyasi.models import Location, LocationKind
from apps.konsinyasi.selectors import day_figures
from apps.konsinyasi.services import (
    CartItem,
    ReceiptItem,
    day_close,
    location_create,
    receipt_create,
    sale_create,
    transfer_create,
)
from apps.store.models import Seller, SellerStatus, Variant

REGENCY = "33.03"
SHOWROOM = "Showroom Tuka-Tuku Purbalingga"
WAREHOUSE = "Gudang Tuka-Tuku Kalimanah"


def build(ctx: Any) -> None:
    if Location.objects.filter(regency_id=REGENCY, name=SHOWROOM).exists():
        return
    actor = ctx.get("users", {}).get("operator")
    sellers = [
        s
        for s in Seller.objects.filter(regency_id=REGENCY, status=SellerStatus.VERIFIED).order_by("pk")[:10]
        if Variant.objects.filter(product__seller=s, is_active=True).exists()
    ][:3]
    if not sellers:
        return
    showroom = location_create(
        regency_code=REGENCY,
        name=SHOWROOM,
        kind=LocationKind.SHOWROOM,
        address="Jl. Jenderal Sudirman, Purbalingga",
        actor=actor,
    )
    warehouse = location_create(regency_code=REGENCY, name=WAREHOUSE, kind=LocationKind.WAREHOUSE, actor=actor)
    today = today_wib()
    received_on = today - timedelta(days=10)
    sold: list[Variant] = []
    for i, seller in enumerate(sellers):
        variants = list(Variant.objects.filter(product__seller=seller, is_active=True).order_by("pk")[:2])
        items = [
            ReceiptItem(
                variant=v,
                quantity=12,
                selling_price=v.price,
                consignment_price=v.price * 8 // 10 if i % 2 == 0 else None,
                commission_percent=None if i % 2 == 0 else Decimal("15"),
                expires_on=today + timedelta(days=20 + 40 * j) if i == 0 else None,
            )
            for j, v in enumerate(variants)
        ]
        receipt_create(
            location=showroom, seller=seller, received_on=received_on, items=items, actor=actor, note="Titipan awal"
        )
        stored = receipt_create(
            location=warehouse,
            seller=seller,
            received_on=received_on,
            items=[
                ReceiptItem(
                    variant=variants[0],
                    quantity=24,
                    selling_price=variants[0].price,
                    consignment_price=variants[0].price * 8 // 10,
                )
            ],
            actor=actor,
        )
        if i == 0:
            transfer_create(
                source=warehouse, target=showroom, items=[(stored.lines.get(), 6)], actor=actor, note="Isi rak"
            )
        sold.extend(variants)
    day = today - timedelta(days=3)
    for n, (variant, quantity, method) in enumerate(
        [(sold[0], 2, "tunai"), (sold[-1], 1, "qris"), (sold[1 % len(sold)], 3, "tunai")]
    ):
        at = datetime.combine(day, time(10 + n, 15), tzinfo=WIB)
        total = variant.price * quantity
        sale_create(
            location=showroom,
            items=[CartItem(variant, quantity)],
            method=method,
            cash_given=((total // 50_000) + 1) * 50_000 if method == "tunai" else None,
            qris_confirmed=method == "qris",
            sold_at=at,
            actor=actor,
        )

    cash = day_figures(location=showroom, day=day)["cash"]
    day_close(location=showroom, day=day, counted_cash=cash, actor=actor)
