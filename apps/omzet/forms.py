from django import forms
from django.utils.translation import gettext_lazy as _


class MappingForm(forms.Form):
    channel = forms.IntegerField(widget=forms.HiddenInput)
    match_key = forms.CharField(max_length=300, widget=forms.HiddenInput)
    sku = forms.CharField(label=_("SKU produk katalog"), max_length=64)
