import unicodedata

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.roles import REGION_SCOPED, Role
from apps.regions.selectors import regency_codes_under


def normalize_username(value: str) -> str:
    """The one form of a username, at registration, login and lockout: NFKC (full-width letters become
    ASCII), surrounding whitespace removed, lower case. "  ＫＥＰＡＬＡ\t" is "kepala"."""
    return unicodedata.normalize("NFKC", value or "").strip().lower()


class TukaTukuUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> "User":
        """Login finds the account whatever the case or width the name was typed in; an exact match wins
        for accounts made before names were normalised (two differing only in case)."""
        key = normalize_username(username or "")
        exact = self.filter(username=key).first()
        if exact is not None:
            return exact
        return self.get(username__iexact=key)


class User(AbstractUser):
    objects = TukaTukuUserManager()  # type: ignore[misc]
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.BUYER)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid"),
        ]

    @property
    def is_officer(self) -> bool:
        return self.role in REGION_SCOPED or self.is_superuser

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or self.role in roles

    def regency_codes(self) -> set[str] | None:
        """Regency codes this user may see; None means every regency (administrators). Buyers and sellers
        get an empty set: they see no department records. Read once per user object."""
        cached = getattr(self, "_regency_codes_cache", False)
        if cached is not False:
            return cached  # type: ignore[return-value]
        codes: set[str] | None
        if self.is_superuser or self.role == Role.ADMIN:
            codes = None
        elif self.role in REGION_SCOPED:
            codes = regency_codes_under(set(self.region_assignments.values_list("region_id", flat=True)))
        else:
            codes = set()
        self._regency_codes_cache = codes
        return codes


class RegionAssignment(models.Model):
    """An officer works on a regency (PP.KK) or on a whole province (PP)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="region_assignments")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("penugasan wilayah")
        verbose_name_plural = _("penugasan wilayah")
        constraints = [models.UniqueConstraint(fields=["user", "region"], name="region_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.region_id}"


class LoginFailure(models.Model):
    """One failed login; recent rows per username or address decide the lockout."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("gagal masuk")
        verbose_name_plural = _("gagal masuk")
