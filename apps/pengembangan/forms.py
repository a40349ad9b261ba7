"""Forms of cooperative development. They collect input; the services decide and explain refusals."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.pengembangan.models import Jabatan
from apps.pengembangan.ujikom_rules import plain


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ManagerForm(forms.Form):
    nama = forms.CharField(label=_("Nama lengkap"), max_length=150)
    nik = forms.CharField(
        label=_("NIK"),
        min_length=16,
        max_length=16,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{16}"}),
    )
    jabatan = forms.ChoiceField(label=_("Jabatan"), choices=Jabatan.choices)
    no_hp = forms.CharField(label=_("Nomor HP"), max_length=20, required=False)


class EnrolForm(forms.Form):
    manager = forms.ChoiceField(label=_("Pengelola"))
    session = forms.ChoiceField(label=_("Sesi uji"))

    def __init__(self, *args: Any, managers: list[tuple[int, str]], sessions: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["manager"].choices = managers  # type: ignore[attr-defined]
        self.fields["session"].choices = sessions  # type: ignore[attr-defined]


class SessionForm(forms.Form):
    scheme = forms.ChoiceField(label=_("Skema"))
    regency = forms.ChoiceField(label=_("Kabupaten/kota"))
    nama = forms.CharField(label=_("Nama sesi"), max_length=200)
    tanggal = forms.DateField(label=_("Tanggal uji"), widget=DateInput())
    tempat = forms.CharField(label=_("Tempat"), max_length=200, required=False)
    kuota = forms.IntegerField(label=_("Kuota peserta"), min_value=1, max_value=10000)
    assessors = forms.MultipleChoiceField(
        label=_("Asesor"), required=False, widget=forms.CheckboxSelectMultiple, help_text=_("Pengguna berperan asesor.")
    )

    def __init__(self, *args: Any, schemes, regencies, assessors, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].choices = schemes  # type: ignore[attr-defined]
        self.fields["regency"].choices = regencies  # type: ignore[attr-defined]
        self.fields["assessors"].choices = assessors  # type: ignore[attr-defined]


class ScoreForm(forms.Form):
    """One decimal field per criterion (`k<id>`), grouped by unit in the template (tablet-friendly)."""

    def __init__(self, *args: Any, criteria, initial_scores: dict[int, Decimal], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.groups: list[tuple[Any, list[tuple[Any, Any]]]] = []
        for c in criteria:
            name = f"k{c.pk}"
            self.fields[name] = forms.DecimalField(
                label=f"{c.unit.kode}.{c.nomor} {c.uraian}",
                required=False,
                min_value=0,
                max_value=c.maksimum,
                decimal_places=2,
                initial=initial_scores.get(c.pk),
                help_text=_("maksimum %(max)s · minimum %(min)s · bobot %(b)s")
                % {"max": plain(c.maksimum), "min": plain(c.minimum), "b": plain(c.bobot)},
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
            )
            if not self.groups or self.groups[-1][0] != c.unit:
                self.groups.append((c.unit, []))
            self.groups[-1][1].append((c, self[name]))

    def values(self) -> dict[int, Decimal | None]:
        return {int(name[1:]): v for name, v in self.cleaned_data.items()}
