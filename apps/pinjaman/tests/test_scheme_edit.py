"""An edit that moves subsidy days (a scheme's subsidy settings, the bank's collectibility table) never leaves a
page with figures of the old settings: few loans are recomputed within the edit, many are marked pending (read
from their transactions meanwhile, pages say "sedang dihitung ulang") until the job recomputes them; draft
claims follow the edit at once."""

from datetime import date

import pytest
from django.urls import reverse

from apps.jobs.models import Job
from apps.jobs.services import job_run_pending
from apps.pinjaman import selectors
from apps.pinjaman.models import Bank, CollectibilityBand, CollectibilityTable, Scheme, SubsidySegment
from apps.pinjaman.services import claim_create, segments_recompute, subsidy_days_refresh
from apps.pinjaman.services import loans as loan_services
from apps.pinjaman.services.claims import claim_lines_for
from apps.pinjaman.tests.factories import import_file
from apps.pinjaman.tests.test_import_kpi import _dataset, _write_files

pytestmark = pytest.mark.django_db
YEAR, AS_OF = 2020, date(2020, 12, 31)
QUERY = {"wilayah": "33.03", "tahun": "2020", "per": "2020-12-31"}


@pytest.fixture
def imported(tmp_path):
    loans, rejected, payments, write_offs = _dataset()
    files = _write_files(tmp_path, loans, rejected, payments, write_offs)
    for kind, path in zip(("pinjaman", "angsuran", "hapus_buku"), files, strict=True):
        import_file(kind, path)


def _stored():
    return sorted(SubsidySegment.objects.values_list("loan_id", "start_on", "end_on", "baki"))


def _fresh():
    """The subsidy days as they should be now, recomputed from scratch (the stored rows put back after)."""
    before = _stored()
    loan_ids = sorted({row[0] for row in before} | set(selectors.regency_loans(["33.03"]).values_list("pk", flat=True)))
    segments_recompute(loan_ids=loan_ids)
    fresh = _stored()
    SubsidySegment.objects.all().delete()
    SubsidySegment.objects.bulk_create(
        [SubsidySegment(loan_id=a, start_on=b, end_on=c, baki=d) for a, b, c, d in before]
    )
    return fresh


def _subsidy():
    loans = selectors.regency_loans(["33.03"])
    return sum(selectors.loan_month_subsidies(loans, date(YEAR, 1, 1), AS_OF).values())


def _walked():
    loans = selectors.regency_loans(["33.03"])
    return sum(selectors._walked_month_subsidies(loans, date(YEAR, 1, 1), AS_OF).values())


def _more_subsidy_days():
    """Edit both schemes: subsidy also after the last due date and on macet days (more subsidy in 2020)."""
    Scheme.objects.filter(code__in=["MAWAR-2019", "MAWAR-2020"]).update(
        subsidy_stops_after_last_due=False, subsidy_excludes_macet=False
    )
    return list(Scheme.objects.filter(code__in=["MAWAR-2019", "MAWAR-2020"]).values_list("pk", flat=True))


def test_few_loans_recomputed_within_the_edit(imported, operator):
    before = _subsidy()
    scheme_ids = _more_subsidy_days()
    assert subsidy_days_refresh(scheme_ids=scheme_ids, actor=operator) is None
    assert _stored() == _fresh()
    assert not Scheme.objects.filter(subsidy_days_pending_since__isnull=False).exists()
    assert _subsidy() == _walked() > before
    assert not Job.objects.filter(kind="pinjaman.segments").exists()


def test_many_loans_marked_pending_read_live_until_the_job_recomputes(
    imported, operator, make_user, client, monkeypatch
):
    monkeypatch.setattr(loan_services, "INLINE_SUBSIDY_DAYS_LOANS", 0)
    bank = Bank.objects.get(schemes__code="MAWAR-2020")
    claim = claim_create(bank=bank, year=2020, month=11, actor=operator)
    stale_total = claim.total
    before = _subsidy()
    scheme_ids = _more_subsidy_days()
    job = subsidy_days_refresh(scheme_ids=scheme_ids, actor=operator)
    assert job is not None and job.kind == "pinjaman.segments"
    assert Scheme.objects.filter(subsidy_days_pending_since__isnull=False).count() == 2
    # no figure of the old settings anywhere: the figures walk the pending schemes' loans ...
    assert _subsidy() == _walked() > before
    # ... and the draft claim was recomputed within the edit
    claim.refresh_from_db()
    assert claim.total == sum(line.amount for line in claim_lines_for(bank=bank, year=2020, month=11,
                                                                        exclude_claim=claim))  # fmt: skip
    assert claim.total > stale_total
    pimpinan = make_user("bupati", role="pimpinan", regions=["33.03"])
    client.force_login(pimpinan)
    page = client.get(reverse("reports:page"), QUERY)
    section = next(s for s in page.context["sections"] if s.key == "pinjaman")
    nilai = next(t for t in section.tables if t.key == "kredit_mawar_nilai")
    assert nilai.title.startswith("Nilai Kredit Mawar (subsidi bunga sedang dihitung ulang")
    assert nilai.rows[3].values == (_walked(),)
    client.force_login(operator)
    assert "sedang dihitung ulang" in client.get(reverse("pinjaman:claim", args=[claim.pk])).content.decode()

    assert job_run_pending() == 1
    assert not Scheme.objects.filter(subsidy_days_pending_since__isnull=False).exists()
    assert _stored() == _fresh()
    assert _subsidy() == _walked()
    assert "sedang dihitung ulang" not in client.get(reverse("pinjaman:claim", args=[claim.pk])).content.decode()


def test_an_edit_during_the_job_keeps_the_mark_for_its_own_job(imported, operator, monkeypatch):
    monkeypatch.setattr(loan_services, "INLINE_SUBSIDY_DAYS_LOANS", 0)
    scheme_ids = _more_subsidy_days()
    subsidy_days_refresh(scheme_ids=scheme_ids, actor=operator)
    # a second, small edit while the first is pending also waits for a job (no mixing with the queued one)
    assert subsidy_days_refresh(scheme_ids=scheme_ids[:1], actor=operator) is not None
    assert job_run_pending() == 2
    assert not Scheme.objects.filter(subsidy_days_pending_since__isnull=False).exists()
    assert _stored() == _fresh()


def test_admin_switching_the_bank_collectibility_table_recomputes_at_once(imported, client, admin_user):
    """A stricter table (macet from 31 days past due) takes the macet days out of the subsidy at once."""
    strict = CollectibilityTable.objects.create(name="Ketat", basis="uji")
    for kol, low, high in ((1, 0, 0), (2, 1, 10), (3, 11, 20), (4, 21, 30), (5, 31, None)):
        CollectibilityBand.objects.create(table=strict, kolektibilitas=kol, label=str(kol), min_days=low, max_days=high)
    bank = Bank.objects.get(schemes__code="MAWAR-2019")
    before = _subsidy()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:pinjaman_bank_change", args=[bank.pk]),
        {
            "code": bank.code,
            "name": bank.name,
            "regency": bank.regency_id,
            "collectibility_table": strict.pk,
            "address": bank.address,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _stored() == _fresh()
    assert _subsidy() == _walked() < before
