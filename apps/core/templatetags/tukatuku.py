from django import template

from apps.core import formatting

register = template.Library()
register.filter("rupiah", formatting.rupiah)
register.filter("angka", formatting.number_id)
register.filter("desimal", formatting.decimal_id)
register.filter("wib", formatting.wib)
register.filter("tanggal", formatting.tanggal)


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
