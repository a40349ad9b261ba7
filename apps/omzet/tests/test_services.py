import contextlib
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.audit.models import AuditEntry
from apps.core.formatting import WIB
from apps.omzet.models import Channel, OmzetLine
from apps.omzet.selectors import omzet_kpi
from apps.omzet.services import OmzetError, omzet_record_return, omzet_record_sale
from apps.omzet.tests.factories import make_seller, make_variant

pytestmark = pytest.mark.django_db

T = datetime(2019, 11, 2, 14, 5, tzinfo=WIB)


def sale(key="web:1", **kw):
    args = {
        "source_key": key,
        "channel_code": "web",
        "regency_code": "33.03",
        "product_name": "Keripik",
        "quantity": 2,
        "amount": 25000,
        "counted_at": T,
        "actor": None,
    }
    args.update(kw)
    return omzet_record_sale(**args)


def test_sale_attributed_to_variant_seller_and_kecamatan():
    seller = make_seller(district="33.03.02")
    variant = make_variant(seller=seller, sku="KRP-1", name="Keripik Tempe")
    line = sale(variant=variant)
    assert (line.seller_id, line.district_id, line.product_id, line.variant_id) == (
        seller.pk,
        "33.03.02",
        variant.product_id,
        variant.pk,
    )
    assert line.channel.code == "web"
    assert Channel.objects.filter(regency_id="33.03").count() == 1
    assert AuditEntry.objects.filter(action="omzet.record").count() == 1


def test_same_key_twice_changes_nothing():
    first = sale()
    second = sale()
    assert second.pk == first.pk
    assert OmzetLine.objects.count() == 1
    assert AuditEntry.objects.filter(action__startswith="omzet.").exclude(action="omzet.channel_create").count() == 1


def test_same_key_other_values_updates_with_audit():
    first = sale()
    updated = sale(amount=30000, quantity=3)
    assert updated.pk == first.pk
    assert OmzetLine.objects.get().amount == 30000
    entry = AuditEntry.objects.get(action="omzet.update")
    assert entry.changes == {"quantity": [2, 3], "amount": [25000, 30000]}


def test_return_reverses_and_is_idempotent():
    original = sale()
    for _ in range(2):
        reversal = omzet_record_return(
            source_key="web:1:retur", original_source_key="web:1", quantity=1, amount=12500, counted_at=T, actor=None
        )
    assert (reversal.amount, reversal.quantity, reversal.reverses_id, reversal.channel_id) == (
        -12500,
        -1,
        original.pk,
        original.channel_id,
    )
    assert OmzetLine.objects.count() == 2


@pytest.mark.parametrize(
    ("quantity", "commission", "returns", "given_back"),
    [
        # A consigned sale of 3 units with Rp10.000 commission: each return gives back its share,
        # rounded down, and the last unit takes the remainder so the whole commission comes back.
        (3, 10000, [1], [-3333]),
        (3, 10000, [1, 1, 1], [-3333, -3333, -3334]),
        (3, 10000, [2, 1], [-6666, -3334]),
        (2, 0, [1], [0]),
        (2, None, [1], [None]),  # no agreed commission: the settlement's rule applies to the reversal too
    ],
)
def test_return_gives_back_the_commission_of_the_returned_units(quantity, commission, returns, given_back):
    sale(quantity=quantity, amount=30000, commission=commission)
    got = []
    for n, returned in enumerate(returns):
        line = omzet_record_return(
            source_key=f"web:1:r{n}",
            original_source_key="web:1",
            quantity=returned,
            amount=30000 * returned // quantity,
            counted_at=T,
            actor=None,
        )
        got.append(line.commission)
    assert got == given_back


def test_commission_cannot_exceed_the_sale():
    with pytest.raises(OmzetError):
        sale(amount=25000, commission=25001)


