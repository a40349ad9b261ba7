"""Demo web-store orders for the demo buyer `pembeli`, in every stage a person wants to try: awaiting a
transfer, a proof waiting for the operator, paid, shipped with a resi, completed (its omzet in the
ledger), cash on delivery being packed, and a cancelled one.

Built through the real services (checkout, proof upload, verification, the gateway sandbox,
fulfilment), so stock, audit and omzet are as they would be. Each order carries a marker in its
note; running the builder again finds the markers and changes nothing.
"""

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.orders.gateway import sandbox
from apps.orders.models import Order, RateKind, ShippingRate
from apps.orders.selectors import shipping_options
from apps.orders.services.checkout import Recipient, WantedLine, checkout_place
from apps.orders.services.fulfilment import order_complete, order_process, order_ship
from apps.orders.services.gateway import gateway_notification_receive
from apps.orders.services.payments import payment_cancel, payment_upload_proof, payment_verify
from apps.store.models import Category, ProductStatus, SellerStatus, Variant
from apps.store.services import VariantData, product_approve, product_create, product_submit, seller_enrol
from apps.umkm.models import Business

REGENCY = "33.03"
VILLAGE = "33.03.01.2001"  # Kedungbenda, Kemangkon

# Department-wide courier rates (any seller): (destination regency or None, courier, service, kind, Rp)
DEFAULT_RATES = [
    (REGENCY, "JNE", "REG", RateKind.FLAT, 10_000),
    (None, "JNE", "REG", RateKind.FLAT, 18_000),
    (None, "POS", "Kilat Khusus", RateKind.PER_KG, 9_000),
]

# (marker, payment method, steps after checkout)
DEMO_ORDERS = [
    ("menunggu-transfer", "transfer", []),
    ("menunggu-verifikasi", "transfer", ["proof"]),
    ("dibayar", "transfer", ["proof", "verify"]),
    ("dikirim", "transfer", ["proof", "verify", "process", "ship"]),
    ("selesai", "gateway", ["settle", "process", "ship", "complete"]),
    ("cod-diproses", "cod", ["process"]),
    ("dibatalkan", "transfer", ["cancel"]),
]


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (60, 40), (230, 240, 230)).save(buf, "PNG")
    return buf.getvalue()


def _variants(seller_user: Any) -> list[Variant]:
    qs = (
        Variant.objects.filter(
            is_active=True,
            stock__gte=2,
            product__status=ProductStatus.APPROVED,
            product__seller__status=SellerStatus.VERIFIED,
            product__seller__regency_id=REGENCY,
        )
        .select_related("product__seller")
        .order_by("pk")
    )
    if seller_user is not None:
        mine = list(qs.filter(product__seller__members__user=seller_user)[:3])
        if mine:
            return mine
    return list(qs[:3])


DEMO_PRODUCTS = [
    ("Keripik Tempe Sagu", 250, [("200 g", 15_000, 40), ("500 g", 32_000, 25)]),
    ("Nopia Mino isi 10", 400, [("", 25_000, 30)]),
]


def _demo_shop(seller_user: Any, operator: Any) -> None:
    """No catalogue yet (the store has no demo builder): enrol a Purbalingga registry business as the
    `penjual` shop and list two products, through the store's own services."""

    if seller_user is None or operator is None or seller_user.seller_memberships.exists():
        return
    business = Business.objects.filter(regency_id=REGENCY, seller__isnull=True).order_by("pk").first()
    if business is None:
        return
    seller = seller_enrol(business=business, shop_name=business.name, actor=operator, owner=seller_user)
    category, _created = Category.objects.get_or_create(slug="makanan-ringan", defaults={"name": "Makanan ringan"})
    for n, (name, grams, variants) in enumerate(DEMO_PRODUCTS, start=1):
        product = product_create(
            seller=seller,
            category=category,
            name=name,
            weight_grams=grams,
            variants=[
                VariantData(name=v, sku=f"DEMO-{seller.pk}-{n}{i}", price=price, stock=stock)
                for i, (v, price, stock) in enumerate(variants, start=1)
            ],
            actor=seller_user,
        )
        product_submit(product=product, actor=seller_user)
        product_approve(product=product, actor=operator)


def build(ctx: Any) -> None:
    users = ctx.get("users", {})
    buyer, operator, seller_user = users.get("pembeli"), users.get("operator"), users.get("penjual")
    for dest, courier, service, kind, amount in DEFAULT_RATES:
        ShippingRate.objects.get_or_create(
            seller=None,
            destination_regency_id=dest,
            courier=courier,
            service=service,
            defaults={"kind": kind, "amount": amount},
        )
    variants = _variants(seller_user)
    if not variants:
        _demo_shop(seller_user, operator)
        variants = _variants(seller_user)
    if buyer is None or not variants:
        ctx.stdout.write("Pesanan demo: belum ada produk tayang di 33.03; dilewati.")
        return
    recipient = Recipient(
        name=buyer.get_full_name() or buyer.username,
        phone="081234567890",
        email=buyer.email,
        address="Jl. Raya Kemangkon No. 5, RT 01/RW 02",
        village_code=VILLAGE,
    )
    made = 0
    for n, (key, method, steps) in enumerate(DEMO_ORDERS):
        marker = f"Pesanan demo ({key})"
        if Order.objects.filter(note=marker).exists():
            continue
        variant = variants[n % len(variants)]
        if variant.stock < 1:
            variant.refresh_from_db()
            if variant.stock < 1:
                continue
        seller = variant.product.seller
        options = shipping_options(seller=seller, destination_regency_code=REGENCY, weight_grams=500)
        courier = next((o.key for o in options if o.courier), options[-1].key)
        payment = checkout_place(
            lines=[WantedLine(variant.pk, 1)],
            recipient=recipient,
            shipping={seller.pk: courier},
            method=method,
            buyer=buyer,
            actor=buyer,
            note=marker,
        )
        for step in steps:
            order = Order.objects.get(payment=payment)
            if step == "proof":
                payment_upload_proof(payment=payment, upload=SimpleUploadedFile("bukti-demo.png", _png()), actor=buyer)
            elif step == "verify":
                payment_verify(payment=payment, actor=operator)
            elif step == "settle":
                note = sandbox.notification(order_id=payment.code, amount=payment.amount, status="settlement")
                gateway_notification_receive(payload=note)
            elif step == "process":
                order_process(order=order, actor=operator)
            elif step == "ship":
                order_ship(order=order, courier="JNE", tracking_number=f"JP{payment.pk:08d}", actor=operator)
            elif step == "complete":
                order_complete(order=order, actor=buyer)
            elif step == "cancel":
                payment_cancel(payment=payment, reason="Dibatalkan pembeli (demo).", actor=buyer)
        made += 1
    ctx.stdout.write(f"Pesanan demo: {made} dibuat untuk 'pembeli' (pembayaran, pengiriman, selesai, batal).")
