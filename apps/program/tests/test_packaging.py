"""Packaging aid (SPEC §10): weighted scores, ranking ties, selection within quota and budget, recusal,
delivery with BAST, and the before/after photos on the store product's page."""

import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from apps.core.formatting import WIB
from apps.program import packaging
from apps.program.models import Kind, Programme
from apps.program.rules import RankEntry, rank, suggest_selection, weighted_total
from apps.umkm.tests.factories import business_make

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 4, 1, 8, 0, tzinfo=WIB)


# -- pure rules ---------------------------------------------------------------------------------------
def test_weighted_total_is_exact():
    weights = {1: Decimal("30"), 2: Decimal("25"), 3: Decimal("25"), 4: Decimal("20")}
    assert weighted_total({1: 5, 2: 4, 3: 3, 4: 2}, weights) == Fraction(5 * 30 + 4 * 25 + 3 * 25 + 2 * 20, 100)
    assert weighted_total({1: 0, 2: 0, 3: 0, 4: 0}, weights) == 0


@pytest.mark.parametrize(
    ("tie_breaks", "expected"),
    [
        # (key, score, class rank, applied at) → order and shared ranks
        (["skor", "kelas", "waktu"], [(1, "A"), (2, "C"), (3, "B"), (4, "D"), (5, "E")]),
        (["skor", "waktu"], [(1, "A"), (2, "B"), (3, "C"), (4, "D"), (5, "E")]),
        (["skor"], [(1, "A"), (2, "B"), (2, "C"), (4, "D"), (4, "E")]),
        (["skor", "kelas"], [(1, "A"), (2, "C"), (3, "B"), (4, "D"), (4, "E")]),
    ],
)
def test_ranking_ties(tie_breaks, expected):
    entries = [
        RankEntry("A", Fraction(9, 2), 1, 1),
        RankEntry("B", Fraction(4), 1, 2),  # B and C tie on score; C is micro (smaller), B applied earlier
        RankEntry("C", Fraction(4), 0, 3),
        RankEntry("D", Fraction(3), 0, 4),  # D and E tie on score and class; D applied earlier
        RankEntry("E", Fraction(3), 0, 5),
    ]
    assert [(n, e.key) for n, e in rank(entries, tie_breaks)] == expected


@pytest.mark.parametrize(
    ("quota", "budget", "expected"),
    [
        (3, 10_000_000, ["A", "B", "C"]),
        (2, 10_000_000, ["A", "B"]),
        (3, 6_000_000, ["A", "C", "D"]),  # B (4 jt) does not fit after A (3 jt) in 6 jt; C and D do
        (None, 3_000_000, ["A"]),
        (3, None, ["A", "B", "C"]),
    ],
)
def test_selection_suggestion_within_quota_and_budget(quota, budget, expected):
    ranked = [("A", 3_000_000), ("B", 4_000_000), ("C", 2_000_000), ("D", 1_000_000)]
    assert suggest_selection(ranked, quota=quota, budget=budget) == expected


def read_and_close(response) -> bytes:
    """A protected file's streamed body, then closed as a WSGI server would (keeping the test database)."""
    body = b"".join(response.streaming_content)
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return body


# -- the flow -----------------------------------------------------------------------------------------
def photo_upload(name="kemasan.png", color="#a52"):
    out = io.BytesIO()
    Image.new("RGB", (640, 480), color).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture
def call():
    p = Programme.objects.create(
        regency_id="33.03",
        code="KMS-1",
        kind=Kind.PACKAGING,
        title="Bantuan Kemasan 2026",
        start_date=date(2026, 4, 1),
        end_date=timezone.localdate() + timedelta(days=180),  # open for the owner's page
        quota=2,
        budget=5_000_000,
    )
    packaging.criteria_set(programme=p, rows=[("Kualitas", Decimal("60")), ("Kebutuhan", Decimal("40"))], actor=None)
    return p


def apply(call, name, cost, minutes, years=None):
    business = business_make(name=name, years=years or {2025: (40_000_000, 200_000_000)})
    return packaging.application_submit(
        programme=call,
        business=business,
        product=None,
        product_name=f"Produk {name}",
        need="Standing pouch",
        quantity=500,
        estimated_cost=cost,
        photos=[photo_upload()],
        actor=None,
        source="operator",
        now=T0 + timedelta(minutes=minutes),
    )


def score(application, reviewer, criteria, values):
    review = packaging.reviewer_assign(application=application, reviewer=reviewer, actor=None)
    return packaging.review_submit(
        review=review, scores=dict(zip([c.pk for c in criteria], values, strict=True)), actor=reviewer
    )


