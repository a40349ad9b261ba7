"""Test data for consignment: a showroom and a warehouse in Purbalingga, and receipts from a seller."""

from datetime import date
from decimal import Decimal

from apps.core.actors import COMMAND_LINE
from apps.konsinyasi.models import Location, LocationKind
from apps.konsinyasi.services import ReceiptItem, location_create, receipt_create
from apps.orders.tests.factories import make_seller, make_variant

__all__ = ["make_location", "make_seller", "make_variant", "receive"]


def make_location(
    *, name="Showroom Purbalingga", kind=LocationKind.SHOWROOM, regency="33.03", shared=False
) -> Location:
    return location_create(regency_code=regency, name=name, kind=kind, actor=COMMAND_LINE, shares_online_stock=shared)


def receive(
    location,
    variant,
    quantity,
    *,
    price=None,
    titip=None,
    percent=None,
    expires_on=None,
    shared=False,
    on=date(2026, 11, 2),
):
    """One receipt of one line; default terms: harga titip of 80% of the price."""
    price = variant.price if price is None else price
    if titip is None and percent is None:
        titip = price * 8 // 10
    receipt = receipt_create(
        location=location,
        seller=variant.product.seller,
        received_on=on,
        items=[
            ReceiptItem(
                variant=variant,
                quantity=quantity,
                selling_price=price,
                consignment_price=titip,
                commission_percent=Decimal(percent) if percent is not None else None,
                expires_on=expires_on,
                shares_online_stock=shared,
            )
        ],
        actor=COMMAND_LINE,
    )
    return receipt.lines.get()
