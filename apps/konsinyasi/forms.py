from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.formatting import today_wib
from apps.core.forms import RupiahField
from apps.core.uploads import IMAGE_KINDS, CheckedFileField
from apps.konsinyasi.models import LocationKind, PaymentMethod
from apps.regions.models import Level, Region

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class LocationForm(forms.Form):
    regency = forms.ChoiceField(label=_("Kabupaten/kota"))
    name = forms.CharField(label=_("Nama lokasi"), max_length=120)
    kind = forms.ChoiceField(label=_("Jenis"), choices=LocationKind.choices)
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    shares_online_stock = forms.BooleanField(
        label=_("Berbagi stok dengan toko daring"),
        required=False,
        help_text=_("Penjualan kasir mengambil stok daring varian; pembeli web dan kasir berebut stok yang sama."),
    )

    def __init__(self, *args: Any, regency_codes: set[str] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = Region.objects.filter(level=Level.REGENCY).order_by("code")
        if regency_codes is not None:
            qs = qs.filter(code__in=regency_codes)
        self.fields["regency"].choices = [(r.code, r.name) for r in qs]  # type: ignore[attr-defined]


class LocationEditForm(forms.Form):
    name = forms.CharField(label=_("Nama lokasi"), max_length=120)
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    shares_online_stock = forms.BooleanField(label=_("Berbagi stok dengan toko daring"), required=False)
    qris_image = CheckedFileField(label=_("Gambar QRIS statis (JPG/PNG)"), kinds=IMAGE_KINDS, required=False)


class ReceiptForm(forms.Form):
    seller = forms.ChoiceField(label=_("Penjual"))
    received_on = forms.DateField(label=_("Tanggal terima"), widget=DATE)
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)

    def __init__(self, *args: Any, sellers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seller"].choices = [("", "---------")] + [(str(pk), n) for pk, n in sellers]  # type: ignore[attr-defined]
        self.fields["received_on"].initial = today_wib()


class ReceiptLineForm(forms.Form):
    sku = forms.CharField(label=_("SKU"), max_length=64, required=False)
    quantity = forms.IntegerField(label=_("Jumlah"), min_value=1, required=False)
    selling_price = RupiahField(label=_("Harga jual (Rp)"), min_value=0, required=False)
    consignment_price = RupiahField(label=_("Harga titip (Rp)"), min_value=0, required=False)
    commission_percent = forms.DecimalField(
        label=_("atau komisi (%)"), min_value=Decimal(0), max_value=Decimal(100), decimal_places=2, required=False
    )
    expires_on = forms.DateField(label=_("Kedaluwarsa"), required=False, widget=DATE)
    shares_online_stock = forms.BooleanField(label=_("Stok bersama toko daring"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("sku"):
            if not data.get("quantity"):
                self.add_error("quantity", _("Isi jumlah."))
            if data.get("selling_price") is None:
                self.add_error("selling_price", _("Isi harga jual."))
            if (data.get("consignment_price") is None) == (data.get("commission_percent") is None):
                self.add_error("consignment_price", _("Isi salah satu: harga titip atau komisi (%)."))
        return data


ReceiptLineFormSet = forms.formset_factory(ReceiptLineForm, extra=4, max_num=40)


class MoveForm(forms.Form):
    """Lots and quantities for a transfer, a return to the seller or a stock count (one number per lot)."""

    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)


class CheckoutForm(forms.Form):
    method = forms.ChoiceField(label=_("Cara bayar"), choices=PaymentMethod.choices, widget=forms.RadioSelect)
    cash_given = RupiahField(label=_("Uang diterima (Rp)"), min_value=0, required=False)
    qris_confirmed = forms.BooleanField(label=_("Pembayaran QRIS sudah diterima"), required=False)


class ClosingForm(forms.Form):
    opening_cash = RupiahField(label=_("Modal kas awal (Rp)"), min_value=0, required=False)
    counted_cash = RupiahField(label=_("Kas dihitung (Rp)"), min_value=0)
    reason = forms.CharField(label=_("Alasan selisih"), max_length=300, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=300)
