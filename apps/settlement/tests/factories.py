"""Ledger lines of each collected kind, written through the omzet services as the selling apps do."""

import itertools
from datetime import date, datetime, time

from apps.core.formatting import WIB
from apps.omzet.models import OmzetLine
from apps.omzet.offline import SaleItem, offline_sale_record
from apps.omzet.services import omzet_record_return, omzet_record_sale
from apps.orders.models import Order, Payment
from apps.settlement.models import CommissionRule
from apps.settlement.services import commission_rule_save

_seq = itertools.count(1)


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=WIB)


def web_sale(variant, *, day: date, quantity: int, method: str = "transfer", number: str = "") -> OmzetLine:
    """A completed web-store order of one line paid by `method`, booked in the ledger on `day`."""
    n = next(_seq)
    number = number or f"TT-{n:04d}-1"
    seller = variant.product.seller
    amount = variant.price * quantity
    payment = Payment.objects.create(
        code=f"PAY{n:05d}",
        access_token=f"token-{n}",
        buyer_name="Siti",
        buyer_email="siti@contoh.id",
        buyer_phone="081234567890",
        method=method,
        status="cod" if method == "cod" else "dibayar",
        amount=amount,
    )
    order = Order.objects.create(
        number=number,
        payment=payment,
        seller=seller,
        regency_id=seller.regency_id,
        status="selesai",
        recipient_name="Siti",
        recipient_phone="081234567890",
        address="Jl. Raya 1",
        village_id=seller.village_id,
        shipping_method="ambil",
        goods_total=amount,
        shipping_cost=0,
        total=amount,
    )
    return omzet_record_sale(
        source_key=f"web:{order.number}:{n}",
        channel_code="web",
        regency_code=seller.regency_id,
        variant=variant,
        product_name=str(variant.product.name),
        quantity=quantity,
        amount=amount,
        counted_at=noon(day),
        actor=None,
    )


def web_return(sale: OmzetLine, *, day: date, quantity: int) -> OmzetLine:
    unit = sale.amount // sale.quantity
    return omzet_record_return(
        source_key=f"web-retur:{next(_seq)}:{sale.pk}",
        original_source_key=sale.source_key,
        quantity=quantity,
        amount=unit * quantity,
        counted_at=noon(day),
        actor=None,
    )


def showroom_sale(variant, *, day: date, quantity: int, channel: str = "showroom", actor=None):
    sale = offline_sale_record(
        regency_code=variant.product.seller.regency_id,
        channel_code=channel,
        sale_date=day,
        items=[SaleItem(variant, quantity)],
        office_name="Dinas Pariwisata" if channel == "opd" else "",
        actor=actor,
    )
    return OmzetLine.objects.get(source_key=sale.lines.get().source_key)


def festival_sale(seller, *, day: date, amount: int, booth: str = "A1") -> OmzetLine:
    return omzet_record_sale(
        source_key=f"festival:{seller.pk}{booth}:{day.isoformat()}",
        channel_code="festival",
        regency_code=seller.regency_id,
        seller=seller,
        product_name=f"Penjualan stan {booth}, Festival UMKM",
        quantity=1,
        amount=amount,
        counted_at=datetime.combine(day, time(21, 0), tzinfo=WIB),
        actor=None,
    )


def rule(*, percent_bp: int = 0, fee: int = 0, valid_from: date, channel: str = "", seller=None, regency="33.03"):
    return commission_rule_save(
        rule=CommissionRule(
            regency_id=regency,
            channel_code=channel,
            seller=seller,
            percent_bp=percent_bp,
            fee_per_unit=fee,
            valid_from=valid_from,
        ),
        actor=None,
    )
