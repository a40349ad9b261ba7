from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import RupiahField
from apps.core.uploads import DOCUMENT_KINDS, CheckedFileField
from apps.settlement.models import StatementStatus


class ListFilterForm(forms.Form):
    bulan = forms.CharField(
        label=_("Periode"), required=False, widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"})
    )
    cari = forms.CharField(label=_("Nama toko"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Semua"))] + list(StatementStatus.choices)
    )
    terutang = forms.BooleanField(label=_("Hanya yang masih terutang"), required=False)


class PeriodActionForm(forms.Form):
    """Generate or close the statements of a month for one of the officer's regencies."""

    bulan = forms.CharField(widget=forms.HiddenInput)
    wilayah = forms.ChoiceField(label=_("Dinas (kabupaten/kota)"))

    def __init__(self, *args, regencies: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["wilayah"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = regencies
        if len(regencies) == 1:
            self.fields["wilayah"].initial = regencies[0][0]
            self.fields["wilayah"].widget = forms.HiddenInput()


class AdjustmentForm(forms.Form):
    date = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    amount = RupiahField(
        label=_("Jumlah"),
        min_value=-10_000_000_000,
        max_value=10_000_000_000,
        help_text=_("negatif (diawali tanda minus) = biaya yang dipotong dari penjual, mis. -150.000"),
    )
    reason = forms.CharField(label=_("Alasan"), max_length=300, help_text=_("mis. biaya stan festival"))


class PayoutForm(forms.Form):
    date = forms.DateField(label=_("Tanggal bayar"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    amount = RupiahField(label=_("Jumlah dibayarkan"), min_value=1, max_value=10_000_000_000)
    reference = forms.CharField(label=_("Referensi bank"), max_length=100)
    proof = CheckedFileField(
        label=_("Bukti transfer (opsional)"), kinds=DOCUMENT_KINDS, required=False, help_text=_("JPEG, PNG atau PDF")
    )
