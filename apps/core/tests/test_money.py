"""The rupiah input (apps.core.money, apps.core.forms.RupiahField): what a person may type, and what is saved."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from apps.core.forms import RupiahField
from apps.core.money import number_localised, parse_rupiah_input, rupiah_localised

# (typed, saved) on an Indonesian page
ACCEPTED_ID = [
    ("90000", 90_000),
    ("90.000", 90_000),
    ("Rp90.000", 90_000),
    ("Rp 90.000", 90_000),
    ("rp 90.000", 90_000),
    ("Rp. 90.000", 90_000),
    ("RP90000", 90_000),
    (" 90.000 ", 90_000),
    ("90.000,-", 90_000),
    ("Rp90.000,00", 90_000),
    ("87.500", 87_500),
    ("75.000", 75_000),
    ("1.234.567", 1_234_567),
    ("1.000", 1_000),
    ("0", 0),
    ("007", 7),
    ("90\u00a0000".replace("\u00a0", ""), 90_000),
    ("Rp\u00a090.000", 90_000),
]

# (typed, error code) on an Indonesian page
REFUSED_ID = [
    ("90,5", "sen"),
    ("90,50", "sen"),
    ("90.5", "sen"),
    ("90.000,5", "sen"),
    ("90,000", "comma_group"),
    ("1,234,567", "comma_group"),
    ("90.00", "sen"),
    ("9.0000", "sen"),
    ("90..000", "invalid"),
    ("90 000", "invalid"),
    ("sembilan puluh ribu", "invalid"),
    ("90rb", "invalid"),
    ("Rp", "invalid"),
    ("1e5", "invalid"),
    ("-90.000", "negative"),
    ("Rp-90.000", "negative"),
    ("1" + "0" * 15, "too_large"),
]

ACCEPTED_EN = [
    ("90,000", 90_000),
    ("Rp90,000", 90_000),
    ("90000", 90_000),
    ("90.000", 90_000),
    ("90,000.00", 90_000),
    ("1,234,567", 1_234_567),
]
REFUSED_EN = [("90,5", "sen"), ("90.5", "sen"), ("90,000.50", "sen"), ("abc", "invalid")]


@pytest.mark.parametrize(("typed", "saved"), ACCEPTED_ID)
def test_indonesian_input_accepted(typed, saved):
    assert parse_rupiah_input(typed, language="id") == saved


@pytest.mark.parametrize(("typed", "code"), REFUSED_ID)
def test_indonesian_input_refused_with_reason(typed, code):
    with pytest.raises(ValidationError) as exc:
        parse_rupiah_input(typed, language="id")
    assert exc.value.code == code


@pytest.mark.parametrize(("typed", "saved"), ACCEPTED_EN)
def test_english_input_accepted(typed, saved):
    assert parse_rupiah_input(typed, language="en") == saved


@pytest.mark.parametrize(("typed", "code"), REFUSED_EN)
def test_english_input_refused(typed, code):
    with pytest.raises(ValidationError) as exc:
        parse_rupiah_input(typed, language="en")
    assert exc.value.code == code


@pytest.mark.parametrize(
    ("typed", "saved"), [("-90.000", -90_000), ("Rp -1.500", -1_500), ("- Rp1.500", -1_500), ("-0", 0)]
)
def test_negative_amounts_where_allowed(typed, saved):
    assert parse_rupiah_input(typed, allow_negative=True, language="id") == saved


@given(st.integers(min_value=-(10**14), max_value=10**14), st.sampled_from(["id", "en"]))
def test_what_is_shown_reads_back_as_the_same_amount(amount, language):
    shown, preview = number_localised(amount, language), rupiah_localised(amount, language)
    assert parse_rupiah_input(shown, allow_negative=True, language=language) == amount
    assert parse_rupiah_input(preview, allow_negative=True, language=language) == amount


class PriceForm(forms.Form):
    price = RupiahField(label="Harga (Rp)", min_value=1, max_value=1_000_000_000)
    capital = RupiahField(label="Modal", min_value=None, required=False)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"price": "90.000"}, {"price": 90_000, "capital": None}),
        ({"price": "Rp 87.500", "capital": "-1.500"}, {"price": 87_500, "capital": -1_500}),
    ],
)
def test_field_cleans_to_whole_rupiah(data, expected):
    form = PriceForm(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("90,5", "Rupiah ditulis tanpa sen (tanpa koma), misalnya 90.000."),
        ("90,000", "Pakai titik sebagai pemisah ribuan, misalnya 90.000."),
        ("abc", "Tulis jumlah rupiah dengan angka, misalnya 90.000 atau Rp90.000."),
        ("0", "Paling sedikit Rp1."),
        ("2.000.000.000", "Paling banyak Rp1.000.000.000."),
        ("-5", "Jumlah rupiah tidak boleh negatif."),
        ("", "Bidang ini tidak boleh kosong."),
    ],
)
def test_field_errors_in_indonesian(typed, message):
    with translation.override("id"):
        form = PriceForm({"price": typed})
        assert not form.is_valid()
        assert form.errors["price"] == [message]


def test_field_errors_in_english():
    with translation.override("en"):
        form = PriceForm({"price": "90,5"})
        assert not form.is_valid()
        assert form.errors["price"] == ["Rupiah has no cents: write a whole number, for example 90,000."]


def test_widget_is_a_text_box_showing_the_amount_to_be_saved():
    with translation.override("id"):
        html = str(PriceForm(initial={"price": 90_000})["price"])
    assert 'type="text"' in html and 'type="number"' not in html
    assert 'inputmode="numeric"' in html and 'value="90.000"' in html
    assert 'aria-describedby="id_price_rupiah"' in html
    preview = '<small class="rupiah-preview" id="id_price_rupiah" aria-live="polite">Akan disimpan: Rp90.000</small>'
    assert preview in html
    assert "required" in html  # still marked required for assistive technology; no pattern/min/max attributes
    assert "pattern=" not in html and "min=" not in html


def test_widget_keeps_what_was_typed_when_refused():
    with translation.override("id"):
        form = PriceForm({"price": "90,5"})
        form.is_valid()
        html = str(form["price"])
    assert 'value="90,5"' in html
    assert 'id="id_price_rupiah" aria-live="polite"></small>' in html


def test_english_widget_shows_english_grouping():
    with translation.override("en"):
        html = str(PriceForm(initial={"price": 90_000})["price"])
    assert 'value="90,000"' in html and "Will be saved: Rp90,000" in html
