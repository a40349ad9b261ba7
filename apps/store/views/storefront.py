"""The public storefront: home, catalogue (filters, sort, search, pagination), categories, produk desa,
seller pages and the product page. No login needed.

Built for a cheap phone on a slow link: 24 products a page, thumbnails of 320px lazy-loaded with their
size, no script. The product grid and filter lists are cached per catalogue version (apps.store.cache).
"""

from collections import namedtuple
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from apps.store import selectors
from apps.store.cache import cached
from apps.store.forms import CatalogueFilterForm

PAGE_SIZE = 24


def _filters(
    request: HttpRequest, category_choices: list[Any], kecamatan_choices: list[Any], **fixed: str
) -> tuple[CatalogueFilterForm, selectors.CatalogueFilters]:
    data = request.GET.copy()
    form = CatalogueFilterForm(data, categories=category_choices, kecamatan=kecamatan_choices)
    form.is_valid()
    clean: dict[str, Any] = {k: v for k, v in getattr(form, "cleaned_data", {}).items() if v not in (None, "")}
    filters = selectors.CatalogueFilters(
        q=clean.get("q", ""),
        category=fixed.get("category", clean.get("kategori", "")),
        kecamatan=fixed.get("kecamatan", clean.get("kecamatan", "")),
        seller=fixed.get("seller", ""),
        price_min=clean.get("harga_min"),
        price_max=clean.get("harga_max"),
        sort=clean.get("urut", ""),
    )
    return form, filters


# Cached as plain tuples: unpickling model instances on every page view costs more than the page.
Choice = namedtuple("Choice", "slug code name listed")


def _categories() -> list[Any]:
    def compute() -> list[Choice]:
        return [Choice(c.slug, "", c.name, c.listed) for c in selectors.category_list()]  # type: ignore[attr-defined]

    return cached("categories", (), compute)  # type: ignore[no-any-return]


def _kecamatan() -> list[Any]:
    def compute() -> list[Choice]:
        return [Choice("", k.code, k.name, k.listed) for k in selectors.kecamatan_list()]  # type: ignore[attr-defined]

    return cached("kecamatan", (), compute)  # type: ignore[no-any-return]


def _grid(request: HttpRequest, filters: selectors.CatalogueFilters) -> dict[str, Any]:
    """The rendered product grid and pagination, cached by the full query (and language)."""

    def compute() -> dict[str, Any]:
        paginator = Paginator(selectors.catalogue_products(filters), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        html = render_to_string(
            "store/_grid.html", {"page": page, "products": list(page.object_list), "request": request}
        )
        return {"html": html, "count": paginator.count}

    parts = (request.path, sorted(request.GET.lists()), get_language(), filters)
    return cached("grid", parts, compute)  # type: ignore[no-any-return]


def _catalogue(request: HttpRequest, template: str, extra: dict[str, Any], **fixed: str) -> HttpResponse:
    categories, kecamatan_list = _categories(), _kecamatan()
    form, filters = _filters(request, categories, kecamatan_list, **fixed)
    grid = _grid(request, filters)
    context = {"form": form, "filters": filters, "grid": grid, "categories": categories, **extra}
    return render(request, template, context)


def home(request: HttpRequest) -> HttpResponse:
    """The site's home (core:home): search, categories, produk desa and the newest products."""
    return _catalogue(request, "store/home.html", {"kecamatan_list": _kecamatan()})  # cached: no query


def catalogue(request: HttpRequest) -> HttpResponse:
    return _catalogue(request, "store/catalogue.html", {"heading": ""})


def category(request: HttpRequest, slug: str) -> HttpResponse:
    found = next((c for c in _categories() if c.slug == slug), None)
    if found is None:
        return redirect("store:catalogue")
    return _catalogue(request, "store/catalogue.html", {"heading": found.name, "category": found}, category=slug)


def categories(request: HttpRequest) -> HttpResponse:
    return render(request, "store/categories.html", {"categories": _categories()})


def produk_desa(request: HttpRequest) -> HttpResponse:
    return render(request, "store/produk_desa.html", {"kecamatan_list": _kecamatan()})


def kecamatan(request: HttpRequest, code: str) -> HttpResponse:
    found = next((k for k in _kecamatan() if k.code == code), None)
    if found is None:
        return redirect("store:produk_desa")
    return _catalogue(request, "store/catalogue.html", {"heading": found.name, "kecamatan": found}, kecamatan=code)


def seller(request: HttpRequest, slug: str) -> HttpResponse:
    shop = selectors.seller_public(slug)
    return _catalogue(request, "store/seller.html", {"heading": shop.shop_name, "shop": shop}, seller=slug)


def product(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    item = selectors.product_detail(pk)
    if slug != item.slug:
        return redirect("store:product", pk=item.pk, slug=item.slug, permanent=True)
    return render(request, "store/product.html", {"product": item})
