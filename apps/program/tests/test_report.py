"""The programmes section of the leadership report (page, drill-downs, XLSX, PDF, summary): the `program`
figures of `kpi_report`, certificates and UMKM reached, per kecamatan, rupiah of packaging aid and festival
booth sales, the outcomes against the comparison group; every number links to the records behind it."""

import io
import json
from datetime import date
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from apps.program import festival, report
from apps.program.models import Application, Delivery, Kind, Participant, Programme
from apps.store.tests.factories import make_category, make_seller
from apps.umkm.tests.factories import business_make

pytestmark = pytest.mark.django_db
QUERY = {"wilayah": "33.03", "tahun": "2025", "per": "2025-12-31"}
D = date(2025, 12, 31)
V1, V2 = "33.03.01.2001", "33.03.02.2001"  # Kemangkon, Bukateja
MIKRO = (10_000_000, 100_000_000)
KECIL = (2_000_000_000, 3_000_000_000)  # PP 7/2021: modal above 1 billion


@pytest.fixture
def pimpinan(make_user):
    return make_user("bupati", role="pimpinan", regions=["33.03"])


def activity(code, kind, start, end=None, district=None):
    return Programme.objects.create(
        regency_id="33.03",
        code=code,
        kind=kind,
        title=f"Kegiatan {code}",
        start_date=start,
        end_date=end or start,
        district_id=district,
    )


def join(programme, business, status, **extra):
    return Participant.objects.create(
        programme=programme, business=business, status=status, registered_at=timezone.now(), **extra
    )


@pytest.fixture
def world(operator):
    t1 = activity("PLT-1", Kind.TRAINING, date(2025, 3, 1), district="33.03.01")
    t2 = activity("PLT-2", Kind.TRAINING, date(2025, 6, 1))
    old = activity("PLT-0", Kind.TRAINING, date(2024, 6, 1), district="33.03.01")
    k1 = activity("KMS-1", Kind.PACKAGING, date(2025, 4, 1), date(2025, 9, 30), district="33.03.02")
    f1 = activity("FST-1", Kind.FESTIVAL, date(2025, 8, 1), date(2025, 8, 2), district="33.03.01")
    activity("FST-2", Kind.FESTIVAL, date(2026, 1, 5), district="33.03.01")  # after the as-of date
    b = {
        "A": business_make(name="Alpha", village=V1, years={2024: MIKRO, 2025: MIKRO, 2026: KECIL}),
        "B": business_make(name="Bravo", village=V1, years={2024: MIKRO, 2025: MIKRO, 2026: MIKRO}),
        "C": business_make(name="Charlie", village=V2),
        "D": business_make(name="Delta", village=V2),
        "E": business_make(name="Echo", village=V2),
        "F": business_make(name="Foxtrot", village=V2),
        # not a participant, in Alpha's and Bravo's stratum: the comparison group
        "K": business_make(name="Kilo", village=V1, years={2024: MIKRO, 2025: MIKRO, 2026: MIKRO}),
    }
    join(t1, b["A"], "lulus", certificate_code="AB12C-DE34F", certificate_issued_on=date(2025, 3, 5))
    join(t1, b["B"], "hadir")
    join(t1, b["C"], "lulus")  # no certificate issued yet
    join(t1, b["D"], "terdaftar")  # never came: counted nowhere
    join(t2, b["A"], "lulus")  # a business counts once per kind
    join(old, b["F"], "lulus")  # 2024
    for who, status in (("E", "diserahkan"), ("F", "diterima")):
        p = join(k1, b[who], status)
        application = Application.objects.create(
            participant=p, product_name=f"Produk {who}", need="Kemasan baru", submitted_at=timezone.now()
        )
    delivered = Application.objects.get(participant__business=b["E"])
    Delivery.objects.create(
        application=delivered,
        design_approved_on=date(2025, 6, 1),
        quantity=100,
        vendor="CV Kemas",
        unit_cost=2_500,
        handover_date=date(2025, 7, 1),
        bast_number="BAST/KMS-1/001",
    )
    assert application.participant.status == "diterima"  # F: selected, not handed over: not a recipient
    seller = make_seller(shop_name="Toko Golf", village=V2)
    festival.booths_generate(programme=f1, zones=["A"], rows=1, per_row=2, actor=operator)
    exhibitor = festival.exhibitor_apply(
        programme=f1, seller=seller, category=make_category("Makanan"), actor=operator, source="operator"
    )
    festival.exhibitor_decide(exhibitor=exhibitor, accept=True, actor=operator)
    festival.booths_allocate(programme=f1, actor=operator)
    festival.exhibitor_checkin(exhibitor=exhibitor, actor=operator)
    festival.booth_sale_record(exhibitor=exhibitor, day=date(2025, 8, 1), amount=150_000, actor=operator)
    festival.booth_sale_record(exhibitor=exhibitor, day=date(2025, 8, 2), amount=90_000, actor=operator)
    return b


