from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.uploads import CheckedFileField
from apps.orders.models import PaymentMethod
from apps.orders.services.payments import PROOF_KINDS, PROOF_MESSAGES
from apps.regions.models import Level, Region


class AddToCartForm(forms.Form):
    variant = forms.IntegerField(widget=forms.HiddenInput)
    quantity = forms.IntegerField(label=_("Jumlah"), min_value=1, max_value=999, initial=1)


class RecipientForm(forms.Form):
    name = forms.CharField(label=_("Nama penerima"), max_length=150)
    phone = forms.RegexField(
        label=_("Nomor HP"),
        regex=r"^(\+62|0)8[0-9]{7,12}$",
        max_length=16,
        error_messages={"invalid": _("Tulis nomor HP seperti 081234567890.")},
    )
    email = forms.EmailField(label=_("E-mail"))
    address = forms.CharField(label=_("Alamat (jalan, RT/RW)"), max_length=300)
    village_code = forms.ChoiceField(label=_("Desa/kelurahan"))
    postal_code = forms.RegexField(
        label=_("Kode pos"), regex=r"^[0-9]{5}$", required=False, error_messages={"invalid": _("Kode pos 5 angka.")}
    )

    def __init__(self, *args, regency_code: str, can_save: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if can_save:  # an account holder may keep the address for the next checkout
            self.fields["simpan_alamat"] = forms.BooleanField(
                label=_("Simpan alamat ini untuk pesanan berikutnya"), required=False, initial=True
            )
        districts = dict(
            Region.objects.filter(level=Level.DISTRICT, parent_id=regency_code).values_list("code", "name")
        )
        villages = Region.objects.filter(level=Level.VILLAGE, code__startswith=regency_code + ".").values_list(
            "code", "name"
        )
        by_district: dict[str, list[tuple[str, str]]] = {}
        for code, name in villages:
            by_district.setdefault(code[:8], []).append((code, name))
        # Villages grouped under their kecamatan, both by name: a buyer reads names, never Kemendagri codes.
        village_field: forms.ChoiceField = self.fields["village_code"]  # type: ignore[assignment]
        village_field.choices = [("", _("— pilih desa/kelurahan —"))] + [
            (f"{_('Kecamatan')} {districts.get(district, '')}", sorted(options, key=lambda o: o[1]))
            for district, options in sorted(by_district.items(), key=lambda d: districts.get(d[0], ""))
        ]


def regency_choices(*, first_province: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every regency and city of Indonesia grouped by province and sorted by name, the store's province first."""
    provinces = dict(Region.objects.filter(level=Level.PROVINCE).values_list("code", "name"))
    grouped: dict[str, list[tuple[str, str]]] = {}
    for code, name in Region.objects.filter(level=Level.REGENCY).values_list("code", "name"):
        grouped.setdefault(code[:2], []).append((code, name))
    order = sorted(grouped, key=lambda p: (p != first_province, provinces.get(p, "")))
    return [(provinces.get(p, p), sorted(grouped[p], key=lambda r: r[1])) for p in order]


class ShippingPaymentForm(forms.Form):
    """One radio group per seller (`kirim_<seller id>`), plus the payment method."""

    method = forms.ChoiceField(label=_("Cara pembayaran"), choices=PaymentMethod.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Catatan untuk penjual"), max_length=300, required=False)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = groups
        for group in groups:
            self.fields[f"kirim_{group['seller'].pk}"] = forms.ChoiceField(
                label=_("Pengiriman dari %(s)s") % {"s": group["seller"]},
                choices=[(o.key, f"{o.label} — Rp{o.cost:,}".replace(",", ".")) for o in group["options"]],
                widget=forms.RadioSelect,
            )

    def shipping(self) -> dict[int, str]:
        return {g["seller"].pk: self.cleaned_data[f"kirim_{g['seller'].pk}"] for g in self.groups}


class ProofForm(forms.Form):
    proof = CheckedFileField(
        label=_("Bukti transfer (JPG, PNG atau PDF, maks. 5 MB)"), kinds=PROOF_KINDS, messages=PROOF_MESSAGES
    )


class RejectProofForm(forms.Form):
    note = forms.CharField(label=_("Alasan penolakan"), max_length=300)


class ShipForm(forms.Form):
    courier = forms.CharField(label=_("Kurir"), max_length=40)
    tracking_number = forms.CharField(label=_("Nomor resi"), max_length=60)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=300)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Alasan retur"), max_length=300)

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            left = line.quantity - line.returned_quantity
            self.fields[f"retur_{line.pk}"] = forms.IntegerField(
                label=f"{line.product_name} {line.variant_name}".strip(), min_value=0, max_value=left, initial=0
            )

    def quantities(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data.get(f"retur_{line.pk}") or 0 for line in self.lines}
