"""How many queries each main page makes (issue #19): a table of pages per role over seeded data of a
realistic size, so that an N+1 (a query per product, order, business or cooperative listed) fails here
instead of in a benchmark months later. Times stay in bench/; this counts only.

Each bound is today's count on a cache miss plus a small margin. A page over its bound fails with its
count and the repeated statements; a page far below it may lower its bound.
"""

import re
from collections import Counter
from datetime import date, timedelta
from pprint import pformat

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.koperasi.models import Koperasi
from apps.koperasi.services import assessments_recompute
from apps.koperasi.tests.factories import ZERO_FIGURES, make_koperasi, make_laporan
from apps.orders.models import Order, OrderStatus, Payment, PaymentStatus
from apps.orders.services.fulfilment import order_complete, order_process
from apps.orders.services.payments import payment_verify
from apps.orders.tests.factories import make_variant, place
from apps.pinjaman.tests.factories import PINJAMAN_HEADER, bank_officer, import_file, loan_row, write_csv
from apps.program.models import Kind, Participant, Programme, Session
from apps.program.services import participant_register
from apps.regions.models import Level, Region
from apps.store.models import SellerMember, SellerRole
from apps.store.tests.conftest import forget_store_caches
from apps.store.tests.factories import make_category, make_product, make_seller
from apps.umkm.models import Business
from apps.umkm.tests.factories import business_make

pytestmark = pytest.mark.django_db

PRODUCTS = 30  # over 5 shops, two variants each
ORDERS = 20  # by one account holder, in every state of the flow
BUSINESSES = 30  # registry businesses with two yearly records (plus the shops' own)
COOPERATIVES = 15  # with accepted reports and assessments for two book years
LOANS = 10
REPORT = {"wilayah": "33.03", "tahun": "2019", "per": "2019-12-31"}

# (who, page name, args or a key of the seeded objects, query string, the most queries allowed: a number,
# or one per database where the page reads differently on each)
PAGES = [
    # a guest on the storefront
    ("guest", "core:home", (), {}, 8),  # 6 today
    ("guest", "store:catalogue", (), {}, 8),  # 6 today
    ("guest", "store:catalogue", (), {"q": "keripik"}, 9),  # 7 today
    ("guest", "store:categories", (), {}, 3),  # 1 today
    ("guest", "store:category", ("category",), {}, 8),  # 6 today
    ("guest", "store:product", ("product", "product_slug"), {}, 6),  # 4 today
    ("guest", "store:seller", ("seller_slug",), {}, 9),  # 7 today
    ("guest", "store:produk_desa", (), {}, 4),  # 2 today
    # a buyer with an account: cart, checkout, their orders
    ("buyer", "orders:cart", (), {}, 7),  # 5 today
    ("buyer", "orders:checkout_address", (), {}, 12),  # 10 today
    ("buyer", "orders:buyer_orders", (), {}, 8),  # 6 today
    ("buyer", "orders:buyer_order", ("order_number",), {}, 7),  # 5 today
    # the seller's back office
    ("seller", "store:manage_shop", ("own_shop",), {}, 10),  # 8 today
    ("seller", "orders:seller_orders", (), {}, 8),  # 6 today
    ("seller", "orders:seller_order", ("own_order_number",), {}, 7),  # 5 today
    ("seller", "omzet:seller_dashboard", ("own_shop",), {}, 11),  # 9 today
    # the department's operator
    ("operator", "core:dashboard", (), {}, 9),  # 7 today
    ("operator", "umkm:list", (), {}, 10),  # 8 today
    ("operator", "umkm:detail", ("business",), {}, 8),  # 6 today
    ("operator", "koperasi:list", (), {}, 11),  # 9 today
    ("operator", "koperasi:detail", ("koperasi",), {}, 13),  # 11 today
    ("operator", "orders:operator_orders", (), {}, 8),  # 6 today
    ("operator", "orders:transfer_queue", (), {}, 6),  # 4 today
    ("operator", "store:curation_queue", (), {}, 7),  # 5 today
    ("operator", "program:calendar", (), {}, 11),  # 9 today
    ("operator", "program:detail", ("programme",), {}, 11),  # 9 today
    # PostgreSQL reads loan positions set-based; SQLite walks each loan's timeline (pinjaman.selectors._set_based)
    ("operator", "pinjaman:desk", (), {}, {"sqlite": 48, "postgresql": 16}),  # 45 and 14 today
    ("operator", "pinjaman:loans", (), {}, 7),  # 5 today
    ("operator", "omzet:ledger", (), {}, 12),  # 10 today
    # leadership and the partner bank
    ("leader", "reports:page", (), REPORT, {"sqlite": 190, "postgresql": 125}),  # 180 and 119 today
    ("bank", "pinjaman:loans", (), {}, 8),  # 6 today
    ("bank", "pinjaman:applications", (), {}, 7),  # 5 today
]


