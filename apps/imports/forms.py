from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas CSV atau XLSX"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        name = (f.name or "").lower()
        if not name.endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Berkas harus .csv atau .xlsx."))
        if f.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Berkas lebih besar dari 200 MB."))
        return f


class HeaderAliasForm(forms.Form):
    alias = forms.CharField(label=_("Nama kolom di berkas"), max_length=120)
    column = forms.ChoiceField(label=_("Kolom baku"))

    def __init__(self, *args, columns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].choices = [(c, c) for c in columns]
