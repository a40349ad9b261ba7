"""Koperasi Award services: eligibility with reasons, nominations, judging with recusal, approval and
freezing. The calculation itself is tested as hand tables in test_award_rules."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.audit.models import AuditEntry
from apps.koperasi.tests.factories import make_koperasi, make_laporan
from apps.pengembangan.models import AwardScore, Nomination
from apps.pengembangan.selectors.award import calculation, eligibility
from apps.pengembangan.services import award as svc
from apps.pengembangan.tests.award_factories import healthy, make_category, unhealthy

pytestmark = pytest.mark.django_db


@pytest.fixture
def judges(make_user):
    return [make_user(f"juri{i}", role="juri", first_name=f"Juri {i}") for i in (1, 2)]


def test_eligibility_with_the_reason_for_every_excluded_cooperative(operator):
    healthy("KSP Layak")
    old = make_koperasi(nama="KSP Tidur")
    make_laporan(old, 2019, date(2020, 3, 1))
    unhealthy("KSP Lemah")
    never = make_koperasi(nama="KSP Belum Dinilai")
    make_laporan(never, 2024, date(2025, 3, 1))
    healthy("Kop Produsen Tani", jenis="produsen")
    healthy("KSP RAT Tahun Lalu", rat=date(2024, 3, 1))
    make_koperasi(nama="KSP Bubar", tanggal_pembubaran=date(2020, 1, 1))
    make_koperasi(nama="KSP Banyumas", regency="33.02", district="33.02.01", village=None)
    category = make_category(actor=operator)
    got = {r.koperasi.nama: (r.eligible, r.reasons) for r in eligibility(category)}
    assert got == {
        "KSP Layak": (True, []),
        "KSP Tidur": (
            False,
            [
                "tidak aktif pada 1 November 2025 (RAT terakhir: 1 Maret 2020)",
                "belum pernah dinilai kesehatannya (sampai tahun buku 2025)",
                "tidak mengadakan RAT pada tahun 2025",
            ],
        ),
        "KSP Lemah": (False, ["predikat kesehatan terakhir Dalam Pengawasan Khusus (tahun buku 2024)"]),
        "KSP Belum Dinilai": (False, ["belum pernah dinilai kesehatannya (sampai tahun buku 2025)"]),
        "Kop Produsen Tani": (False, ["jenis Koperasi produsen tidak termasuk kategori ini"]),
        "KSP RAT Tahun Lalu": (False, ["tidak mengadakan RAT pada tahun 2025"]),
    }


def test_only_eligible_cooperatives_are_nominated(operator):
    ok = healthy("KSP Layak")
    weak = unhealthy("KSP Lemah")
    category = make_category(actor=operator)
    svc.nomination_create(category=category, koperasi=ok, actor=operator)
    with pytest.raises(ValidationError, match="KSP Lemah tidak memenuhi syarat: predikat kesehatan terakhir"):
        svc.nomination_create(category=category, koperasi=weak, actor=operator)
    with pytest.raises(ValidationError, match="sudah dinominasikan"):
        svc.nomination_create(category=category, koperasi=ok, actor=operator)
    assert Nomination.objects.count() == 1


def _score(nomination, judge_user, a, b):
    criteria = list(nomination.category.criteria.order_by("nomor"))
    svc.award_scores_save(
        nomination=nomination, values={criteria[0].pk: Decimal(a), criteria[1].pk: Decimal(b)}, actor=judge_user
    )


def test_judging_recusal_approval_and_freezing(operator, head, judges):
    j1, j2 = judges
    coops = [healthy(n) for n in ("KSP Alfa", "KSP Beta", "KSP Gama")]
    category = make_category(actor=operator, judges=judges)
    noms = [svc.nomination_create(category=category, koperasi=k, actor=operator) for k in coops]
    with pytest.raises(ValidationError, match="belum dimulai"):
        _score(noms[0], j1, 80, 80)
    svc.category_start_judging(category=category, actor=operator)
    with pytest.raises(ValidationError, match="Nominasi kategori ini sudah ditutup"):
        svc.nomination_create(category=category, koperasi=healthy("KSP Telat"), actor=operator)
    _score(noms[0], j1, 90, 80)
    _score(noms[1], j1, 70, 60)
    _score(noms[2], j1, 50, 50)
    _score(noms[0], j2, 60, 60)
    svc.judge_recuse(nomination=noms[0], alasan="Saudara kandung ketua koperasi", actor=j2)
    assert not AwardScore.objects.filter(nomination=noms[0], judge__user=j2).exists()
    with pytest.raises(ValidationError, match="mengundurkan diri"):
        _score(noms[0], j2, 60, 60)
    _score(noms[1], j2, 85, 85)
    with pytest.raises(ValidationError, match=r"Belum semua juri menilai semua entri: KSP Gama \(Juri 2\)"):
        svc.category_approve(category=category, actor=head)
    _score(noms[2], j2, 95, 95)
    with pytest.raises(ValidationError, match="Hanya kepala dinas"):
        svc.category_approve(category=category, actor=operator)
    svc.category_approve(category=category, actor=head)
    category.refresh_from_db()
    assert category.status == "disetujui" and category.hasil["entri"][0]["peringkat"] == 1
    ranks = dict(Nomination.objects.values_list("koperasi__nama", "peringkat"))
    assert sorted(ranks.values()) == [1, 2, 3]
    winners = Nomination.objects.exclude(kode_verifikasi="")
    assert winners.count() == 2 and all(n.peringkat <= 2 for n in winners)
    with pytest.raises(ValidationError, match="dibekukan"):
        _score(noms[1], j1, 10, 10)
    with pytest.raises(ValidationError, match="dibekukan"):
        svc.panel_decision_record(nomination=noms[1], urutan_panel=1, catatan="x", actor=operator)
    assert calculation(category) == category.hasil  # read back frozen, not recomputed
    assert AuditEntry.objects.filter(action="award_kategori.approve").count() == 1


def test_non_judge_cannot_score(operator, judges, make_user):
    k = healthy("KSP Alfa")
    category = make_category(actor=operator, judges=judges[:1])
    n = svc.nomination_create(category=category, koperasi=k, actor=operator)
    svc.category_start_judging(category=category, actor=operator)
    outsider = make_user("juri9", role="juri")
    with pytest.raises(ValidationError, match="bukan juri"):
        _score(n, outsider, 80, 80)
    assert not AwardScore.objects.exists()


def test_tie_at_a_winning_rank_needs_the_panel(operator, head, judges):
    a, b = healthy("KSP Alfa"), healthy("KSP Beta")  # same figures: the same health score
    category = make_category(actor=operator, judges=judges[:1], tie_breaks=["objektif", "panel"], jumlah_pemenang=1)
    na = svc.nomination_create(category=category, koperasi=a, actor=operator)
    nb = svc.nomination_create(category=category, koperasi=b, actor=operator)
    svc.category_start_judging(category=category, actor=operator)
    _score(na, judges[0], 80, 80)
    _score(nb, judges[0], 80, 80)
    with pytest.raises(ValidationError, match="Masih seri di peringkat pemenang"):
        svc.category_approve(category=category, actor=head)
    svc.panel_decision_record(nomination=nb, urutan_panel=1, catatan="Rapat panel 5 Des", actor=operator)
    svc.panel_decision_record(nomination=na, urutan_panel=2, catatan="Rapat panel 5 Des", actor=operator)
    svc.category_approve(category=category, actor=head)
    assert dict(Nomination.objects.values_list("koperasi__nama", "peringkat")) == {"KSP Beta": 1, "KSP Alfa": 2}