def values(table):
    return [(r.label, r.values) for r in table.rows]


def test_section_tables_add_up_and_every_number_drills_to_its_records(client, pimpinan, world):
    client.force_login(pimpinan)
    response = client.get(reverse("reports:page"), QUERY)
    assert response.status_code == 200
    section = next(s for s in response.context["sections"] if s.key == "program")
    tables = {t.key: t for t in section.tables}
    assert values(tables["program"]) == [
        ("Kegiatan pelatihan", (2,)),
        ("Peserta pelatihan (hadir atau lulus)", (3,)),
        ("Lulus pelatihan", (2,)),
        ("Lulus dengan sertifikat terbit", (1,)),
        ("Kegiatan bantuan kemasan", (1,)),
        ("Penerima bantuan kemasan (diserahkan)", (1,)),
        ("Kegiatan festival/pameran", (1,)),
        ("Peserta festival/pameran (hadir)", (1,)),
        ("UMKM terjangkau program (tiap usaha sekali)", (5,)),
    ]
    assert values(tables["program_kegiatan_per_wilayah"]) == [
        ("(tidak diisi)", (1, 0, 0)),
        ("Bukateja", (0, 1, 0)),
        ("Kemangkon", (1, 0, 1)),
        ("Jumlah", (2, 1, 1)),
    ]
    # Alpha, Bravo in Kemangkon; Charlie, Echo and Toko Golf's business in Bukateja
    assert values(tables["program_per_wilayah"]) == [
        ("Bukateja", (1, 1, 0, 1, 1, 3)),
        ("Kemangkon", (2, 1, 1, 0, 0, 2)),
        ("Jumlah", (3, 2, 1, 1, 1, 5)),
    ]
    assert values(tables["program_nilai_per_wilayah"]) == [
        ("Bukateja", (250_000, 240_000)),
        ("Jumlah", (250_000, 240_000)),
    ]
    # outcomes: Alpha moved up mikro → kecil in 2026, Bravo did not; Kilo (comparison) did not
    assert values(tables["program_hasil_naik_kelas"]) == [
        ("Pelatihan: naik kelas peserta 50,0%, pembanding 0,0%", (2, 1, 1, 0)),
        ("Bantuan kemasan: naik kelas peserta –, pembanding –", (0, 0, 0, 0)),
        ("Festival/pameran: naik kelas peserta –, pembanding –", (0, 0, 0, 0)),
    ]
    assert values(tables["program_hasil_omzet"])[0] == ("Pelatihan", (0, 0, 0, 0))

    # every value links to records whose count (or rupiah total) is the value
    for table in section.tables:
        for row in table.rows:
            for value, link in row.cells():
                assert link, (table.key, row.label)
                page = client.get(link)
                assert page.status_code == 200, link
                if table.key == "program_hasil_omzet":  # the omzet of a group drills to its businesses
                    group = {"Pelatihan": (3, 1), "Bantuan kemasan": (1, 0), "Festival/pameran": (1, 0)}[row.label]
                    assert page.context["page"].paginator.count == group["kelompok=peserta" not in link]
                elif table.money:
                    assert page.context["total"] == value, (table.key, row.label, link)
                else:
                    assert page.context["page"].paginator.count == value, (table.key, row.label, link)

    reached = client.get(tables["program"].rows[-1].links[0])
    assert [r[0] for r in reached.context["rows"]] == ["Alpha", "Bravo", "Charlie", "Echo", "Toko Golf"]
    certified = dict(parse_qsl(urlsplit(tables["program"].rows[3].links[0]).query))
    assert (certified["jenis"], certified["angka"]) == ("pelatihan", "sertifikat")
    comparison = client.get(tables["program_hasil_naik_kelas"].rows[0].links[2])
    assert [r[0] for r in comparison.context["rows"]] == ["Kilo"]
    handovers = client.get(tables["program_nilai_per_wilayah"].rows[0].links[0])
    assert handovers.context["rows"] == [
        ["BAST/KMS-1/001", "1 Juli 2025", "Kegiatan KMS-1", "Echo", "100", "Rp250.000"]
    ]


