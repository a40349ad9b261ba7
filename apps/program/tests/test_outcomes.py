"""Outcomes (SPEC §10): participants against the comparison group (same kecamatan, sector and class in the
year before), share moved up a class the year after, omzet 12 months after vs before."""

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.formatting import WIB
from apps.program.models import Kind, Participant, Programme
from apps.program.outcomes import outcome, share_text
from apps.umkm.tests.factories import business_make

pytestmark = pytest.mark.django_db

MIKRO = (10_000_000, 100_000_000)
KECIL = (100_000_000, 1_000_000_000)
V1, V2 = "33.03.01.2001", "33.03.02.2001"


@pytest.fixture
def world():
    t = Programme.objects.create(
        regency_id="33.03",
        code="T",
        kind=Kind.TRAINING,
        title="Pelatihan",
        start_date=date(2019, 6, 1),
        end_date=date(2019, 6, 2),
    )
    b = {
        # participants
        "P1": business_make(name="P1", village=V1, sector="gula", years={2018: MIKRO, 2019: MIKRO, 2020: KECIL}),
        "P2": business_make(name="P2", village=V1, sector="gula", years={2018: MIKRO, 2019: MIKRO, 2020: MIKRO}),
        "P3": business_make(name="P3", village=V2, sector="batik", years={2019: MIKRO, 2020: MIKRO}),
        # registered but never attended: not a participant, and in P1's stratum
        "R4": business_make(name="R4", village=V1, sector="gula", years={2018: MIKRO, 2019: MIKRO, 2020: MIKRO}),
        # comparison candidates
        "C1": business_make(name="C1", village=V1, sector="gula", years={2018: MIKRO, 2019: MIKRO, 2020: KECIL}),
        "C2": business_make(name="C2", village=V1, sector="gula", years={2018: MIKRO, 2019: MIKRO}),
        "X3": business_make(name="X3", village=V1, sector="gula", years={2018: KECIL, 2019: KECIL, 2020: KECIL}),
        "X4": business_make(name="X4", village=V2, sector="gula", years={2018: MIKRO, 2019: MIKRO, 2020: KECIL}),
        "X5": business_make(name="X5", village=V1, sector="batik", years={2018: MIKRO, 2019: MIKRO, 2020: KECIL}),
    }
    for name, status in (("P1", "lulus"), ("P2", "hadir"), ("P3", "hadir"), ("R4", "terdaftar")):
        Participant.objects.create(programme=t, business=b[name], status=status, registered_at=timezone.now())
    return b


def test_outcome_table(world):
    from apps.omzet.services import omzet_record_sale
    from apps.store.tests.factories import make_seller

    p1 = world["P1"]
    seller = make_seller(business=p1, shop_name="Gula P1", slug="gula-p1")
    for key, amount, when in (
        ("a", 100_000, datetime(2019, 1, 10, 10, tzinfo=WIB)),  # before
        ("b", 300_000, datetime(2019, 8, 1, 10, tzinfo=WIB)),  # after
        ("c", 50_000, datetime(2020, 6, 1, 0, tzinfo=WIB)),  # 12 months after the start: outside
        ("d", 70_000, datetime(2018, 5, 31, 23, tzinfo=WIB)),  # more than 12 months before: outside
    ):
        omzet_record_sale(
            source_key=f"t:{key}",
            channel_code="showroom",
            regency_code="33.03",
            seller=seller,
            product_name="Gula",
            quantity=1,
            amount=amount,
            counted_at=when,
            actor=None,
        )
    o = outcome(regency_codes=["33.03"], year=2019, as_of=date(2020, 3, 9), kind=Kind.TRAINING)
    names = {b.pk: n for n, b in world.items()}

    def named(ids):
        return sorted(names[i] for i in ids)

    assert (named(o.participants.businesses), named(o.participants.with_data), named(o.participants.moved_up)) == (
        ["P1", "P2", "P3"],
        ["P1", "P2", "P3"],
        ["P1"],
    )
    assert (named(o.comparison.businesses), named(o.comparison.with_data), named(o.comparison.moved_up)) == (
        ["C1", "C2", "R4"],
        ["C1", "R4"],
        ["C1"],
    )
    assert (share_text(o.participants.share), share_text(o.comparison.share)) == ("33,3%", "50,0%")
    assert (o.participants.omzet_before, o.participants.omzet_after) == (100_000, 300_000)
    assert (o.comparison.omzet_before, o.comparison.omzet_after) == (0, 0)
    assert o.strata == 1  # P3 has no class in 2018: counted, without a stratum


def test_outcome_pages(client, operator, world):
    client.force_login(operator)
    html = client.get(reverse("program:outcomes"), {"tahun": 2019, "per": "2020-03-09"}).content.decode()
    assert "bukan bukti sebab-akibat" in html
    assert "33,3%" in html and "50,0%" in html
    drill = client.get(
        reverse("program:outcome_records"),
        {"jenis": "pelatihan", "kelompok": "pembanding", "angka": "naik", "tahun": 2019, "per": "2020-03-09"},
    ).content.decode()
    assert ">C1<" in drill and ">R4<" not in drill


def test_report_interface_agrees_with_the_kpi(world):
    from apps.program import report

    assert report.kpi("33.03", 2019, date(2020, 3, 9))["program"]["pelatihan"] == {
        "kegiatan": 1,
        "peserta": 3,
        "lulus": 1,
    }
    found = report.records("33.03", 2019, date(2020, 3, 9), "program", jenis="pelatihan", angka="peserta")
    assert sorted(b.name for b in found.queryset) == ["P1", "P2", "P3"]