def test_scores_ranking_selection_and_delivery(call, make_user, operator, head, client):
    r1 = make_user("penilai1", role="operator", regions=["33.03"])
    r2 = make_user("penilai2", role="operator", regions=["33.03"])
    r3 = make_user("penilai3", role="kepala_dinas", regions=["33.03"])
    criteria = list(call.criteria.all())
    # A: kecil (omzet > 300 jt in 2025), B and C micro; B and C end equal on score, C applied later
    a = apply(call, "A", 2_000_000, 1, years={2025: (600_000_000, 3_000_000_000)})
    b = apply(call, "B", 2_500_000, 2)
    c = apply(call, "C", 2_000_000, 3)
    score(a, r1, criteria, [5, 5])  # 5
    score(a, r2, criteria, [4, 4])  # 4 → mean 4.5
    score(b, r1, criteria, [4, 3])  # 3.6
    score(b, r2, criteria, [3, 4])  # 3.4 → mean 3.5
    score(c, r1, criteria, [3, 4])  # 3.4
    score(c, r2, criteria, [4, 3])  # 3.6 → mean 3.5
    # a third reviewer on C recuses: not counted
    review = packaging.reviewer_assign(application=c, reviewer=r3, actor=None)
    with pytest.raises(ValidationError, match="konflik"):
        packaging.review_recuse(review=review, reason=" ", actor=r3)
    packaging.review_recuse(review=review, reason="Saudara kandung pemilik", actor=r3)
    with pytest.raises(ValidationError, match="mengundurkan diri"):
        packaging.review_submit(review=review, scores={criteria[0].pk: 5, criteria[1].pk: 5}, actor=r3)

    rows = packaging.ranking(call)
    assert [(r.rank, r.application.product_name, r.score, r.reviews_done) for r in rows] == [
        (1, "Produk A", Fraction(9, 2), 2),
        (2, "Produk B", Fraction(7, 2), 2),  # same score and class as C, earlier application
        (3, "Produk C", Fraction(7, 2), 2),
    ]
    assert rows[0].score_text == "4,50"
    # quota 2 and budget Rp5.000.000: A (2 jt) + B (2,5 jt) fit
    assert packaging.selection_suggestion(call, rows) == [a.pk, b.pk]

    with pytest.raises(ValidationError, match="kepala dinas"):
        packaging.selection_decide(programme=call, application_ids=[a.pk], actor=operator)
    with pytest.raises(ValidationError, match="Melebihi kuota"):
        packaging.selection_decide(programme=call, application_ids=[a.pk, b.pk, c.pk], actor=head)
    call.quota = 3
    call.save()
    with pytest.raises(ValidationError, match="Melebihi pagu"):
        packaging.selection_decide(programme=call, application_ids=[a.pk, b.pk, c.pk], actor=head)
    assert packaging.selection_decide(programme=call, application_ids=[a.pk, c.pk], actor=head) == {
        "diterima": 2,
        "ditolak": 1,
    }
    a.participant.refresh_from_db()
    assert a.participant.status == "diterima"
    with pytest.raises(ValidationError, match="Seleksi sudah diputuskan"):
        score(b, r3, criteria, [5, 5])

    # delivery to A, linked to A's store product: BAST PDF, participant `diserahkan`
    from apps.store.tests.factories import make_product, make_seller

    business = a.participant.business
    seller = make_seller(business=business, shop_name="Toko A", slug="toko-a")
    product = make_product(seller=seller, name="Keripik A")
    delivery = packaging.delivery_record(
        application=a,
        design_approved_on=date(2026, 6, 1),
        quantity=500,
        vendor="CV Cetak Jaya",
        unit_cost=4_000,
        handover_date=date(2026, 7, 1),
        product=product,
        photos=[photo_upload("baru.png", "#2a5")],
        actor=operator,
    )
    assert delivery.bast_number == "BAST/KMS/33.03/2026/0001"
    assert delivery.total_cost == 2_000_000
    a.participant.refresh_from_db()
    assert a.participant.status == "diserahkan"
    client.force_login(operator)
    pdf = client.get(reverse("program:bast", args=[a.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    page = client.get(reverse("program:detail", args=[call.pk]))
    assert page.status_code == 200 and "Unduh BAST (PDF)" in page.content.decode()

    # the product's public page shows before and after; the photos are served to anyone once listed
    client.logout()
    html = client.get(reverse("store:product", args=[product.pk, product.slug])).content.decode()
    assert product.listed is True
    assert "Kemasan baru dari program bantuan kemasan" in html
    assert sorted(a.photos.values_list("kind", flat=True)) == ["sebelum", "sesudah"]
    for pk in a.photos.values_list("pk", flat=True):
        assert reverse("program:photo", args=[pk]) in html
        response = client.get(reverse("program:photo", args=[pk]))
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "public, max-age=86400"
        assert read_and_close(response)[:3] == b"\xff\xd8\xff"
    # photos of an application not delivered stay private
    b_photo = b.photos.get()
    assert client.get(reverse("program:photo", args=[b_photo.pk])).status_code == 404


def test_a_photo_must_be_an_image(call):
    fake = SimpleUploadedFile("kemasan.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="bukan gambar"):
        packaging.application_submit(
            programme=call,
            business=business_make(name="X"),
            product=None,
            product_name="X",
            need="x",
            quantity=1,
            estimated_cost=1,
            photos=[fake],
            actor=None,
            source="operator",
        )
    assert not call.participants.exists()


def test_owner_applies_on_a_phone(client, make_user, call):
    from apps.store.tests.factories import make_seller

    owner = make_user("bu-ani", role="mitra_umkm")
    seller = make_seller(shop_name="Dodol Bu Ani", owner=owner)
    client.force_login(owner)
    html = client.get(reverse("program:my_packaging")).content.decode()
    assert "Bantuan Kemasan 2026" in html
    response = client.post(
        reverse("program:my_apply", args=[call.pk]),
        {
            "product_name": "Dodol Nanas",
            "need": "Kotak karton dengan label",
            "quantity": "300",
            "estimated_cost": "1.500.000",
            "photos": [photo_upload("a.png"), photo_upload("b.png", "#333")],
        },
    )
    assert response.status_code == 302
    application = call.participants.get().application
    assert (application.estimated_cost, application.photos.count(), application.participant.business_id) == (
        1_500_000,
        2,
        seller.business_id,
    )
    # the owner sees her own photos; another owner does not
    photo = application.photos.first()
    response = client.get(reverse("program:photo", args=[photo.pk]))
    assert response.status_code == 200 and read_and_close(response)[:3] == b"\xff\xd8\xff"
    client.force_login(make_user("lain", role="mitra_umkm"))
    assert client.get(reverse("program:photo", args=[photo.pk])).status_code == 404
