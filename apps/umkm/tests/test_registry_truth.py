"""SPEC §4 made precise (issue 17): identity when a business gains its NIB, the normalised name without
punctuation, one-figure rows in every law, and where a business belongs in each year."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.imports.framework import run_import
from apps.umkm.models import Business, BusinessYear
from apps.umkm.rules import decided_by, default_rules, figures_missing, normalize_business_name
from apps.umkm.selectors import umkm_kpi
from apps.umkm.services import business_year_update
from apps.umkm.tests.factories import umkm_csv, umkm_row

pytestmark = pytest.mark.django_db
JT = 1_000_000
D = date(2023, 3, 1)


def imported(tmp_path, rows, name="umkm.csv"):
    return run_import(kind="umkm", path=umkm_csv(tmp_path / name, rows)).summary


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("Bu. Sri", "bu sri"),
        ("BU SRI", "bu sri"),
        ("  bu   sri ", "bu sri"),
        ("Bu.Sri", "bu sri"),
        ("UD. Sri-Rejeki, Jaya!", "ud sri rejeki jaya"),
        ("Toko_Maju (Cab. 2)", "toko maju cab 2"),
        ("Kripik 'Mbok' Darmi", "kripik mbok darmi"),
        ("ÉCLAIR Bu Sri", "éclair bu sri"),
    ],
)
def test_normalised_name_ignores_case_punctuation_and_spacing(written, normalised):
    assert normalize_business_name(written) == normalised


def test_bu_sri_with_a_full_stop_is_the_same_business(tmp_path):
    imported(tmp_path, [umkm_row(nama_usaha="Bu. Sri", tahun_data="2019")])
    assert imported(tmp_path, [umkm_row(nama_usaha="BU SRI", tahun_data="2020")], "b.csv").startswith(
        "rows: 1, created: 1, updated: 0"
    )
    assert Business.objects.count() == 1
    assert BusinessYear.objects.count() == 2


ONE_FIGURE = [
    # year, modal, omzet, class, decided by
    (2019, "", "300000000", "mikro", "omzet"),
    (2019, "", "300000001", "kecil", "omzet"),
    (2020, "50000001", "", "kecil", "modal"),
    (2020, "50000000", "", "mikro", "modal"),
    (2020, "", "50000000001", "besar", "omzet"),
    (2021, "1000000001", "", "kecil", "modal"),
    (2022, "", "2000000001", "kecil", "omzet"),
    (2019, "50000001", "300000000", "mikro", ""),
]


@pytest.mark.parametrize(("year", "modal", "omzet", "kelas", "by"), ONE_FIGURE)
def test_one_figure_rows_are_kept_and_classified_by_that_figure_in_every_law(tmp_path, year, modal, omzet, kelas, by):
    summary = imported(tmp_path, [umkm_row(tahun_data=year, modal_usaha=modal, omzet_tahunan=omzet)])
    assert summary == "rows: 1, created: 1, updated: 0, unchanged: 0, rejected: 0"
    record = BusinessYear.objects.get()
    assert record.kelas == kelas
    assert decided_by(record.modal_usaha, record.omzet_tahunan) == by


def test_the_edit_service_follows_the_importers_one_figure_rule(tmp_path, operator):
    imported(tmp_path, [umkm_row(tahun_data="2019")])
    record = BusinessYear.objects.get()
    business_year_update(record=record, modal_usaha=None, omzet_tahunan=400 * JT, tenaga_kerja=3, actor=operator)
    record.refresh_from_db()
    assert (record.modal_usaha, record.omzet_tahunan, record.kelas) == (None, 400 * JT, "kecil")
    with pytest.raises(ValidationError):
        business_year_update(record=record, modal_usaha=None, omzet_tahunan=None, tenaga_kerja=3, actor=operator)
    assert figures_missing(None, None) and not figures_missing(0, None) and not figures_missing(None, 0)


def test_business_page_says_which_single_figure_decided_the_class(client, operator, tmp_path):
    imported(tmp_path, [umkm_row(tahun_data="2019", modal_usaha="")])
    client.force_login(operator)
    page = client.get(reverse("umkm:detail", args=[Business.objects.get().pk])).content.decode()
    assert "hanya omzet diisi: kelas menurut omzet" in page


NIB = "9120000000001"


@pytest.mark.parametrize("order", ["file order", "reversed", "two files", "two files reversed"])
def test_a_business_that_gains_an_nib_later_is_the_same_business(tmp_path, order):
    rows = [
        umkm_row(nama_usaha="Gula Semut Sri", nib="", tahun_data="2020", omzet_tahunan="250000000"),
        umkm_row(nama_usaha="GULA SEMUT SRI.", nib=NIB, tahun_data="2021", omzet_tahunan="2500000000"),
    ]
    if "reversed" in order:
        rows.reverse()
    if "two files" in order:
        imported(tmp_path, rows[:1], "a.csv")
        imported(tmp_path, rows[1:], "b.csv")
    else:
        imported(tmp_path, rows)
    business = Business.objects.get()
    assert business.nib == NIB
    assert sorted(business.years.values_list("year", "kelas")) == [(2020, "mikro"), (2021, "kecil")]
    figures = umkm_kpi(regency_codes=["33.03"], year=2021, as_of=D)
    assert figures["umkm_total"] == 1
    assert figures["naik_kelas"]["mikro_kecil"] == 1
    # a second import of either file changes nothing
    assert imported(tmp_path, rows, "again.csv").endswith("created: 0, updated: 0, unchanged: 2, rejected: 0")


def test_an_nib_row_of_another_owner_is_another_business(tmp_path):
    imported(tmp_path, [umkm_row(nib="", tahun_data="2020")])
    imported(tmp_path, [umkm_row(nik="3303014404900002", nib=NIB, tahun_data="2021")], "b.csv")
    assert sorted(Business.objects.values_list("nib", flat=True)) == ["", NIB]


def test_same_year_rows_with_and_without_the_nib_are_one_record_last_row_wins(tmp_path):
    rows = [
        umkm_row(nib=NIB, tahun_data="2021", omzet_tahunan="100000000"),
        umkm_row(nib="", tahun_data="2021", omzet_tahunan="3000000000"),
    ]
    assert imported(tmp_path, rows) == "rows: 2, created: 1, updated: 0, unchanged: 1, rejected: 0"
    assert BusinessYear.objects.values_list("omzet_tahunan", flat=True).get() == 3000 * JT
    assert imported(tmp_path, rows, "again.csv") == "rows: 2, created: 0, updated: 0, unchanged: 2, rejected: 0"


KEMANGKON, BUKATEJA, BANYUMAS = "33.03.01.2001", "33.03.02.2001", "33.02.01.2001"


def test_a_business_belongs_where_its_latest_record_up_to_the_year_is(tmp_path):
    imported(
        tmp_path,
        [
            umkm_row(kode_wilayah=KEMANGKON, tahun_data="2020", omzet_tahunan="100000000"),
            umkm_row(kode_wilayah=BANYUMAS, tahun_data="2022", omzet_tahunan="3000000000"),
        ],
    )
    business = Business.objects.get()
    assert business.regency_id == "33.02"
    # 2020 and 2021: in Purbalingga (its latest record then is 2020's); 2022: in Banyumas
    for year, purbalingga, banyumas in [(2020, 1, 0), (2021, 1, 0), (2022, 0, 1)]:
        assert umkm_kpi(regency_codes=["33.03"], year=year, as_of=D)["umkm_total"] == purbalingga, year
        assert umkm_kpi(regency_codes=["33.02"], year=year, as_of=D)["umkm_total"] == banyumas, year

    # a corrected 2021 row that still carries the old village updates 2021 only: the business stays
    summary = imported(tmp_path, [umkm_row(kode_wilayah=BUKATEJA, tahun_data="2021", omzet_tahunan="90")], "k.csv")
    assert summary == "rows: 1, created: 1, updated: 0, unchanged: 0, rejected: 0"
    business.refresh_from_db()
    assert (business.regency_id, business.village_id) == ("33.02", BANYUMAS)
    assert umkm_kpi(regency_codes=["33.02"], year=2022, as_of=D)["umkm_total"] == 1
    assert umkm_kpi(regency_codes=["33.03"], year=2022, as_of=D)["umkm_total"] == 0
    assert umkm_kpi(regency_codes=["33.03"], year=2021, as_of=D)["umkm_total"] == 1
    assert BusinessYear.objects.get(year=2021).district_id == "33.03.02"


def test_an_earlier_year_row_never_renames_the_business(tmp_path):
    imported(tmp_path, [umkm_row(nama_usaha="Gula Semut Sri Jaya", nib=NIB, tahun_data="2022")])
    imported(tmp_path, [umkm_row(nama_usaha="Gula Semut", nib=NIB, tahun_data="2020", alamat="lama")], "b.csv")
    business = Business.objects.get()
    assert (business.name, business.address) == ("Gula Semut Sri Jaya", "RT 01 RW 02")


def test_default_rules_are_the_ones_classify_reads():
    assert [r.code for r in default_rules()] == ["UU-20-2008", "PP-7-2021"]


def test_moves_with_unchanged_figures_are_counted_apart():
    from apps.umkm.tests.factories import business_make

    same = (40 * JT, 20_000 * JT)  # UU 20/2008: mikro by capital; PP 7/2021: menengah by sales
    business_make(years={2020: same, 2021: same})
    business_make(years={2020: (40 * JT, 100 * JT), 2021: (40 * JT, 3_000 * JT)})  # grew: mikro → kecil
    business_make(years={2020: (None, 100 * JT), 2021: (None, 100 * JT)})  # same, no move
    figures = umkm_kpi(regency_codes=["33.03"], year=2021, as_of=D)
    assert figures["naik_kelas"] == {"mikro_kecil": 1, "kecil_menengah": 0, "menengah_besar": 0, "mikro_menengah": 1}
    assert figures["naik_kelas_angka_tetap"] == 1


def test_the_report_shows_jumps_and_the_moves_of_the_law_alone(client, head):
    from apps.umkm.tests.factories import business_make

    same = (40 * JT, 20_000 * JT)  # mikro under UU 20/2008, menengah under PP 7/2021: a jump by the law
    moved = business_make(years={2020: same, 2021: same})
    client.force_login(head)
    params = {"wilayah": "33.03", "tahun": 2021, "per": "2022-03-09"}
    page = client.get(reverse("reports:page"), params)
    html = page.content.decode()
    assert "Mikro → Menengah (lompat 2 kelas)" in html
    assert "Naik kelas dengan modal dan omzet sama dengan tahun sebelumnya" in html
    drill = client.get(reverse("reports:drill", args=["naik_kelas"]), {**params, "angka_tetap": "1"})
    assert moved.name in drill.content.decode()