def test_return_cannot_exceed_sale():
    sale()
    omzet_record_return(
        source_key="web:1:r1", original_source_key="web:1", quantity=1, amount=20000, counted_at=T, actor=None
    )
    with pytest.raises(OmzetError):
        omzet_record_return(
            source_key="web:1:r2", original_source_key="web:1", quantity=1, amount=5001, counted_at=T, actor=None
        )


@pytest.mark.parametrize(
    "bad",
    [
        {"counted_at": datetime(2019, 11, 2, 14, 5)},
        {"amount": -1},
        {"channel_code": "lazada"},
        {"regency_code": "99.99"},
    ],
)
def test_bad_sales_refused(bad):
    with pytest.raises(OmzetError):
        sale(**bad)
    assert OmzetLine.objects.count() == 0


def test_return_of_unknown_sale_refused():
    with pytest.raises(OmzetError):
        omzet_record_return(
            source_key="x:retur", original_source_key="x", quantity=1, amount=1, counted_at=T, actor=None
        )


# The end of day D is midnight WIB, i.e. 17:00 UTC of D.
@pytest.mark.parametrize(
    "counted_at, kumulatif, tahun",
    [
        (datetime(2020, 3, 9, 23, 59, 59, tzinfo=WIB), 1000, 0),
        (datetime(2020, 3, 9, 16, 59, 59, tzinfo=UTC), 1000, 0),
        (datetime(2020, 3, 9, 17, 0, 0, tzinfo=UTC), 0, 0),
        (datetime(2020, 3, 10, 0, 0, tzinfo=WIB), 0, 0),
        (datetime(2019, 1, 1, 0, 0, tzinfo=WIB), 1000, 1000),
        (datetime(2018, 12, 31, 23, 59, tzinfo=WIB), 1000, 0),
        (datetime(2018, 12, 31, 17, 0, tzinfo=UTC), 1000, 1000),
        (datetime(2019, 12, 31, 23, 59, tzinfo=WIB), 1000, 1000),
        (datetime(2020, 1, 1, 0, 0, tzinfo=WIB), 1000, 0),
    ],
)
def test_kpi_day_and_year_boundaries_in_wib(counted_at, kumulatif, tahun):
    sale(amount=1000, counted_at=counted_at)
    assert omzet_kpi(regency_codes=["33.03"], year=2019, as_of=date(2020, 3, 9)) == {
        "tukatuku_omzet_kumulatif": kumulatif,
        "tukatuku_omzet_tahun": tahun,
    }


def test_kpi_regency_scope_and_reversals():
    sale(key="a", amount=50000)
    sale(key="b", amount=7000, regency_code="33.02")
    omzet_record_return(source_key="a:r", original_source_key="a", quantity=1, amount=20000, counted_at=T, actor=None)
    assert omzet_kpi(regency_codes=["33.03"], year=2019, as_of=date(2020, 3, 9)) == {
        "tukatuku_omzet_kumulatif": 30000,
        "tukatuku_omzet_tahun": 30000,
    }
    assert omzet_kpi(regency_codes=["33.02", "33.03"], year=2020, as_of=date(2020, 3, 9)) == {
        "tukatuku_omzet_kumulatif": 37000,
        "tukatuku_omzet_tahun": 0,
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    amount=st.integers(min_value=0, max_value=10**9),
    returns=st.lists(st.integers(min_value=0, max_value=10**9), max_size=5),
)
def test_reversals_never_exceed_the_sale(amount, returns):
    OmzetLine.objects.filter(reverses__isnull=False).delete()
    OmzetLine.objects.all().delete()
    sale(amount=amount)
    for i, r in enumerate(returns):
        with contextlib.suppress(OmzetError):
            omzet_record_return(
                source_key=f"web:1:r{i}", original_source_key="web:1", quantity=1, amount=r, counted_at=T, actor=None
            )
    total = omzet_kpi(regency_codes=["33.03"], year=2019, as_of=date(2020, 1, 1))["tukatuku_omzet_kumulatif"]
    assert 0 <= total <= amount
