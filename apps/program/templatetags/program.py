"""`{% product_packaging product %}`: the before/after photos of packaging aid a store product received,
for the product's public page (the store's template includes it; the data comes from apps.program)."""

from typing import Any

from django import template

from apps.program.packaging import product_packaging as rows

register = template.Library()


@register.inclusion_tag("program/_product_packaging.html")
def product_packaging(product: Any) -> dict[str, Any]:
    return {"rows": rows(product)}
