"""The registry revision of a regency moves with every write to its registry, and only then: report
roll-ups rely on it to know what to recompute (apps/umkm/rollups.py)."""

import pytest
from django.core.management import call_command

from apps.regions.models import Level, Region
from apps.umkm.models import Business, BusinessYear
from apps.umkm.selectors import registry_revisions
from apps.umkm.services import business_update, business_year_update, registry_revision_bump
from apps.umkm.tests.factories import umkm_csv, umkm_row

pytestmark = pytest.mark.django_db
CODES = ["33.02", "33.03", "33.04"]
NIK_A, NIK_B = "3303015204850001", "3303015204850002"


def village_of(regency: str) -> str:
    return Region.objects.filter(level=Level.VILLAGE, code__startswith=regency + ".").order_by("code")[0].code


def import_rows(tmp_path, rows, name="umkm.csv") -> None:
    path = umkm_csv(tmp_path / name, rows)
    call_command("import_data", "umkm", str(path), "--quiet-progress")


def moved(before: dict[str, int]) -> set[str]:
    after = registry_revisions(regency_codes=CODES)
    return {code for code in CODES if after[code] != before[code]}


def test_a_regency_never_written_is_at_revision_zero():
    assert registry_revisions(regency_codes=["33.03", "33.74"]) == {"33.03": 0, "33.74": 0}


def test_bump_counts_each_regency_once_per_call():
    registry_revision_bump(regency_codes=["33.03", "33.03", "33.02", ""])
    registry_revision_bump(regency_codes=["33.03"])
    registry_revision_bump(regency_codes=[])
    assert registry_revisions(regency_codes=CODES) == {"33.02": 1, "33.03": 2, "33.04": 0}


# (what the second import changes, the regencies whose revision must move)
SECOND_IMPORTS = [
    ("nothing: the same file again", {}, set()),
    ("the figures of a yearly record", {"omzet_tahunan": "400000000"}, {"33.03"}),
    ("a new data year", {"tahun_data": "2020"}, {"33.03"}),
    ("the sector", {"sektor": "kerajinan"}, {"33.03"}),
    # the owner also has a business in 33.02, where the breakdown by gender changes too
    ("the owner's gender", {"jenis_kelamin": "L"}, {"33.03", "33.02"}),
    ("the village, to another regency", {"kode_wilayah": "<33.04>"}, {"33.03", "33.04"}),
]


@pytest.mark.parametrize(("label", "change", "expected"), SECOND_IMPORTS, ids=[c[0] for c in SECOND_IMPORTS])
def test_import_moves_the_revision_of_the_regencies_it_changes(tmp_path, label, change, expected):
    base = umkm_row(nik=NIK_A, nib="1234567890123")
    other = umkm_row(nik=NIK_A, nama_usaha="Warung Lain", kode_wilayah=village_of("33.02"))
    import_rows(tmp_path, [base, other], "first.csv")
    before = registry_revisions(regency_codes=CODES)
    assert before["33.03"] > 0 and before["33.02"] > 0
    change = {k: (village_of(v[1:-1]) if v.startswith("<") else v) for k, v in change.items()}
    import_rows(tmp_path, [{**base, **change}], "second.csv")  # the 33.02 business is not in this file
    assert moved(before) == expected


def test_a_new_business_moves_only_its_regency(tmp_path):
    import_rows(tmp_path, [umkm_row(nik=NIK_A)], "first.csv")
    before = registry_revisions(regency_codes=CODES)
    import_rows(tmp_path, [umkm_row(nik=NIK_B, kode_wilayah=village_of("33.04"))], "second.csv")
    assert moved(before) == {"33.04"}


def test_the_edit_services_move_the_revision(tmp_path):
    import_rows(tmp_path, [umkm_row(nik=NIK_A)])
    business = Business.objects.get()
    before = registry_revisions(regency_codes=CODES)
    business_update(business=business, data={"status": "tutup"}, actor=None)
    assert moved(before) == {"33.03"}
    before = registry_revisions(regency_codes=CODES)
    business_update(business=business, data={"status": "tutup"}, actor=None)  # no change, no new revision
    assert moved(before) == set()
    business_year_update(
        record=BusinessYear.objects.get(), modal_usaha=600_000_000, omzet_tahunan=None, tenaga_kerja=9, actor=None
    )
    assert moved(before) == {"33.03"}


def test_a_failed_batch_leaves_the_revision_as_it_was(tmp_path, monkeypatch):
    from apps.umkm import importers

    import_rows(tmp_path, [umkm_row(nik=NIK_A)], "first.csv")
    before = registry_revisions(regency_codes=CODES)

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importers, "registry_revision_bump", broken)
    with pytest.raises(RuntimeError):
        import_rows(tmp_path, [umkm_row(nik=NIK_B)], "second.csv")
    assert moved(before) == set()
    assert Business.objects.count() == 1  # the batch was rolled back with it
