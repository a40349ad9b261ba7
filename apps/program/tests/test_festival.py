"""Festivals (SPEC §10): booth allocation with categories spread, moves, check-in, and booth sales booked as
omzet on channel `festival` (so the ledger and the leadership report count them)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.program import festival
from apps.program.models import Kind, Programme
from apps.program.rules import spread_by_category
from apps.program.selectors import programme_kpi

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("applicants", "expected"),
    [
        # (key, category) in application order → the order booths are filled in
        ([(1, "A"), (2, "A"), (3, "A"), (4, "B"), (5, "B"), (6, "C")], [1, 4, 2, 5, 3, 6]),
        ([(1, "A"), (2, "B"), (3, "C")], [1, 2, 3]),
        ([(1, "A"), (2, "A"), (3, "B")], [1, 3, 2]),
        ([(1, "A"), (2, "A"), (3, "A")], [1, 2, 3]),  # one category: nothing to spread
        ([(1, "B"), (2, "A"), (3, "A"), (4, "A"), (5, "B")], [2, 1, 3, 5, 4]),
        ([], []),
    ],
)
def test_allocation_order_spreads_categories(applicants, expected):
    assert spread_by_category(applicants) == expected


def test_no_two_neighbours_share_a_category_when_avoidable():
    import random

    rng = random.Random(3)
    for _ in range(200):
        cats = [rng.choice("ABCD") for _ in range(rng.randint(1, 15))]
        order = spread_by_category(list(enumerate(cats)))
        assert sorted(order) == list(range(len(cats)))
        biggest = max(cats.count(c) for c in set(cats))
        if biggest <= (len(cats) + 1) // 2:
            assert all(cats[a] != cats[b] for a, b in zip(order, order[1:], strict=False)), cats


@pytest.fixture
def event():
    from django.utils import timezone

    today = timezone.localdate()
    return Programme.objects.create(
        regency_id="33.03",
        code="FST-1",
        kind=Kind.FESTIVAL,
        title="Festival Produk Purbalingga",
        start_date=today,
        end_date=today + __import__("datetime").timedelta(days=1),
        place="Alun-alun",
    )


def sellers_with(categories):
    from apps.store.tests.factories import make_category, make_seller

    cats = {name: make_category(name, slug=name.lower()) for name in sorted(set(categories))}
    return [(make_seller(shop_name=f"Toko {i}"), cats[c]) for i, c in enumerate(categories)]


def test_allocation_moves_checkin_and_sales_as_omzet(event, operator, client):
    from apps.omzet.models import OmzetLine
    from apps.omzet.selectors import omzet_kpi

    assert festival.booths_generate(programme=event, zones=["A"], rows=1, per_row=4, actor=operator) == 4
    assert festival.booths_generate(programme=event, zones=["A"], rows=1, per_row=4, actor=operator) == 0
    entries = [
        festival.exhibitor_apply(programme=event, seller=s, category=c, actor=operator, source="operator")
        for s, c in sellers_with(["Makanan", "Makanan", "Kerajinan", "Makanan"])
    ]
    for e in entries:
        festival.exhibitor_decide(exhibitor=e, accept=True, actor=operator)
    assert festival.booths_allocate(programme=event, actor=operator) == 4
    layout = [(b.label, b.exhibitor.category.name) for row in festival.booth_plan(event)[0]["rows"] for b in row]
    assert layout == [("A1.1", "Makanan"), ("A1.2", "Kerajinan"), ("A1.3", "Makanan"), ("A1.4", "Makanan")]
    # the operator moves Toko 3 to A1.1: the two swap
    toko3 = entries[3]
    toko3.refresh_from_db()
    first_booth = entries[0].participant.programme.booths.get(zone="A", row=1, number=1)
    festival.booth_move(exhibitor=toko3, booth=first_booth, actor=operator)
    entries[0].refresh_from_db()
    toko3.refresh_from_db()
    assert (toko3.booth.label, entries[0].booth.label) == ("A1.1", "A1.4")
    # a fifth seller: no booth left
    ((s5, c5),) = sellers_with(["Minuman"])
    late = festival.exhibitor_apply(programme=event, seller=s5, category=c5, actor=operator, source="operator")
    festival.exhibitor_decide(exhibitor=late, accept=True, actor=operator)
    with pytest.raises(ValidationError, match="Stan kurang"):
        festival.booths_allocate(programme=event, actor=operator)

    # check-in, then sales per booth per day booked as omzet on channel `festival`
    with pytest.raises(ValidationError, match="check-in"):
        festival.booth_sale_record(exhibitor=entries[0], day=event.start_date, amount=150_000, actor=operator)
    festival.exhibitor_checkin(exhibitor=entries[0], actor=operator)
    festival.exhibitor_checkin(exhibitor=entries[1], actor=operator)
    festival.booth_sale_record(exhibitor=entries[0], day=event.start_date, amount=150_000, actor=operator)
    festival.booth_sale_record(exhibitor=entries[1], day=event.start_date, amount=90_000, actor=operator)
    festival.booth_sale_record(exhibitor=entries[0], day=event.start_date, amount=175_000, actor=operator)  # corrected
    with pytest.raises(ValidationError, match="di luar hari pameran"):
        festival.booth_sale_record(exhibitor=entries[0], day=date(2000, 1, 1), amount=1, actor=operator)
    lines = OmzetLine.objects.filter(channel__code="festival").order_by("amount")
    assert [(line.amount, line.seller_id) for line in lines] == [
        (90_000, entries[1].seller_id),
        (175_000, entries[0].seller_id),
    ]
    year = event.start_date.year
    assert omzet_kpi(regency_codes=["33.03"], year=year, as_of=event.end_date)["tukatuku_omzet_tahun"] == 265_000
    assert programme_kpi(regency_codes=["33.03"], year=year, as_of=event.end_date)["program"]["festival"] == {
        "kegiatan": 1,
        "peserta": 2,
    }

    # the phone page for a day's sales takes `90.000`
    client.force_login(operator)
    page = client.get(reverse("program:festival_sales", args=[event.pk]), {"tanggal": event.end_date.isoformat()})
    assert page.status_code == 200
    client.post(
        reverse("program:festival_sales", args=[event.pk]),
        {"tanggal": event.end_date.isoformat(), f"jual_{entries[1].pk}": "90.000"},
    )
    assert OmzetLine.objects.filter(channel__code="festival").count() == 3
    html = client.get(reverse("program:detail", args=[event.pk])).content.decode()
    assert 'class="booth taken present"' in html and "A1.4" in html


def test_seller_applies_from_the_phone(client, make_user, event):
    from apps.store.tests.factories import make_category, make_seller

    owner = make_user("penjual-f", role="mitra_umkm")
    seller = make_seller(shop_name="Batik Sekar", owner=owner)
    category = make_category("Fesyen", slug="fesyen")
    client.force_login(owner)
    assert "Festival Produk Purbalingga" in client.get(reverse("program:my_festivals")).content.decode()
    client.post(reverse("program:my_festivals"), {"kegiatan": event.pk, "toko": seller.pk, "kategori": category.pk})
    exhibitor = event.participants.get().exhibitor
    assert (exhibitor.seller, exhibitor.category, exhibitor.participant.status) == (seller, category, "terdaftar")
