from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import RupiahField
from apps.core.uploads import IMAGE_KINDS, CheckedFileField
from apps.imports.parsing import parse_date
from apps.program.models import Kind
from apps.program.packaging import PHOTO_MAX_BYTES, PHOTO_MESSAGES
from apps.regions.models import Level, Region
from apps.umkm.models import Kelas


class ProgrammeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis kegiatan"), choices=Kind.choices)
    title = forms.CharField(label=_("Nama kegiatan"), max_length=200)
    district = forms.ChoiceField(label=_("Kecamatan tempat kegiatan"), required=False)
    place = forms.CharField(label=_("Tempat"), max_length=200, required=False)
    start_date = forms.DateField(label=_("Tanggal mulai"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("Tanggal selesai"), widget=forms.DateInput(attrs={"type": "date"}))
    budget = RupiahField(label=_("Pagu anggaran (Rp)"), required=False)
    quota = forms.IntegerField(label=_("Kuota peserta"), required=False, min_value=1)
    registration_opens = forms.DateTimeField(
        label=_("Pendaftaran dibuka"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    registration_closes = forms.DateTimeField(
        label=_("Pendaftaran ditutup"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    eligible_classes = forms.MultipleChoiceField(
        label=_("Kelas usaha sasaran (kosong: semua)"),
        choices=Kelas.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    eligible_districts = forms.MultipleChoiceField(
        label=_("Kecamatan sasaran (kosong: semua)"), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    eligible_sectors = forms.CharField(
        label=_("Sektor sasaran (pisahkan dengan koma; kosong: semua)"), required=False, max_length=500
    )
    priority_women = forms.BooleanField(label=_("Prioritaskan pemilik perempuan"), required=False)
    priority_mikro = forms.BooleanField(label=_("Prioritaskan usaha mikro"), required=False)
    min_attendance_percent = forms.DecimalField(
        label=_("Kehadiran minimal untuk lulus (%)"), min_value=0, max_value=100, decimal_places=2, initial=75
    )
    pass_mark = forms.IntegerField(label=_("Nilai lulus post-test"), min_value=0, max_value=100, initial=70)
    offer_hours = forms.IntegerField(
        label=_("Batas konfirmasi kursi kosong (jam)"), min_value=1, max_value=720, initial=48
    )
    description = forms.CharField(label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, regency_code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        districts = [
            (d.code, d.name)
            for d in Region.objects.filter(level=Level.DISTRICT, parent_id=regency_code).order_by("name")
        ]
        self.fields["district"].choices = [("", "—"), *districts]  # type: ignore[attr-defined]
        self.fields["eligible_districts"].choices = districts  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Tanggal selesai sebelum tanggal mulai."))
        opens, closes = data.get("registration_opens"), data.get("registration_closes")
        if opens and closes and closes < opens:
            self.add_error("registration_closes", _("Pendaftaran ditutup sebelum dibuka."))
        return data

    def values(self) -> dict[str, Any]:
        d = dict(self.cleaned_data)
        d["district_id"] = d.pop("district") or None
        d["budget"] = d.get("budget") or 0
        d["eligible_sectors"] = [s.strip() for s in (d.get("eligible_sectors") or "").split(",") if s.strip()]
        d["description"] = d.get("description") or ""
        d["place"] = d.get("place") or ""
        return d

    @staticmethod
    def initial_from(programme: Any) -> dict[str, Any]:
        initial = {
            f: getattr(programme, f)
            for f in (
                "kind",
                "title",
                "place",
                "start_date",
                "end_date",
                "budget",
                "quota",
                "registration_opens",
                "registration_closes",
                "eligible_classes",
                "eligible_districts",
                "priority_women",
                "priority_mikro",
                "min_attendance_percent",
                "pass_mark",
                "offer_hours",
                "description",
            )
        }
        initial["district"] = programme.district_id or ""
        initial["eligible_sectors"] = ", ".join(programme.eligible_sectors)
        return initial


class SessionsForm(forms.Form):
    dates = forms.CharField(
        label=_("Tanggal sesi (satu per baris, mis. 2026-03-02)"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_dates(self) -> list[date]:
        days: list[date] = []
        for line in self.cleaned_data["dates"].splitlines():
            if line.strip():
                try:
                    days.append(parse_date(line))
                except ValueError as exc:
                    raise forms.ValidationError(str(exc)) from exc
        if not days:
            raise forms.ValidationError(_("Isi paling sedikit satu tanggal."))
        if len(days) > 60:
            raise forms.ValidationError(_("Paling banyak 60 sesi."))
        return days

    @staticmethod
    def default_dates(programme: Any) -> str:
        days: list[str] = []
        d = programme.start_date
        while d <= programme.end_date and len(days) < 60:
            days.append(d.isoformat())
            d += timedelta(days=1)
        return "\n".join(days)


class BusinessSearchForm(forms.Form):
    q = forms.CharField(label=_("Cari usaha (NIB, nama usaha atau nama pemilik)"), max_length=100)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(CheckedFileField):
    """Several photos from one input (a phone's camera or gallery), each checked by content as an image
    (`apps.core.uploads.CheckedFileField`); the service checks and re-encodes them again."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(kinds=IMAGE_KINDS, max_bytes=PHOTO_MAX_BYTES, messages=PHOTO_MESSAGES, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:  # type: ignore[override]
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ApplicationForm(forms.Form):
    product = forms.ChoiceField(label=_("Produk di Toko Tuka-Tuku"), required=False)
    product_name = forms.CharField(label=_("Nama produk"), max_length=200)
    need = forms.CharField(
        label=_("Kebutuhan kemasan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Misalnya: standing pouch dengan jendela dan label halal."),
    )
    quantity = forms.IntegerField(label=_("Jumlah kemasan diminta"), min_value=1, max_value=1_000_000)
    estimated_cost = RupiahField(label=_("Perkiraan biaya (Rp)"))
    photos = PhotosField(label=_("Foto kemasan sekarang (boleh beberapa)"), required=True)

    def __init__(self, *args: Any, products: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.products = {str(p.pk): p for p in products}
        self.fields["product"].choices = [("", "—"), *[(str(p.pk), p.name) for p in products]]  # type: ignore[attr-defined]

    def clean_product(self) -> Any:
        value = self.cleaned_data.get("product") or ""
        return self.products.get(value)


class CriteriaForm(forms.Form):
    rows = forms.CharField(
        label=_("Kriteria dan bobot (satu per baris: nama; bobot)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        initial="Kualitas produk; 30\nKesiapan pasar; 25\nKebutuhan kemasan; 25\nKomitmen pemilik; 20",
    )

    def clean_rows(self) -> list[tuple[str, Any]]:
        rows = []
        for n, line in enumerate(self.cleaned_data["rows"].splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, weight = line.rpartition(";")
            try:
                value = Decimal(weight.strip().replace(",", "."))
            except InvalidOperation:
                value = Decimal(0)
            if not name.strip() or value <= 0:
                raise forms.ValidationError(
                    _("Baris %(n)s: tulis nama kriteria, titik koma, lalu bobot lebih dari 0.") % {"n": n}
                )
            rows.append((name.strip(), value))
        return rows


class DeliveryForm(forms.Form):
    design_approved_on = forms.DateField(
        label=_("Desain disetujui pemilik"), widget=forms.DateInput(attrs={"type": "date"})
    )
    quantity = forms.IntegerField(label=_("Jumlah kemasan diserahkan"), min_value=1)
    vendor = forms.CharField(label=_("Penyedia (percetakan)"), max_length=200)
    unit_cost = RupiahField(label=_("Harga satuan (Rp)"))
    handover_date = forms.DateField(label=_("Tanggal serah terima"), widget=forms.DateInput(attrs={"type": "date"}))
    product = forms.ChoiceField(label=_("Produk toko yang memakai kemasan baru"), required=False)
    photos = PhotosField(label=_("Foto kemasan baru"), required=False)

    def __init__(self, *args: Any, products: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.products = {str(p.pk): p for p in products}
        self.fields["product"].choices = [("", "—"), *[(str(p.pk), p.name) for p in products]]  # type: ignore[attr-defined]

    def clean_product(self) -> Any:
        return self.products.get(self.cleaned_data.get("product") or "")


class NewBusinessForm(forms.Form):
    """A business not yet in the registry, entered at the door (`apps.umkm.services.business_register`)."""

    owner_nik = forms.CharField(label=_("NIK pemilik"), min_length=16, max_length=16)
    owner_name = forms.CharField(label=_("Nama pemilik"), max_length=150)
    name = forms.CharField(label=_("Nama usaha"), max_length=200)
    sector = forms.CharField(label=_("Sektor"), max_length=100, required=False)
    village = forms.ChoiceField(label=_("Desa/kelurahan tempat usaha"))
    nib = forms.CharField(label=_("NIB (bila ada)"), max_length=13, required=False)
    over_quota = forms.BooleanField(label=_("Tambahkan di atas kuota bila kursi penuh"), required=False)

    def __init__(self, *args: Any, regency_code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        villages = (
            Region.objects.filter(level=Level.VILLAGE, code__startswith=f"{regency_code}.")
            .select_related("parent")
            .order_by("parent__name", "name")
        )
        self.fields["village"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (v.code, f"{v.name}, {v.parent.name}" if v.parent else v.name) for v in villages
        ]
