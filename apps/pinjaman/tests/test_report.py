"""The report's read interface: every breakdown adds up to the figure, and records list the loans behind."""

from datetime import date

import pytest

from apps.pinjaman import report
from apps.pinjaman.tests.factories import import_file
from apps.pinjaman.tests.test_import_kpi import _dataset, _write_files

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year,as_of", [(2019, date(2020, 3, 9)), (2020, date(2020, 12, 31))])
def test_breakdowns_add_up_and_records_match(tmp_path, year, as_of):
    loans, rejected, payments, write_offs = _dataset()
    for kind, path in zip(("pinjaman", "angsuran", "hapus_buku"), _write_files(tmp_path, loans, rejected, payments,
                                                                                 write_offs), strict=True):  # fmt: skip
        import_file(kind, path)
    args = {"region": "33.03", "year": year, "as_of": as_of}
    figures = report.kpi(**args)
    for by in ("kecamatan", "skema", "bulan"):
        rows = report.breakdown(**args, by=by)
        assert sum(r["pencairan"] for r in rows) == figures["kredit_mawar_pencairan_tahun"], by
        assert sum(r["subsidi"] for r in rows) == figures["kredit_mawar_subsidi_bunga_tahun"], by
        if by != "bulan":
            assert sum(r["baki_debet"] for r in rows) == figures["kredit_mawar_baki_debet"], by
    kol = report.breakdown(**args, by="kolektibilitas")
    assert {r["key"]: r["baki_debet"] for r in kol} == figures["kredit_mawar_kolektibilitas"]
    behind = report.records(**args, figure="pencairan").queryset
    assert sum(loan.plafon for loan in behind) == figures["kredit_mawar_pencairan_tahun"]
    assert (
        len({loan.nik_hash for loan in report.records(**args, figure="debitur").queryset})
        == (figures["kredit_mawar_debitur_tahun"])
    )
    for k in "12345":
        assert report.records(**args, figure="kolektibilitas", key=k).queryset.count() == next(
            r["pinjaman"] for r in kol if r["key"] == k
        )
