"""Form fields shared by every app. `RupiahField` is the one rupiah input of the system; `error_text` is the
one line a page shows for a service's refusal."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from apps.core.money import number_localised, parse_rupiah_input, rupiah_localised


def error_text(exc: ValidationError) -> str:
    """A service's ValidationError as one line for a message or a form's non-field error."""
    return " ".join(exc.messages)


class RupiahInput(forms.TextInput):
    """A text box (never `type=number`: browsers would refuse `90.000` with their own English message).

    Shows what will be saved under the box: the server renders it for a value it already has (a stored
    price, a re-displayed form), and `static/js/rupiah.js` updates it while the person types.
    """

    template_name = "core/widgets/rupiah.html"

    def __init__(self, attrs: dict[str, Any] | None = None, *, allow_negative: bool = False) -> None:
        base = {"inputmode": "text" if allow_negative else "numeric", "autocomplete": "off", "class": "rupiah"}
        super().__init__({**base, **(attrs or {})})
        self.allow_negative = allow_negative

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, int) and not isinstance(value, bool):
            return number_localised(value)
        return super().format_value(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        preview_id = f"{widget['attrs'].get('id') or name}_rupiah"
        described = widget["attrs"].get("aria-describedby", "")
        widget["attrs"]["aria-describedby"] = f"{described} {preview_id}".strip()
        widget["attrs"]["data-rupiah"] = "negatif" if self.allow_negative else ""
        widget["attrs"]["data-rupiah-saved"] = _gettext("Akan disimpan: %(amount)s")
        widget["attrs"]["data-rupiah-invalid"] = _gettext("Belum terbaca sebagai rupiah (contoh: 90.000).")
        widget["preview_id"] = preview_id
        widget["preview"] = ""
        if value not in (None, ""):
            try:
                amount = value if isinstance(value, int) else parse_rupiah_input(str(value), allow_negative=True)
            except ValidationError:
                amount = None
            if amount is not None:
                widget["preview"] = _gettext("Akan disimpan: %(amount)s") % {"amount": rupiah_localised(amount)}
        return context


class RupiahField(forms.Field):
    """Whole rupiah typed the Indonesian way: `90.000`, `90000`, `Rp90.000`, `Rp 90.000` (see apps.core.money).

    Use it for every amount of money a person types: prices, plafon, budgets, payments, financial
    statements. `min_value`/`max_value` are rupiah; negative amounts only when `min_value` is None or < 0.
    """

    widget = RupiahInput
    default_error_messages = {
        "min_value": _("Paling sedikit %(limit)s."),
        "max_value": _("Paling banyak %(limit)s."),
    }

    def __init__(self, *, min_value: int | None = 0, max_value: int | None = None, **kwargs: Any) -> None:
        self.min_value, self.max_value = min_value, max_value
        self.allow_negative = min_value is None or min_value < 0
        kwargs.setdefault("widget", RupiahInput(allow_negative=self.allow_negative))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return parse_rupiah_input(str(value), allow_negative=self.allow_negative)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        if self.min_value is not None and value < self.min_value:
            raise ValidationError(
                self.error_messages["min_value"], code="min_value", params={"limit": rupiah_localised(self.min_value)}
            )
        if self.max_value is not None and value > self.max_value:
            raise ValidationError(
                self.error_messages["max_value"], code="max_value", params={"limit": rupiah_localised(self.max_value)}
            )

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != (self.to_python(initial) if initial not in self.empty_values else None)
        except ValidationError:
            return True


MAX_ID = 2**63 - 1  # the largest bigint: a larger number cannot name a row and overflows the database driver


def id_param(value: str | None) -> int | None:
    """A record id from a query string, or None when it is not one (issue #15 L4: `?actor=` with forty
    digits, `²` or `-1` is ignored instead of reaching the database as an overflow or a ValueError)."""
    if not value or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def year_param(value: str | None) -> int | None:
    """A calendar year from a query string (1900–2100), or None: `?tahun=` with forty digits would reach a
    date computation and overflow (issue #15 L4)."""
    number = id_param(value)
    return number if number is not None and 1900 <= number <= 2100 else None
