"""Lists and exports read a fixed number of queries whatever their length."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.pinjaman.models import Bank
from apps.pinjaman.services import claim_create
from apps.pinjaman.tests.factories import PINJAMAN_HEADER, import_file, loan_row, write_csv

pytestmark = pytest.mark.django_db


def _loans(tmp_path, first, n):
    rows = [loan_row(f"Q{i}", i, "2019-01-10", "1.200.000") for i in range(first, first + n)]
    import_file("pinjaman", write_csv(tmp_path / f"p{first}.csv", PINJAMAN_HEADER, rows))


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("name", ["pinjaman:loans", "pinjaman:applications", "pinjaman:desk"])
def test_list_queries_do_not_grow(client, operator, tmp_path, name):
    client.force_login(operator)
    _loans(tmp_path, 1, 2)
    before = _count(client, reverse(name))
    _loans(tmp_path, 10, 6)
    assert _count(client, reverse(name)) == before


def test_claim_page_and_exports_do_not_grow(client, operator, tmp_path):
    client.force_login(operator)
    _loans(tmp_path, 1, 2)
    small = claim_create(bank=Bank.objects.get(), year=2019, month=1, actor=operator)
    counts = [_count(client, reverse(n, args=[small.pk])) for n in ("pinjaman:claim", "pinjaman:claim_xlsx")]
    _loans(tmp_path, 10, 6)
    big = claim_create(bank=Bank.objects.get(), year=2019, month=2, actor=operator)
    assert [_count(client, reverse(n, args=[big.pk])) for n in ("pinjaman:claim", "pinjaman:claim_xlsx")] == counts
