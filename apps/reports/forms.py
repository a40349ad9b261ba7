from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.selectors import user_regency_codes
from apps.core.formatting import today_wib
from apps.regions.models import Level, Region


def region_choices(user: Any) -> list[tuple[str, str]]:
    """Provinces and regencies the user may report on: every one for administrators; otherwise the
    assigned regencies, and a province when all of its regencies are assigned."""

    codes = user_regency_codes(user)
    regencies = Region.objects.filter(level=Level.REGENCY)
    if codes is not None:
        regencies = regencies.filter(code__in=codes)
    regency_list = list(regencies.values_list("code", "name", "parent_id"))
    parents = {p for _c, _n, p in regency_list}
    provinces = []
    for code, name in Region.objects.filter(level=Level.PROVINCE, code__in=parents).values_list("code", "name"):
        if (
            codes is None
            or not Region.objects.filter(parent_id=code, level=Level.REGENCY).exclude(code__in=codes).exists()
        ):
            provinces.append((code, f"{_('Provinsi')} {name}"))
    return [*[(c, n) for c, n, _p in regency_list], *provinces]


class ReportForm(forms.Form):
    wilayah = forms.ChoiceField(label=_("Kabupaten/kota atau provinsi"))
    tahun = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    per = forms.DateField(label=_("Posisi data per tanggal"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region_names = dict(region_choices(user))
        cast(forms.ChoiceField, self.fields["wilayah"]).choices = list(self.region_names.items())

    @classmethod
    def initial_for(cls, user: Any) -> dict[str, Any]:
        as_of = today_wib()
        choices = region_choices(user)
        preferred = [c for c, _n in choices if c == "33.03"] or [c for c, _n in choices[:1]]
        # The last complete year: a report of the year running reads as a collapse in every figure.
        return {"wilayah": preferred[0] if preferred else "", "tahun": as_of.year - 1, "per": as_of.isoformat()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("tahun") and data.get("per") and data["tahun"] > data["per"].year:
            self.add_error("tahun", _("Tahun tidak boleh sesudah tanggal posisi data."))
        return data
