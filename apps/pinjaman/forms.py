"""Forms of the Kredit Mawar flow. Every amount is the shared `apps.core.forms.RupiahField`: typed as
people write it (`90.000`, `Rp2.500.000`), with "Akan disimpan: Rp90.000" under the box."""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import RupiahField
from apps.pinjaman.models import SlikResult

POSITIVE = {"min_value": _("Jumlah harus lebih dari nol.")}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ApplicationForm(forms.Form):
    """The owner's (or operator's) application for one registry business."""

    business = forms.ChoiceField(label=_("Usaha"))
    nik = forms.CharField(
        label=_("NIK pemilik usaha"),
        min_length=16,
        max_length=16,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{16}"}),
        help_text=_("Untuk mencocokkan dengan registri; tidak ditampilkan utuh di mana pun."),
    )
    amount = RupiahField(
        label=_("Jumlah pinjaman (Rp)"), help_text=_("Contoh: 2.500.000"), min_value=1, error_messages=POSITIVE
    )
    purpose = forms.CharField(label=_("Keperluan"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    residence_village = forms.ChoiceField(label=_("Desa/kelurahan tempat tinggal"))
    no_other_bank_loan = forms.BooleanField(
        label=_("Saya menyatakan tidak punya pinjaman di bank lain"), required=False
    )

    def __init__(self, *args: Any, businesses: list[tuple[int, str]], villages: list[tuple[str, str]],
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["business"].choices = [(str(pk), label) for pk, label in businesses]  # type: ignore[attr-defined]
        self.fields["residence_village"].choices = [  # type: ignore[attr-defined]
            ("", _("— pilih —")),
            *villages,
            ("luar", _("Di luar kabupaten ini")),
        ]

    def clean_nik(self) -> str:
        nik = "".join(self.cleaned_data["nik"].split())
        if not nik.isdigit() or len(nik) != 16:
            raise forms.ValidationError(_("NIK harus 16 digit angka."))
        return nik


class BusinessLookupForm(forms.Form):
    """The operator finds the applicant's registry businesses by the owner's NIK (never put in the URL)."""

    nik = forms.CharField(label=_("NIK pemilik usaha"), min_length=16, max_length=16)


class RecommendForm(forms.Form):
    letter_date = forms.DateField(label=_("Tanggal surat"), widget=DateInput())
    applications = forms.MultipleChoiceField(label=_("Permohonan"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applications"].choices = choices  # type: ignore[attr-defined]
        self.fields["letter_date"].initial = timezone.localdate()


class DecisionForm(forms.Form):
    slik_result = forms.ChoiceField(label=_("Hasil SLIK"), choices=[("", "—"), *SlikResult.choices])
    decision = forms.ChoiceField(
        label=_("Keputusan"), choices=[("setuju", _("Setujui")), ("tolak", _("Tolak"))], widget=forms.RadioSelect
    )
    approved_amount = RupiahField(
        label=_("Jumlah disetujui (Rp)"), required=False, min_value=1, error_messages=POSITIVE
    )
    reason = forms.CharField(label=_("Alasan penolakan"), required=False, max_length=300)


class DisburseForm(forms.Form):
    account_number = forms.CharField(label=_("Nomor rekening"), max_length=40)
    disbursed_on = forms.DateField(label=_("Tanggal pencairan"), widget=DateInput())

    def clean_disbursed_on(self) -> date:
        value = self.cleaned_data["disbursed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Tanggal pencairan tidak boleh di masa depan."))
        return value


class RepaymentForm(forms.Form):
    transaction_number = forms.CharField(label=_("Nomor transaksi"), max_length=60)
    paid_on = forms.DateField(label=_("Tanggal bayar"), widget=DateInput())
    amount = RupiahField(label=_("Jumlah (Rp)"), min_value=1, error_messages=POSITIVE)


class WriteOffForm(forms.Form):
    written_off_on = forms.DateField(label=_("Tanggal hapus buku"), widget=DateInput())


class RestructureForm(forms.Form):
    effective_on = forms.DateField(label=_("Berlaku mulai"), widget=DateInput())
    tenor_months = forms.IntegerField(label=_("Jangka waktu baru (bulan)"), min_value=1, max_value=60)
    reason = forms.CharField(label=_("Alasan"), max_length=300)


class ClaimCreateForm(forms.Form):
    bank = forms.ChoiceField(label=_("Bank mitra"))
    year = forms.IntegerField(label=_("Tahun"), min_value=2019, max_value=2100)
    month = forms.IntegerField(label=_("Bulan"), min_value=1, max_value=12)

    def __init__(self, *args: Any, banks: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bank"].choices = [(str(pk), name) for pk, name in banks]  # type: ignore[attr-defined]


class ReconcileForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas bank (CSV atau XLSX)"),
        help_text=_("Kolom: nomor_rekening, jumlah (subsidi bulan ini menurut bank)."),
    )


class ClaimPayForm(forms.Form):
    paid_on = forms.DateField(label=_("Tanggal bayar"), widget=DateInput())
    reference = forms.CharField(label=_("Referensi pembayaran (SP2D)"), max_length=100)
