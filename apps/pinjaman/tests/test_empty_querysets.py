"""A loan query that can match nothing (a bank officer of no bank: `pk__in=[]`) gives empty figures, not a 500:
on PostgreSQL the set-based statements are written from the queryset's SQL, which Django refuses to produce."""

from datetime import date

import pytest

from apps.pinjaman.models import Loan
from apps.pinjaman.selectors import loan_month_subsidies, loan_subsidy_total, positions_on

pytestmark = pytest.mark.django_db


def test_figures_of_a_queryset_that_matches_nothing():
    nothing = Loan.objects.filter(pk__in=[])
    assert positions_on(nothing, date(2020, 3, 9)) == []
    assert loan_subsidy_total(nothing, date(2019, 1, 1), date(2019, 12, 31)) == 0
    assert loan_month_subsidies(nothing, date(2019, 1, 1), date(2019, 12, 31)) == {}


def test_the_loans_desk_of_a_bank_officer_of_no_bank(client, make_user):
    client.force_login(make_user("bank0", role="bank"))
    assert client.get("/kredit-mawar/").status_code == 200