@pytest.fixture
def seeded(settings, tmp_path, make_user):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PROTECTED_MEDIA_ROOT = tmp_path / "protected"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    users = {
        "buyer": make_user("pembeli-q", role="pembeli"),
        "seller": make_user("penjual-q", role="mitra_umkm"),
        "operator": make_user("operator-q", role="operator", regions=["33.03"]),
        "leader": make_user("bupati-q", role="pimpinan", regions=["33.03"]),
        "bank": bank_officer(make_user, username="bank-q"),
    }
    objects: dict = {}
    _shops_and_orders(users, objects)
    _registry(objects)
    _cooperatives(objects)
    _programme(users, objects)
    _loans(tmp_path)
    return users, objects


def _village(district: int) -> str:
    """A village of the kecamatan 33.03.0<district> (Purbalingga)."""
    return Region.objects.filter(level=Level.VILLAGE, code__startswith=f"33.03.{district:02d}.").first().code


def _shops_and_orders(users, objects):
    categories = [make_category("Makanan"), make_category("Kerajinan"), make_category("Minuman")]
    shops = [
        make_seller(shop_name=f"Toko Uji {i}", village=_village(i + 1), owner=users["seller"] if i == 0 else None)
        for i in range(5)
    ]
    products = [
        make_product(
            seller=shops[i % 5],
            name=f"Keripik tempe {i}" if i % 3 == 0 else f"Tas rajut {i}",
            category=categories[i % 3],
            prices=(15_000 + 1_000 * i, 25_000 + 1_000 * i),
            stock=500,
        )
        for i in range(PRODUCTS)
    ]
    variants = [make_variant(shops[i % 5], price=20_000, stock=500) for i in range(5)]
    buyer, operator = users["buyer"], users["operator"]
    payments = []
    for i in range(ORDERS):
        lines = [(variants[i % 5], 1), (variants[(i + 1) % 5], 2)]
        payments.append(place(lines, buyer=buyer, method="cod" if i % 4 == 0 else "transfer"))
    for i, payment in enumerate(payments):
        if payment.method == "transfer" and i % 2:
            Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.VERIFYING)
            payment_verify(payment=payment, actor=operator)
            for order in Order.objects.filter(payment=payment):
                order_process(order=order, actor=operator)
                if i % 3 == 0:
                    Order.objects.filter(pk=order.pk).update(status=OrderStatus.DELIVERED, delivered_at=timezone.now())
                    order_complete(order=order, actor=buyer)
    own_shop = shops[0]
    objects.update(
        category=categories[0].slug,
        product=products[0].pk,
        product_slug=products[0].slug,
        seller_slug=own_shop.slug,
        own_shop=own_shop.pk,
        order_number=Order.objects.filter(buyer=buyer).order_by("pk").first().number,
        own_order_number=Order.objects.filter(seller=own_shop).order_by("pk").first().number,
    )
    assert SellerMember.objects.filter(seller=own_shop, user=users["seller"], role=SellerRole.OWNER).exists()


