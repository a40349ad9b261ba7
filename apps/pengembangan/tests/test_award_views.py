"""Koperasi Award pages: access per role, judges' scoring page, the calculation shown line by line,
approval by the department head only, charters, the public winners page."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.pengembangan.models import AwardScore, Category
from apps.pengembangan.services import award as svc
from apps.pengembangan.tests.award_factories import healthy, make_category

pytestmark = pytest.mark.django_db


@pytest.fixture
def juri(make_user):
    return make_user("juri1", role="juri", first_name="Juri Satu")


@pytest.fixture
def juri2(make_user):
    return make_user("juri2", role="juri", first_name="Juri Dua")


@pytest.fixture
def other_juri(make_user):
    return make_user("juri9", role="juri")


@pytest.fixture
def pengurus(make_user):
    return make_user("pengurus1", role="pengurus_koperasi")


@pytest.fixture
def judged(operator, juri, juri2):
    """Three entries judged by two judges; juri2 recused from Alfa."""
    category = make_category(actor=operator, judges=[juri, juri2])
    noms = [
        svc.nomination_create(category=category, koperasi=healthy(n), actor=operator)
        for n in ("KSP Alfa", "KSP Beta", "KSP Gama")
    ]
    svc.category_start_judging(category=category, actor=operator)
    crit = list(category.criteria.order_by("nomor"))

    def score(n, user, a, b):
        svc.award_scores_save(nomination=n, values={crit[0].pk: Decimal(a), crit[1].pk: Decimal(b)}, actor=user)

    score(noms[0], juri, 90, 80)
    score(noms[1], juri, 70, 60)
    score(noms[2], juri, 50, 50)
    svc.judge_recuse(nomination=noms[0], alasan="Kerabat pengurus", actor=juri2)
    score(noms[1], juri2, 85, 85)
    score(noms[2], juri2, 95, 95)
    return category, noms


def who(request, name):
    return None if name == "anonymous" else request.getfixturevalue(name)


CATEGORY_PAGE = [
    ("anonymous", 302),
    ("buyer", 403),
    ("pengurus", 403),
    ("other_operator", 404),
    ("other_juri", 404),
    ("juri", 200),
    ("operator", 200),
    ("head", 200),
]


@pytest.mark.parametrize(("name", "status"), CATEGORY_PAGE)
def test_category_page_access(client, request, judged, name, status):
    category, _noms = judged
    user = who(request, name)
    if user:
        client.force_login(user)
    assert client.get(reverse("pengembangan:award_category", args=[category.pk])).status_code == status


SCORE_POST = [("anonymous", 302), ("other_juri", 404), ("operator", 404), ("juri", 302)]


@pytest.mark.parametrize(("name", "status"), SCORE_POST)
def test_scoring_access_and_nothing_changes_when_refused(client, request, judged, name, status):
    category, noms = judged
    user = who(request, name)
    if user:
        client.force_login(user)
    crit = list(category.criteria.order_by("nomor"))
    before = list(AwardScore.objects.order_by("pk").values_list("nilai", flat=True))
    response = client.post(
        reverse("pengembangan:award_score", args=[noms[2].pk]),
        {"aksi": "nilai", f"c{crit[0].pk}": "10", f"c{crit[1].pk}": "10"},
    )
    assert response.status_code == status
    after = list(AwardScore.objects.order_by("pk").values_list("nilai", flat=True))
    assert (after != before) == (name == "juri")


def test_approval_only_by_the_head(client, judged, operator, head):
    category, _noms = judged
    url = reverse("pengembangan:award_approve", args=[category.pk])
    client.force_login(operator)
    assert client.post(url).status_code == 403
    category.refresh_from_db()
    assert category.status == "penjurian"
    client.force_login(head)
    client.post(url)
    category.refresh_from_db()
    assert category.status == "disetujui"


def test_entry_calculation_shown_line_by_line(client, judged, operator):
    category, noms = judged
    client.force_login(operator)
    page = client.get(reverse("pengembangan:award_entry", args=[noms[2].pk])).content.decode()
    # Gama: juri1 total 50 (mean of 86, 66, 50 = 67,3333; sd √(650,6667 / 3) = 14,7271 → z −1,1770 → 76,4607);
    # juri2 total 95 (mean 90, sd 5 → z 1 → 120).
    assert "mengundurkan diri" not in page.split('data-testid="mentah"')[1].split("</table>")[0]
    assert "50,0000" in page and "95,0000" in page
    assert "67,3333" in page and "14,7271" in page and "-1,1770" in page and "76,4607" in page
    assert "120,0000" in page
    assert 'data-testid="peringkat-entri">' in page
    alfa = client.get(reverse("pengembangan:award_entry", args=[noms[0].pk])).content.decode()
    assert "mengundurkan diri" in alfa


def test_winners_page_public_after_approval_and_charter(client, judged, head):
    category, _noms = judged
    url = reverse("pengembangan:award_winners_year", args=[2025])
    assert "KSP" not in client.get(url).content.decode()  # nothing before approval
    svc.category_approve(category=category, actor=head)
    page = client.get(url).content.decode()  # anonymous
    assert "Koperasi Simpan Pinjam Terbaik" in page
    winners = category.nominations.filter(peringkat__lte=2).order_by("peringkat")
    for n in winners:
        assert n.koperasi.nama in page
    loser = category.nominations.get(peringkat=3)
    assert loser.koperasi.nama not in page
    first = winners[0]
    verify = client.get(reverse("pengembangan:verifikasi_piagam", args=[first.kode_verifikasi])).content.decode()
    assert "Piagam asli" in verify and first.koperasi.nama in verify
    client.force_login(head)
    pdf = client.get(reverse("pengembangan:award_certificate", args=[first.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_winners_page_queries_constant(client, operator, head, juri):
    def approved_category(name):
        category = make_category(actor=operator, judges=[juri], nama=name)
        crit = list(category.criteria.order_by("nomor"))
        noms = [
            svc.nomination_create(category=category, koperasi=healthy(f"{name} {i}"), actor=operator) for i in range(3)
        ]
        svc.category_start_judging(category=category, actor=operator)
        for i, n in enumerate(noms):
            svc.award_scores_save(
                nomination=n, values={crit[0].pk: Decimal(50 + i), crit[1].pk: Decimal(50)}, actor=juri
            )
        svc.category_approve(category=category, actor=head)

    url = reverse("pengembangan:award_winners_year", args=[2025])
    approved_category("Kategori A")
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    approved_category("Kategori B")
    approved_category("Kategori C")
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert Category.objects.filter(status="disetujui").count() == 3
    assert len(second) == len(first)
