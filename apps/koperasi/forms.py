from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import RupiahField
from apps.core.uploads import CheckedFileField
from apps.koperasi.models import FINANCIAL_FIELDS, SIGNED_FIELDS, Jenis, LaporanTahunan, Predikat
from apps.koperasi.questionnaire import QUESTIONS
from apps.koperasi.selectors import Status
from apps.koperasi.services import PDF_MAX_BYTES, PDF_MESSAGES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class RegistryFilterForm(forms.Form):
    as_of = forms.DateField(label=_("Posisi tanggal"), required=False, widget=DateInput())
    tahun = forms.IntegerField(label=_("Tahun buku penilaian"), required=False, min_value=1945, max_value=2100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Semua")),
            ("terdaftar", _("Terdaftar (belum dibubarkan)")),
            (Status.AKTIF, _("Aktif")),
            (Status.TIDAK_AKTIF, _("Tidak aktif")),
            (Status.DIBUBARKAN, _("Dibubarkan")),
        ],
    )
    predikat = forms.ChoiceField(
        label=_("Predikat"),
        required=False,
        choices=[("", _("Semua")), *Predikat.choices, ("belum_dinilai", _("Belum dinilai"))],
    )
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    jenis = forms.ChoiceField(label=_("Jenis"), required=False, choices=[("", _("Semua")), *Jenis.choices])
    q = forms.CharField(label=_("Cari nama / nomor badan hukum"), required=False, max_length=100)

    def __init__(self, *args: Any, districts: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = [("", _("Semua")), *districts]  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        as_of = data.get("as_of") or timezone.localdate()
        return {
            "as_of": as_of,
            "year": data.get("tahun") or as_of.year - 1,
            "status": data.get("status", ""),
            "predikat": data.get("predikat", ""),
            "kecamatan": data.get("kecamatan", ""),
            "jenis": data.get("jenis", ""),
            "search": data.get("q", ""),
        }


class LaporanForm(forms.Form):
    """The annual report a cooperative officer fills in: RAT, members, statements, questionnaire."""

    tahun_buku = forms.IntegerField(label=_("Tahun buku"), min_value=1945)
    tanggal_rat = forms.DateField(
        label=_("Tanggal RAT"), required=False, widget=DateInput(), help_text=_("Kosongkan bila RAT belum diadakan.")
    )
    jumlah_anggota = forms.IntegerField(label=_("Jumlah anggota"), required=False, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in FINANCIAL_FIELDS:
            label = LaporanTahunan._meta.get_field(name).verbose_name  # type: ignore[union-attr]
            self.fields[name] = RupiahField(
                label=f"{label} (Rp)",
                required=False,
                min_value=None if name in SIGNED_FIELDS else 0,
                max_value=10**15 - 1,
            )
        for _group, _group_label, items in QUESTIONS:
            for key, text in items:
                self.fields[f"q_{key}"] = forms.BooleanField(label=str(text), required=False)

    def clean_tahun_buku(self) -> int:
        tahun = self.cleaned_data["tahun_buku"]
        if tahun > timezone.localdate().year:
            raise forms.ValidationError(_("Tahun buku tidak boleh di masa depan."))
        return tahun

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rat, tahun = data.get("tanggal_rat"), data.get("tahun_buku")
        if rat and tahun and rat < date(tahun, 1, 1):
            self.add_error("tanggal_rat", _("Tanggal RAT tidak boleh sebelum awal tahun buku."))
        if rat and rat > timezone.localdate():
            self.add_error("tanggal_rat", _("Tanggal RAT tidak boleh di masa depan."))
        return data

    def figures(self) -> dict[str, int | None]:
        return {name: self.cleaned_data.get(name) for name in FINANCIAL_FIELDS}

    def kuesioner(self) -> dict[str, bool]:
        return {key: bool(self.cleaned_data.get(f"q_{key}")) for _g, _label, items in QUESTIONS for key, _text in items}

    def financial_fields(self) -> list[Any]:
        return [self[name] for name in FINANCIAL_FIELDS]

    def question_groups(self) -> list[tuple[Any, list[Any]]]:
        return [(label, [self[f"q_{key}"] for key, _t in items]) for _g, label, items in QUESTIONS]


class ReviewForm(forms.Form):
    keputusan = forms.ChoiceField(
        label=_("Keputusan"), choices=[("terima", _("Terima laporan")), ("kembalikan", _("Kembalikan dengan catatan"))]
    )
    catatan = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("keputusan") == "kembalikan" and not (data.get("catatan") or "").strip():
            self.add_error("catatan", _("Tuliskan catatan perbaikan untuk pengurus koperasi."))
        return data


def PdfField(**kwargs: Any) -> CheckedFileField:  # noqa: N802 - reads as a field class in the forms
    return CheckedFileField(kinds=("pdf",), max_bytes=PDF_MAX_BYTES, messages=PDF_MESSAGES, **kwargs)


class PembubaranStartForm(forms.Form):
    alasan = forms.CharField(label=_("Alasan pembubaran"), widget=forms.Textarea(attrs={"rows": 3}))
    tanggal_pemberitahuan = forms.DateField(label=_("Tanggal surat pemberitahuan"), widget=DateInput())
    tanggal_diterima = forms.DateField(label=_("Tanggal pemberitahuan diterima koperasi"), widget=DateInput())
    dokumen = PdfField(label=_("Surat pemberitahuan (PDF, paling besar 5 MB)"))


class PembubaranStepForm(forms.Form):
    tanggal = forms.DateField(label=_("Tanggal"), widget=DateInput())
    keberatan_diterima = forms.TypedChoiceField(
        label=_("Keputusan atas keberatan"),
        choices=[
            ("0", _("Keberatan ditolak: pembubaran dilanjutkan")),
            ("1", _("Keberatan diterima: batal dibubarkan")),
        ],
        coerce=lambda v: v == "1",
        required=False,
    )
    catatan = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    dokumen = PdfField(label=_("Dokumen (PDF, paling besar 5 MB)"))

    def __init__(self, *args: Any, langkah: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if langkah != "keputusan_keberatan":
            del self.fields["keberatan_diterima"]
