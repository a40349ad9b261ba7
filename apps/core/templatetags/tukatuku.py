from django import template
from django.utils.html import format_html

from apps.core import formatting

register = template.Library()
register.filter("rupiah", formatting.rupiah)
register.filter("angka", formatting.number_id)
register.filter("desimal", formatting.decimal_id)
register.filter("wib", formatting.wib)
register.filter("tanggal", formatting.tanggal)


@register.filter
def sum_of(items, path: str) -> int:
    """Sum a dotted path over a list of dicts/objects: `{{ groups|sum_of:"goods" }}`,
    `{{ groups|sum_of:"options.0.cost" }}` (a missing step counts 0)."""
    total = 0
    for item in items or []:
        value = item
        for step in path.split("."):
            if isinstance(value, dict):
                value = value.get(step)
            elif isinstance(value, list | tuple) and step.isdigit():
                value = value[int(step)] if int(step) < len(value) else None
            else:
                value = getattr(value, step, None)
            if value is None:
                break
        total += int(value or 0)
    return total


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current query string with some parameters replaced (for pagination and sort links)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.filter
def fields_with_errors(form) -> list:
    """The bound fields of `form` that failed validation, in form order (the error summary of `_form.html`)."""
    return [field for field in form if field.errors]


@register.filter
def kode(value) -> str:
    """A code shown as it is stored (order number, NIB, phone number, NIK mask): `<span class="kode">`, which
    tells readers, and the page sweep's number check (tests/e2e/test_sweep.py), that it is not a quantity."""
    return format_html('<span class="kode">{}</span>', value)
