"""Forms of cooperative development. They collect input; the services decide and explain refusals."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.pengembangan.models import Jabatan, Method, TieBreak
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


class CategoryForm(forms.Form):
    nama = forms.CharField(label=_("Nama kategori"), max_length=200)
    tahun = forms.IntegerField(label=_("Tahun award"), min_value=2000, max_value=2100)
    regency = forms.ChoiceField(label=_("Kabupaten/kota"))
    jenis = forms.MultipleChoiceField(
        label=_("Jenis koperasi"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kosong: semua jenis."),
    )
    tanggal_aktif = forms.DateField(label=_("Aktif pada tanggal"), widget=DateInput())
    syarat_sehat = forms.BooleanField(
        label=_("Predikat kesehatan terakhir Sehat atau Cukup Sehat"), required=False, initial=True
    )
    tahun_rat = forms.IntegerField(label=_("RAT diadakan pada tahun"), required=False, min_value=2000, max_value=2100)
    metode = forms.ChoiceField(label=_("Cara menghitung nilai juri"), choices=Method.choices)
    bobot_objektif = forms.DecimalField(
        label=_("Bobot komponen objektif (%)"), min_value=0, max_value=100, decimal_places=2, initial=30
    )
    tie_break_1 = forms.ChoiceField(label=_("Pemutus seri pertama"), choices=TieBreak.choices)
    tie_break_2 = forms.ChoiceField(
        label=_("Pemutus seri kedua"), choices=[("", "–"), *TieBreak.choices], required=False
    )
    tie_break_3 = forms.ChoiceField(
        label=_("Pemutus seri ketiga"), choices=[("", "–"), *TieBreak.choices], required=False
    )
    jumlah_pemenang = forms.IntegerField(label=_("Jumlah pemenang"), min_value=1, max_value=20, initial=3)
    kriteria = forms.CharField(
        label=_("Kriteria penilaian juri"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Satu baris per kriteria: nama; bobot. Contoh: Tata kelola; 40"),
    )
    juri = forms.MultipleChoiceField(label=_("Juri"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, regencies, jenis, judges, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["regency"].choices = regencies  # type: ignore[attr-defined]
        self.fields["jenis"].choices = jenis  # type: ignore[attr-defined]
        self.fields["juri"].choices = judges  # type: ignore[attr-defined]

    def clean_kriteria(self) -> list[tuple[str, Decimal]]:
        out = []
        for i, line in enumerate(self.cleaned_data["kriteria"].splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, weight = line.rpartition(";")
            try:
                bobot = Decimal(weight.strip().replace(",", "."))
            except ArithmeticError:
                bobot = Decimal(-1)
            if not sep or not name.strip() or not bobot.is_finite() or bobot <= 0:
                raise forms.ValidationError(
                    _("Baris %(i)s: tulis nama kriteria, titik koma, lalu bobot lebih dari 0.") % {"i": i}
                )
            out.append((name.strip()[:200], bobot))
        if not out:
            raise forms.ValidationError(_("Paling sedikit satu kriteria."))
        return out

    def tie_breaks(self) -> list[str]:
        order: list[str] = []
        for name in ("tie_break_1", "tie_break_2", "tie_break_3"):
            value = self.cleaned_data.get(name)
            if value and value not in order:
                order.append(value)
        return order


class NominationForm(forms.Form):
    koperasi = forms.ChoiceField(label=_("Koperasi yang memenuhi syarat"))
    alasan = forms.CharField(label=_("Alasan nominasi"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["koperasi"].choices = choices  # type: ignore[attr-defined]


class AwardScoreForm(forms.Form):
    def __init__(self, *args: Any, criteria, initial_scores: dict[int, Decimal], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for c in criteria:
            self.fields[f"c{c.pk}"] = forms.DecimalField(
                label=f"{c.nomor}. {c.nama}",
                min_value=0,
                max_value=100,
                decimal_places=2,
                initial=initial_scores.get(c.pk),
                help_text=_("0–100 · bobot %(b)s") % {"b": c.bobot.normalize()},
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
            )

    def values(self) -> dict[int, Decimal]:
        return {int(name[1:]): v for name, v in self.cleaned_data.items()}


class RecusalForm(forms.Form):
    alasan = forms.CharField(label=_("Alasan mengundurkan diri (konflik kepentingan)"), max_length=500)


class PanelForm(forms.Form):
    urutan_panel = forms.IntegerField(label=_("Urutan menurut keputusan panel"), min_value=1, max_value=999)
    catatan_panel = forms.CharField(label=_("Catatan keputusan panel"), max_length=1000)
