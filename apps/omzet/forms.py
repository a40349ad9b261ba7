from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.selectors import user_regency_codes
from apps.core.forms import RupiahField
from apps.omzet.models import Channel
from apps.regions.models import Level, Region
from apps.regions.selectors import scope_queryset
from apps.store.models import Seller


class MappingForm(forms.Form):
    channel = forms.IntegerField(widget=forms.HiddenInput)
    match_key = forms.CharField(max_length=300, widget=forms.HiddenInput)
    sku = forms.CharField(label=_("SKU produk katalog"), max_length=64)


def _regency_choices(user: Any) -> list[tuple[str, str]]:
    codes = user_regency_codes(user)
    qs = Region.objects.filter(level=Level.REGENCY).order_by("code")
    if codes is not None:
        qs = qs.filter(code__in=codes)
    return [(r.code, f"{r.code} {r.name}") for r in qs]


class OfflineSaleForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Kanal"),
        choices=[("showroom", _("Showroom")), ("outlet", _("Outlet")), ("opd", _("Pembelian OPD"))],
    )
    regency = forms.ChoiceField(label=_("Kabupaten/kota"))
    sale_date = forms.DateField(label=_("Tanggal penjualan"), widget=forms.DateInput(attrs={"type": "date"}))
    office_name = forms.CharField(
        label=_("Nama OPD"), max_length=200, required=False, help_text=_("Wajib untuk pembelian OPD.")
    )
    invoice_number = forms.CharField(
        label=_("Nomor faktur"),
        max_length=60,
        required=False,
        help_text=_("Kosongkan untuk nomor otomatis (pembelian OPD)."),
    )
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["regency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _regency_choices(user)
        if len(field.choices) == 1:
            field.initial = field.choices[0][0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("channel") == "opd" and not (data.get("office_name") or "").strip():
            self.add_error("office_name", _("Nama OPD wajib diisi untuk pembelian OPD."))
        return data


class SaleItemForm(forms.Form):
    sku = forms.CharField(label=_("SKU"), max_length=64, required=False)
    quantity = forms.IntegerField(label=_("Jumlah"), min_value=1, required=False)
    unit_price = RupiahField(
        label=_("Harga satuan (Rp)"), min_value=0, required=False, help_text=_("Kosong: harga katalog.")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("sku") and not data.get("quantity"):
            self.add_error("quantity", _("Isi jumlah."))
        return data


SaleItemFormSet = forms.formset_factory(SaleItemForm, extra=5, max_num=50)


class LedgerFilterForm(forms.Form):
    kanal = forms.ChoiceField(label=_("Kanal"), required=False)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    penjual = forms.ChoiceField(label=_("Penjual"), required=False)
    dari = forms.DateField(label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sampai = forms.DateField(label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

        channels = scope_queryset(Channel.objects.all(), user).order_by("name").values_list("code", "name").distinct()
        districts = Region.objects.filter(level=Level.DISTRICT).order_by("code")
        sellers = scope_queryset(Seller.objects.all(), user).order_by("shop_name").values_list("pk", "shop_name")
        codes = [c for c, _label in _regency_choices(user)]
        districts = districts.filter(parent_id__in=codes)
        everything = [("", _("Semua"))]
        self.fields["kanal"].choices = everything + list(dict(channels).items())  # type: ignore[attr-defined]
        self.fields["kecamatan"].choices = everything + [  # type: ignore[attr-defined]
            (d.code, f"{d.name} ({d.parent_id})") for d in districts
        ]
        self.fields["penjual"].choices = everything + [(str(pk), name) for pk, name in sellers]  # type: ignore[attr-defined]
