from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

SORT_CHOICES = [
    ("", _("Paling sesuai / terbaru")),
    ("terbaru", _("Terbaru")),
    ("termurah", _("Harga termurah")),
    ("termahal", _("Harga termahal")),
    ("nama", _("Nama A–Z")),
]


class CatalogueFilterForm(forms.Form):
    """Storefront filters (GET). Invalid values are dropped rather than shown as errors."""

    q = forms.CharField(label=_("Cari produk"), max_length=100, required=False)
    kategori = forms.ChoiceField(label=_("Kategori"), required=False)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    harga_min = forms.IntegerField(label=_("Harga dari (Rp)"), min_value=0, required=False)
    harga_max = forms.IntegerField(label=_("Harga sampai (Rp)"), min_value=0, required=False)
    urut = forms.ChoiceField(label=_("Urutkan"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args: Any, categories: list[Any], kecamatan: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kategori, kecamatan_field = self.fields["kategori"], self.fields["kecamatan"]
        assert isinstance(kategori, forms.ChoiceField) and isinstance(kecamatan_field, forms.ChoiceField)
        kategori.choices = [("", _("Semua kategori"))] + [(c.slug, c.name) for c in categories]
        kecamatan_field.choices = [("", _("Semua kecamatan"))] + [(k.code, k.name) for k in kecamatan]
