import pytest
from django.core.management import call_command

from apps.regions.models import Level, Region
from apps.regions.selectors import regency_codes_under, scope_queryset, village_codes, villages_of


@pytest.mark.django_db
def test_purbalingga_as_the_spec_states():
    villages = list(villages_of("33.03"))
    assert Region.objects.get(code="33.03").name == "Kabupaten Purbalingga"
    assert Region.objects.filter(level=Level.DISTRICT, parent_id="33.03").count() == 18
    assert len(villages) == 239
    assert sum(v.is_kelurahan for v in villages) == 15
    assert sum(not v.is_kelurahan for v in villages) == 224


@pytest.mark.django_db
def test_national_list_is_shipped():
    assert Region.objects.count() == 91599
    # shared/data/README.md says 39 provinces, but the file itself lists 38 (91,599 rows in all)
    assert Region.objects.filter(level=Level.PROVINCE).count() == 38
    assert Region.objects.filter(level=Level.REGENCY, parent_id="33").count() == 35


@pytest.mark.django_db
def test_hierarchy_and_village_codes():
    village = Region.objects.get(code="33.03.01.2001")
    assert village.parent.code == "33.03.01"
    assert village.parent.parent.code == "33.03"
    assert village.regency_code == "33.03"
    assert "33.03.01.2001" in village_codes("33.03")
    assert "33.02.01.2001" not in village_codes("33.03")


@pytest.mark.django_db
def test_regency_codes_under_expands_provinces():
    codes = regency_codes_under({"33"})
    assert len(codes) == 35 and "33.03" in codes and "34.71" not in codes
    assert regency_codes_under({"33.03", "34.71"}) == {"33.03", "34.71"}


@pytest.mark.django_db
def test_loader_takes_a_newer_csv(tmp_path):
    path = tmp_path / "wilayah.csv"
    path.write_text("kode,nama\n33,JAWA TENGAH\n33.03,Kab. Purbalingga (baru)\n", encoding="utf-8")
    call_command("load_regions", str(path), "--prefix", "33")
    assert Region.objects.get(code="33.03").name == "Kab. Purbalingga (baru)"
    assert Region.objects.filter(code__startswith="33.03.").count() == 18 + 239


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "regions", "expected"),
    [
        ("operator", ["33.03"], {"33.03"}),
        ("kepala_dinas", ["33"], 35),
        ("operator", [], set()),
        ("pembeli", ["33.03"], set()),
        ("admin", [], None),
    ],
)
def test_scope_queryset(make_user, role, regions, expected):
    user = make_user("u1", role=role, regions=regions)
    qs = scope_queryset(Region.objects.filter(level=Level.REGENCY), user, field="code")
    codes = set(qs.values_list("code", flat=True))
    if expected is None:
        assert len(codes) == 514
    elif isinstance(expected, int):
        assert len(codes) == expected
    else:
        assert codes == expected
