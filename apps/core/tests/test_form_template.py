"""templates/_form.html: a form that failed opens with an error summary naming and linking every failed field."""

from django import forms
from django.template.loader import render_to_string


class Sample(forms.Form):
    nama = forms.CharField(label="Nama")
    kode_pos = forms.CharField(label="Kode pos", max_length=5)
    catatan = forms.CharField(label="Catatan", required=False)

    def clean(self):
        raise forms.ValidationError("Ada yang salah.")


def test_a_valid_or_unbound_form_has_no_summary():
    assert "data-error-summary" not in render_to_string("_form.html", {"form": Sample()})


def test_the_summary_lists_form_and_field_errors_with_links_in_form_order():
    html = render_to_string("_form.html", {"form": Sample({"nama": "", "kode_pos": "1234567"})})
    assert 'role="alert" tabindex="-1" data-error-summary' in html
    assert "<p>Ada yang salah.</p>" in html
    assert html.index('<a href="#id_nama">Nama</a>') < html.index('<a href="#id_kode_pos">Kode pos</a>')
    assert 'href="#id_catatan"' not in html  # no error, no entry
    assert html.count('role="alert"') == 1  # one alert: the summary, not one per field as well
