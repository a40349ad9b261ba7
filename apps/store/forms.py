from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import RupiahField
from apps.store.models import Category

SORT_CHOICES = [
    ("", _("Paling sesuai / terbaru")),
    ("terbaru", _("Terbaru")),
    ("termurah", _("Harga termurah")),
    ("termahal", _("Harga termahal")),
    ("nama", _("Nama A–Z")),
]


class CatalogueFilterForm(forms.Form):
    """Storefront filters (GET). Invalid values are dropped rather than shown as errors."""

    q = forms.CharField(label=_("Cari produk"), max_length=100, required=False)
    kategori = forms.ChoiceField(label=_("Kategori"), required=False)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    harga_min = RupiahField(label=_("Harga dari (Rp)"), min_value=0, required=False)
    harga_max = RupiahField(label=_("Harga sampai (Rp)"), min_value=0, required=False)
    urut = forms.ChoiceField(label=_("Urutkan"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args: Any, categories: list[Any], kecamatan: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kategori, kecamatan_field = self.fields["kategori"], self.fields["kecamatan"]
        assert isinstance(kategori, forms.ChoiceField) and isinstance(kecamatan_field, forms.ChoiceField)
        kategori.choices = [("", _("Semua kategori"))] + [(c.slug, c.name) for c in categories]
        kecamatan_field.choices = [("", _("Semua kecamatan"))] + [(k.code, k.name) for k in kecamatan]


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Nama produk"), max_length=200)
    category: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Kategori"), queryset=None)  # type: ignore[arg-type]
    weight_grams = forms.IntegerField(label=_("Berat (gram)"), min_value=1, max_value=100_000)
    description = forms.CharField(label=_("Deskripsi"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Category.objects.order_by("position", "name")


class VariantForm(forms.Form):
    """One row of the variant table. The SKU is optional (small sellers rarely have one): the service makes a
    readable one from the product and variant names. An empty weight means the product's weight."""

    name = forms.CharField(label=_("Varian (ukuran/rasa)"), max_length=100, required=False)
    price = RupiahField(label=_("Harga (Rp)"), min_value=1, max_value=1_000_000_000)
    stock = forms.IntegerField(label=_("Stok"), min_value=0, max_value=1_000_000)
    weight_grams = forms.IntegerField(label=_("Berat (gram)"), min_value=1, max_value=100_000, required=False)
    sku = forms.CharField(label=_("SKU (opsional)"), max_length=64, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The table shows the label once in its header; each box still carries its own name for screen
        # readers and for the phone, where the header is hidden and rows become cards.
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))
        self.fields["stock"].widget.attrs.update({"inputmode": "numeric"})
        self.fields["weight_grams"].widget.attrs.update(
            {"inputmode": "numeric", "placeholder": _("berat produk"), "aria-label": _("Berat varian (gram)")}
        )
        self.fields["sku"].widget.attrs.update({"placeholder": _("dibuat otomatis")})

    def clean_sku(self) -> str:
        return str(self.cleaned_data["sku"]).strip()


class BaseVariantFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not filled:
            raise forms.ValidationError(_("Isi setidaknya satu varian (harga dan stok)."))
        skus = [f.cleaned_data["sku"] for f in filled if f.cleaned_data["sku"]]
        if len(set(skus)) != len(skus):
            raise forms.ValidationError(_("SKU varian tidak boleh kembar."))


VariantFormSet = forms.formset_factory(
    VariantForm, formset=BaseVariantFormSet, extra=1, max_num=20, validate_max=True, can_delete=True
)


class PhotoForm(forms.Form):
    # A plain FileField: the service checks the real image type and size (not the name or the browser's word).
    photo = forms.FileField(label=_("Foto produk (JPEG, PNG, WebP; maks. 5 MB)"))
    alt_text = forms.CharField(label=_("Keterangan foto"), max_length=200, required=False)


class FirstPhotoForm(PhotoForm):
    """The photo of a new product, on the same page as its first save (optional there)."""

    photo = forms.FileField(label=_("Foto produk (JPEG, PNG, WebP; maks. 5 MB)"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    reason = forms.CharField(label=_("Catatan"), max_length=500, required=False)


class SellerApplyForm(forms.Form):
    """A business owner's application: the business by its NIB (or, without one, its name as registered),
    and the owner's NIK, which must be the NIK the registry holds for that business's owner. Registry
    numbers are not accepted here: they are sequential and would let anyone claim anyone's business."""

    nib = forms.CharField(
        label=_("NIB usaha"),
        max_length=13,
        required=False,
        help_text=_("13 angka NIB dari OSS. Kosongkan bila usaha belum ber-NIB dan isi nama usaha."),
    )
    business_name = forms.CharField(
        label=_("Nama usaha (bila belum ber-NIB)"),
        max_length=200,
        required=False,
        help_text=_("Nama usaha seperti terdaftar di registri UMKM dinas."),
    )
    nik = forms.CharField(
        label=_("NIK pemilik usaha"),
        min_length=16,
        max_length=16,
        help_text=_("16 angka NIK di KTP pemilik; dicocokkan dengan registri UMKM dan tidak ditampilkan."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    shop_name = forms.CharField(label=_("Nama toko"), max_length=120)
    description = forms.CharField(label=_("Tentang toko"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean_nib(self) -> str:
        nib = str(self.cleaned_data["nib"]).strip()
        if nib and (len(nib) != 13 or not nib.isdigit()):
            raise forms.ValidationError(_("NIB terdiri dari 13 angka."))
        return nib

    def clean_nik(self) -> str:
        nik = str(self.cleaned_data["nik"]).strip()
        if len(nik) != 16 or not nik.isdigit():
            raise forms.ValidationError(_("NIK terdiri dari 16 angka."))
        return nik

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("nib") and not (data.get("business_name") or "").strip():
            self.add_error("nib", _("Isi NIB usaha, atau nama usaha bila belum ber-NIB."))
        return data


class SellerEnrolForm(forms.Form):
    """An operator enrols a business found in the registry (by NIB or its registry number)."""

    nib = forms.CharField(
        label=_("NIB usaha"),
        max_length=13,
        help_text=_("13 angka NIB dari OSS, atau nomor registri UMKM bila usaha belum ber-NIB."),
    )
    shop_name = forms.CharField(label=_("Nama toko"), max_length=120)
    description = forms.CharField(label=_("Tentang toko"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    owner_username = forms.CharField(label=_("Nama pengguna pemilik toko (opsional)"), max_length=150, required=False)

    def clean_nib(self) -> str:
        nib = str(self.cleaned_data["nib"]).strip()
        if not nib.isdigit():
            raise forms.ValidationError(_("NIB atau nomor registri hanya berisi angka."))
        return nib
