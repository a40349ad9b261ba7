from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import RupiahField
from apps.regions.models import Level, Region
from apps.umkm.models import Business, BusinessStatus, Gender, Kelas
from apps.umkm.rules import figures_missing


class RegistryFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama, NIB atau NIK"), required=False, max_length=100)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    desa = forms.ChoiceField(label=_("Desa/kelurahan"), required=False)
    sektor = forms.ChoiceField(label=_("Sektor"), required=False)
    kelas = forms.ChoiceField(label=_("Kelas"), required=False, choices=[("", _("Semua kelas")), *Kelas.choices])
    jenis_kelamin = forms.ChoiceField(
        label=_("Jenis kelamin pemilik"), required=False, choices=[("", _("Semua")), *Gender.choices]
    )
    tahun = forms.TypedChoiceField(label=_("Tahun data"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, regency_codes: set[str] | None, years: list[int], sectors: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        districts = Region.objects.filter(level=Level.DISTRICT)
        if regency_codes is not None:
            districts = districts.filter(parent_id__in=regency_codes)
        else:
            districts = districts.filter(parent_id__in=Business.objects.values("regency_id").distinct())
        self.fields["kecamatan"].choices = [("", _("Semua kecamatan"))] + [  # type: ignore[attr-defined]
            (d.code, f"{d.name} ({d.code})") for d in districts.order_by("code")
        ]
        district = self.data.get("kecamatan") if self.is_bound else ""
        villages = Region.objects.filter(level=Level.VILLAGE, parent_id=district) if district else Region.objects.none()
        self.fields["desa"].choices = [("", _("Semua desa/kelurahan"))] + [  # type: ignore[attr-defined]
            (v.code, v.name) for v in villages.order_by("name")
        ]
        self.fields["sektor"].choices = [("", _("Semua sektor"))] + [(s, s) for s in sectors]  # type: ignore[attr-defined]
        self.fields["tahun"].choices = [("", _("Tahun terakhir"))] + [(y, y) for y in years]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {"q": ""}  # an invalid filter shows nothing rather than everything
        return dict(self.cleaned_data)


class BusinessForm(forms.Form):
    name = forms.CharField(label=_("Nama usaha"), max_length=200)
    nib = forms.RegexField(
        label=_("NIB"), regex=r"^\d{13}$", required=False, error_messages={"invalid": _("NIB harus 13 digit angka.")}
    )
    kbli = forms.RegexField(
        label=_("KBLI"), regex=r"^\d{5}$", required=False, error_messages={"invalid": _("KBLI harus 5 digit angka.")}
    )
    sector = forms.CharField(label=_("Sektor"), max_length=100, required=False)
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    founded_year = forms.IntegerField(label=_("Tahun berdiri"), min_value=1900, max_value=2100, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=BusinessStatus.choices)


class BusinessYearForm(forms.Form):
    modal_usaha = RupiahField(label=_("Modal usaha (Rp)"), min_value=0, required=False)
    omzet_tahunan = RupiahField(label=_("Omzet tahunan (Rp)"), min_value=0, required=False)
    tenaga_kerja = forms.IntegerField(label=_("Tenaga kerja"), min_value=0, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if figures_missing(data.get("modal_usaha"), data.get("omzet_tahunan")):  # the importer's rule
            raise forms.ValidationError(_("Isi modal usaha atau omzet tahunan."))
        return data


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("Alasan melihat NIK lengkap"), max_length=200)
