"""The breakdowns behind the report section: they add up to the `uji_kompetensi` figures, and the
award summary counts the approved categories' entries and winners."""

from datetime import date
from decimal import Decimal

import pytest

from apps.koperasi.tests.factories import make_koperasi
from apps.pengembangan.models import Result
from apps.pengembangan.selectors.award import award_records, award_summary
from apps.pengembangan.selectors.ujikom import ujikom_breakdown, ujikom_kpi, ujikom_records_filtered
from apps.pengembangan.services import award as award_svc
from apps.pengembangan.tests.award_factories import healthy, make_category
from apps.pengembangan.tests.factories import make_manager

pytestmark = pytest.mark.django_db


def result(manager, tanggal, kompeten):
    Result.objects.create(
        manager=manager,
        tanggal_uji=tanggal,
        jabatan=manager.jabatan,
        kompeten=kompeten,
        sumber="impor",
        berlaku_sampai=date(2030, 1, 1) if kompeten else None,
    )


def test_breakdowns_add_up_to_the_figures():
    ksp = make_koperasi(jenis="KSP", district="33.03.01")
    produsen = make_koperasi(jenis="produsen", district="33.03.02", village="33.03.02.2001")
    tanpa = make_koperasi(jenis="KSP", district=None, village=None)
    a, b, c, d = make_manager(ksp), make_manager(ksp), make_manager(produsen), make_manager(tanpa)
    result(a, date(2019, 2, 1), False)
    result(a, date(2019, 8, 1), True)  # one manager, two results: counted once, kompeten
    result(b, date(2019, 3, 1), False)
    result(c, date(2019, 4, 1), True)
    result(d, date(2019, 5, 1), True)
    result(d, date(2018, 5, 1), True)  # another year
    assert ujikom_kpi(regency_codes=["33.03"], year=2019, as_of=date(2020, 3, 9))["uji_kompetensi"] == {
        "peserta": 4,
        "kompeten": 3,
    }
    by_district = ujikom_breakdown(regency_codes=["33.03"], year=2019, field="district_id")
    assert by_district == {
        "33.03.01": {"peserta": 2, "kompeten": 1},
        "33.03.02": {"peserta": 1, "kompeten": 1},
        "": {"peserta": 1, "kompeten": 1},
    }
    by_jenis = ujikom_breakdown(regency_codes=["33.03"], year=2019, field="jenis")
    assert by_jenis == {"KSP": {"peserta": 3, "kompeten": 2}, "produsen": {"peserta": 1, "kompeten": 1}}
    assert [
        m.pk
        for m in ujikom_records_filtered(
            regency_codes=["33.03"], year=2019, kompeten_only=True, field="district_id", value="33.03.01"
        )
    ] == [a.pk]
    assert [
        m.pk
        for m in ujikom_records_filtered(
            regency_codes=["33.03"], year=2019, kompeten_only=False, field="district_id", value=None
        )
    ] == [d.pk]


def test_award_summary_counts_approved_categories_only(operator, head, make_user):
    juri = make_user("juri1", role="juri")
    approved = make_category(actor=operator, judges=[juri], jumlah_pemenang=1)
    draft = make_category(actor=operator, judges=[juri], nama="Kategori Draf")
    crit = list(approved.criteria.order_by("nomor"))
    noms = [
        award_svc.nomination_create(category=approved, koperasi=healthy(f"KSP {i}"), actor=operator) for i in range(3)
    ]
    award_svc.nomination_create(category=draft, koperasi=healthy("KSP Draf"), actor=operator)
    award_svc.category_start_judging(category=approved, actor=operator)
    for i, n in enumerate(noms):
        award_svc.award_scores_save(
            nomination=n, values={crit[0].pk: Decimal(60 + i), crit[1].pk: Decimal(60)}, actor=juri
        )
    award_svc.category_approve(category=approved, actor=head)
    assert award_summary(regency_codes=["33.03"], year=2025) == [
        {"key": str(approved.pk), "label": "Koperasi Simpan Pinjam Terbaik", "nominasi": 3, "pemenang": 1}
    ]
    assert award_summary(regency_codes=["33.02"], year=2025) == []
    winners = award_records(regency_codes=["33.03"], year=2025, winners_only=True)
    assert [(n.koperasi.nama, n.peringkat) for n in winners] == [("KSP 2", 1)]