def test_the_command_figures_and_the_exports(client, pimpinan, world, capsys):
    call_command("kpi_report", "--regency", "33.03", "--year", "2025", "--as-of", "2025-12-31", "--format", "json")
    assert json.loads(capsys.readouterr().out)["program"] == {
        "pelatihan": {"kegiatan": 2, "peserta": 3, "lulus": 2},
        "bantuan_kemasan": {"kegiatan": 1, "penerima": 1},
        "festival": {"kegiatan": 1, "peserta": 1},
    }
    figures = report.kpi("33.03", 2025, D)
    assert [(i.label, i.value) for i in report.summary(figures)] == [
        ("Kegiatan pelatihan UMKM", 2),
        ("Peserta pelatihan (hadir atau lulus)", 3),
        ("Lulus pelatihan", 2),
        ("Kegiatan bantuan kemasan", 1),
        ("Penerima bantuan kemasan", 1),
        ("Kegiatan festival/pameran", 1),
        ("Peserta festival/pameran (hadir)", 1),
    ]
    client.force_login(pimpinan)
    workbook = load_workbook(io.BytesIO(client.get(reverse("reports:export"), {**QUERY, "format": "xlsx"}).content))
    sheet = next(ws for ws in workbook.worksheets if ws.title.startswith("Program UMKM"))
    cells = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert ["UMKM terjangkau program (tiap usaha sekali)", 5] in cells
    assert ["Bukateja", 250_000, 240_000] in cells
    summary = [c.value for row in workbook.worksheets[0].iter_rows() for c in row]
    assert "Penerima bantuan kemasan" in summary
    pdf = client.get(reverse("reports:export"), {**QUERY, "format": "pdf"}).content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Program UMKM tahun 2025" in text and "Lulus dengan sertifikat terbit" in text
    html = client.get(reverse("reports:page"), QUERY, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "SME programmes 2025" in html and "Programme outcomes 2025: moved up a class in 2026" in html


@pytest.mark.parametrize("region", ["33.03", "33"])
def test_a_province_splits_by_regency(world, region):
    rows = report.breakdown(region, 2025, D, "wilayah")
    expected = [("Kabupaten Purbalingga", 3, 5)] if region == "33" else [("Bukateja", 1, 3), ("Kemangkon", 2, 2)]
    assert [(r["label"], r["pelatihan_peserta"], r["jangkauan"]) for r in rows] == expected


def test_unknown_records_are_refused(world):
    for figure, filters in (
        ("program", {"jenis": "arisan"}),
        ("program", {"jenis": "festival", "angka": "lulus"}),
        ("program", {"angka": "sertifikat"}),
        ("program_nilai", {"angka": "semua"}),
        ("program_hasil", {"jenis": "pelatihan", "kelompok": "lain", "angka": "naik"}),
        ("program_hasil", {"kelompok": "peserta", "angka": "semuanya"}),
    ):
        with pytest.raises(ValueError):
            report.records("33.03", 2025, D, figure, **filters)
