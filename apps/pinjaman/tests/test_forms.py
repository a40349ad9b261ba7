"""Every rupiah input of Kredit Mawar is the shared `RupiahField`: the amounts people type, the refusals in
Indonesian, and "Akan disimpan: Rp90.000" under the box (pages and the scheme's admin form)."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from apps.core.forms import RupiahField
from apps.pinjaman.forms import ApplicationForm, DecisionForm, RepaymentForm
from apps.pinjaman.models import Scheme

PREVIEW = "Akan disimpan: Rp90.000"


@pytest.mark.parametrize(
    "typed,saved,error",
    [
        ("90.000", 90_000, None),
        ("90000", 90_000, None),
        ("Rp90.000", 90_000, None),
        ("Rp 90.000", 90_000, None),
        ("Rp2.500.000", 2_500_000, None),
        ("90,5", None, "Rupiah ditulis tanpa sen (tanpa koma), misalnya 90.000."),
        ("0", None, "Jumlah harus lebih dari nol."),
        ("-90.000", None, None),  # refused: no negative payments (message of the shared field)
    ],
)
def test_repayment_amount_typed_the_indonesian_way(typed, saved, error):
    with translation.override("id"):
        form = RepaymentForm({"transaction_number": "T1", "paid_on": "2026-01-05", "amount": typed})
        valid = form.is_valid()
    assert valid == (saved is not None)
    if saved is not None:
        assert form.cleaned_data["amount"] == saved
    elif error is not None:
        assert form.errors["amount"] == [error]


def test_every_money_field_is_the_shared_rupiah_field():
    forms = [
        ApplicationForm(businesses=[], villages=[]).fields["amount"],
        DecisionForm().fields["approved_amount"],
        RepaymentForm().fields["amount"],
    ]
    assert all(isinstance(f, RupiahField) for f in forms)
    with translation.override("id"):
        html = str(RepaymentForm(initial={"amount": 90_000})["amount"])
    assert 'type="text"' in html and 'value="90.000"' in html and PREVIEW in html


@pytest.mark.django_db
def test_scheme_admin_amounts_are_rupiah_inputs(admin_user):
    scheme = Scheme.objects.get(code="MAWAR-2019")
    request = RequestFactory().get("/")
    request.user = admin_user
    form_class = site._registry[Scheme].get_form(request, scheme)
    for name in ("first_loan_floor", "first_loan_ceiling", "repeat_loan_ceiling", "rounding_unit", "arrears_tolerance"):
        assert isinstance(form_class.base_fields[name], RupiahField), name
    with translation.override("id"):
        html = str(form_class(instance=scheme)["first_loan_ceiling"])
    assert 'value="2.500.000"' in html and "Akan disimpan: Rp2.500.000" in html


@pytest.mark.django_db
def test_scheme_admin_page_shows_the_preview(client, admin_user):
    scheme = Scheme.objects.get(code="MAWAR-2019")
    client.force_login(admin_user)
    url = reverse("admin:pinjaman_scheme_change", args=[scheme.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Akan disimpan: Rp2.500.000" in page.content.decode()
