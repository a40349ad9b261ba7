from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User, normalize_username
from apps.core.roles import Role
from apps.regions.models import Level, Region


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Nama pengguna atau kata sandi salah."),
        "inactive": _("Akun ini tidak aktif."),
    }

    def clean_username(self) -> str:
        return normalize_username(self.cleaned_data.get("username", ""))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Nama pengguna")
        self.fields["password"].label = _("Kata sandi")


# Names a buyer may not take: they would pass for the department or the system in messages and the audit log.
RESERVED_USERNAMES = frozenset(
    {
        "admin",
        "administrator",
        "root",
        "sistem",
        "system",
        "operator",
        "kepala",
        "kepala_dinas",
        "pimpinan",
        "bupati",
        "dinas",
        "bank",
        "provinsi",
        "tukatuku",
        "tuka-tuku",
        "support",
        "bantuan",
        "staff",
        "petugas",
    }
)


class BuyerRegistrationForm(UserCreationForm):
    email = forms.EmailField(label=_("Surel"), required=True)
    first_name = forms.CharField(label=_("Nama"), max_length=150, required=False)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "email")

    def clean_username(self) -> str:
        """One account per name whatever its case or width: "Sari", "ｓａｒｉ" and " sari" are "sari".

        A taken name and a reserved one get the same neutral answer (issue #15 L5): "not available" does not
        tell that an account exists, and registration attempts are rate-limited (RATE_LIMIT_REGISTER)."""
        username = normalize_username(self.cleaned_data.get("username", ""))
        if username in RESERVED_USERNAMES or User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _("Nama pengguna ini tidak tersedia. Pilih nama lain."), code="username_unavailable"
            )
        return username


class UserAccessForm(forms.Form):
    role = forms.ChoiceField(label=_("Peran"), choices=Role.choices)
    regions = forms.CharField(
        label=_("Wilayah tugas"),
        required=False,
        help_text=_("Kode provinsi (33) atau kabupaten (33.03), dipisah koma."),
    )
    is_active = forms.BooleanField(label=_("Aktif"), required=False)

    def clean_regions(self) -> list[str]:
        codes = [c.strip() for c in self.cleaned_data["regions"].replace(";", ",").split(",") if c.strip()]
        known = set(
            Region.objects.filter(code__in=codes, level__in=[Level.PROVINCE, Level.REGENCY]).values_list(
                "code", flat=True
            )
        )
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise forms.ValidationError(
                _("Kode wilayah tidak dikenal atau bukan provinsi/kabupaten: %(kode)s") % {"kode": ", ".join(unknown)}
            )
        return codes