def _registry(objects):
    for i in range(BUSINESSES):
        business_make(
            name=f"Usaha Registri {i}",
            village=_village(i % 9 + 1),
            sector=("gula kelapa", "kerajinan", "kuliner")[i % 3],
            years={2018: (40_000_000, 200_000_000), 2019: (60_000_000 * (1 + i % 4), 400_000_000 * (1 + i % 5))},
        )
    objects["business"] = Business.objects.order_by("-pk").first().pk


def _cooperatives(objects):
    reports = []
    for i in range(COOPERATIVES):
        koperasi = make_koperasi(jenis=("KSP", "KSU", "produsen")[i % 3], district=f"33.03.0{i % 9 + 1}", village=None)
        for year in (2018, 2019):
            reports.append(make_laporan(koperasi, year, date(year + 1, 3, 1), figures=ZERO_FIGURES, skor_manajemen=0))
    assessments_recompute(laporan_list=reports, actor=None)
    objects["koperasi"] = Koperasi.objects.order_by("pk").first().pk


def _programme(users, objects):
    start = timezone.localdate() + timedelta(days=20)
    programme = Programme.objects.create(
        regency_id="33.03",
        code="PLT-Q-001",
        kind=Kind.TRAINING,
        title="Pelatihan Foto Produk",
        start_date=start,
        end_date=start + timedelta(days=1),
        quota=10,
        place="Aula Dinas",
    )
    for number in (1, 2):
        Session.objects.create(programme=programme, number=number, date=start + timedelta(days=number - 1))
    for business in Business.objects.order_by("pk")[:15]:
        participant_register(programme=programme, business=business, actor=users["operator"])
    assert Participant.objects.filter(programme=programme).count() == 15
    objects["programme"] = programme.pk


def _loans(tmp_path):
    rows = [loan_row(f"Q{i:03d}", 700 + i, f"2019-0{i % 9 + 1}-10", "1.500.000") for i in range(LOANS)]
    import_file("pinjaman", write_csv(tmp_path / "pinjaman.csv", PINJAMAN_HEADER, rows))


def _count(client, url, query):
    """Queries of one request on a cold cache (the storefront's cached fragments are computed)."""
    cache.clear()
    forget_store_caches()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, query)
    return response.status_code, len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def test_pages_stay_within_their_query_bound(client, seeded):
    """One table over the main pages of every role; every page over its bound is reported at once."""
    users, objects = seeded
    over, counts = {}, {}
    for who in ("guest", "buyer", "seller", "operator", "leader", "bank"):
        client.logout()
        if who != "guest":
            client.force_login(users[who])
        if who == "buyer":  # a cart with lines of two shops, for the cart and checkout pages
            variants = Order.objects.filter(buyer=users["buyer"]).values_list("lines__variant_id", flat=True)[:3]
            for variant_id in variants:
                client.post(reverse("orders:cart_add"), {"variant": variant_id, "quantity": 1})
        for role, name, args, query, bound in PAGES:
            if role != who:
                continue
            if isinstance(bound, dict):
                bound = bound[connection.vendor]
            url = reverse(name, args=[objects[a] for a in args])
            status, n, statements = _count(client, url, query)
            counts[f"{who} {name} {query or ''}".strip()] = n
            if status != 200:
                over[f"{who} {url}"] = {"status": status}
            elif n > bound:
                shapes = Counter(re.sub(r"\b\d+\b|'[^']*'", "?", sql) for sql in statements)
                repeated = [(count, sql[:200]) for sql, count in shapes.most_common(3) if count > 1]
                over[f"{who} {url}"] = {"queries": n, "bound": bound, "repeated": repeated}
    print("\n".join(f"{n:4d}  {page}" for page, n in counts.items()))
    if over:  # pytest.fail: an assertion message would be shortened in the middle
        pytest.fail("Pages over their query bound (or not answering 200):\n" + pformat(over, width=120))
