import io
from datetime import date

import pytest

from apps.core.management.commands.demo import DemoContext
from apps.umkm import demo
from apps.umkm.models import Business, BusinessYear
from apps.umkm.selectors import umkm_kpi

pytestmark = pytest.mark.django_db


def test_demo_is_deterministic_idempotent_and_has_naik_kelas():
    ctx = DemoContext(seed=1, scale=1, stdout=io.StringIO())
    demo.build(ctx)
    first = umkm_kpi(regency_codes=["33.03"], year=2019, as_of=date(2020, 3, 9))
    records = sorted(BusinessYear.objects.values_list("business__name", "year", "omzet_tahunan", "kelas"))
    demo.build(DemoContext(seed=1, scale=1, stdout=io.StringIO()))
    assert sorted(BusinessYear.objects.values_list("business__name", "year", "omzet_tahunan", "kelas")) == records
    assert Business.objects.filter(regency_id="33.03").count() == 2000
    assert first["umkm_total"] == 2000
    assert first["naik_kelas"]["mikro_kecil"] > 10
    assert set(Business.objects.values_list("sector", flat=True)) >= {
        "gula kelapa",
        "bulu mata palsu",
        "knalpot",
        "nopia",
    }
    assert Business.objects.exclude(village__parent__parent_id="33.03").count() == 0
