"""The demo data reproduces the article's cooperative figures (book year 2019, as of 9 March 2020)."""

import io
from datetime import date

import pytest

from apps.core.management.commands.demo import DemoContext
from apps.koperasi.models import Keanggotaan, Koperasi
from apps.koperasi.selectors import koperasi_kpi

pytestmark = pytest.mark.django_db


def test_demo_reproduces_the_article_and_is_idempotent(make_user):
    officer = make_user("koperasi", role="pengurus_koperasi")
    from apps.koperasi import demo

    ctx = DemoContext(seed=1, scale=1, stdout=io.StringIO())
    ctx["users"] = {"koperasi": officer}
    demo.build(ctx)
    figures = koperasi_kpi(regency_codes=["33.03"], year=2019, as_of=date(2020, 3, 9))
    assert figures == {
        "koperasi_total": 239,
        "koperasi_aktif": 171,
        "koperasi_tidak_aktif": 68,
        "koperasi_sehat": 129,
        "koperasi_tidak_sehat": 42,
        "koperasi_belum_dinilai": 0,
        "koperasi_dibubarkan_per_tahun": {"2018": 29},
    }
    assert Keanggotaan.objects.filter(user=officer).count() == 1
    names = list(Koperasi.objects.order_by("pk").values_list("nama", flat=True)[:3])

    again = DemoContext(seed=1, scale=1, stdout=io.StringIO())
    again["users"] = {"koperasi": officer}
    demo.build(again)
    assert Koperasi.objects.count() == 268
    assert list(Koperasi.objects.order_by("pk").values_list("nama", flat=True)[:3]) == names
