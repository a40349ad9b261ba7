"""The demo builds a decided 2019 session and an open one, and is idempotent."""

import io
from datetime import date

import pytest

from apps.core.management.commands.demo import DemoContext
from apps.pengembangan.models import Certificate, Participant, Result, Session
from apps.pengembangan.selectors.ujikom import ujikom_kpi

pytestmark = pytest.mark.django_db


def test_demo_sessions_and_kpi(make_user):
    from apps.koperasi.tests.factories import make_koperasi
    from apps.pengembangan import demo

    for _ in range(45):
        make_koperasi()
    users = {
        "operator": make_user("operator", role="operator", regions=["33.03"]),
        "asesor": make_user("asesor", role="asesor"),
    }
    ctx = DemoContext(seed=1, scale=1, stdout=io.StringIO())
    ctx["users"] = users
    demo.build(ctx)
    assert Session.objects.count() == 2
    results = Result.objects.filter(tanggal_uji=date(2019, 10, 15))
    kpi = ujikom_kpi(regency_codes=["33.03"], year=2019, as_of=date(2020, 3, 9))["uji_kompetensi"]
    assert kpi == {"peserta": 40, "kompeten": results.filter(kompeten=True).count()}
    assert 0 < kpi["kompeten"] < 40
    assert Certificate.objects.count() == kpi["kompeten"]
    assert Participant.objects.filter(status="terdaftar").count() == 5
    demo.build(ctx)
    assert Session.objects.count() == 2
