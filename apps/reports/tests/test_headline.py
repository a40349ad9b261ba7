"""The report opens with a summary: each SPEC §8 figure beside last year's and the change."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.core.formatting import today_wib
from apps.reports.composer import HeadlineRow, a_year_earlier
from apps.reports.tests.factories import make_business

QUERY = {"wilayah": "33.03", "tahun": "2019", "per": "2020-03-09"}


@pytest.mark.parametrize(
    "day, earlier",
    [
        (date(2020, 3, 9), date(2019, 3, 9)),
        (date(2020, 2, 29), date(2019, 2, 28)),
        (date(2021, 1, 1), date(2020, 1, 1)),
    ],
)
def test_a_year_earlier(day, earlier):
    assert a_year_earlier(day) == earlier


@pytest.mark.parametrize(
    "value, previous, sign, size, percent",
    [
        (129, 120, "+", 9, Decimal("7.5")),
        (120, 129, "−", 9, Decimal("7.0")),  # 6,976… % half up
        (2, 3, "−", 1, Decimal("33.3")),
        (1, 3, "−", 2, Decimal("66.7")),
        (5, 0, "+", 5, None),  # nothing last year: no percentage
        (7, 7, "", 0, None),
    ],
)
def test_headline_change(value, previous, sign, size, percent):
    row = HeadlineRow("x", value, previous, False)
    assert (row.sign, row.change_size, row.change_percent) == (sign, size, percent)


@pytest.mark.django_db
def test_page_opens_with_the_summary_beside_last_year(client, make_user):
    make_business(years={2018: "mikro", 2019: "kecil"})
    make_business(years={2019: "mikro"})
    client.force_login(make_user("bupati", role="pimpinan", regions=["33.03"]))
    response = client.get(reverse("reports:page"), QUERY)
    html = response.content.decode()
    rows = {r.label: r for r in response.context["headline"]}
    assert (rows["UMKM terdaftar"].value, rows["UMKM terdaftar"].previous) == (2, 1)
    assert (rows["Naik kelas Mikro → Kecil"].value, rows["Naik kelas Mikro → Kecil"].previous) == (1, 0)
    summary = html[html.index('id="ringkasan"') : html.index('id="bagian-')]
    assert '<th class="num">2019</th><th class="num">2018</th>' in summary
    assert "+1 (+100,0%)" in summary  # UMKM terdaftar 2 against 1
    assert html.index('id="ringkasan"') < html.index('id="bagian-')


@pytest.mark.django_db
def test_report_defaults_to_the_last_complete_year(client, make_user):
    client.force_login(make_user("bupati", role="pimpinan", regions=["33.03"]))
    response = client.get(reverse("reports:page"))
    assert response.context["figures"]["year"] == today_wib().year - 1
    assert 'class="report-filter"' in response.content.decode()
