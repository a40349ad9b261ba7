"""The public storefront: home, catalogue (filters, sort, search, pagination), categories, produk desa,
seller pages and the product page. No login needed.

Built for a cheap phone on a slow link: 24 products a page, thumbnails of 320px lazy-loaded with their
size, no script. The rendered filter form and product grid, and the filter lists, are cached per catalogue
version (apps.store.cache), so a cached listing costs one cache round trip and the page layout.
"""

from collections import namedtuple
from collections.abc import Callable
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from apps.core.ratelimits import search_rate_limited
from apps.store import selectors
from apps.store.cache import cached, cached_many
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


def _categories_compute() -> list[Choice]:
    return [Choice(c.slug, "", c.name, c.listed) for c in selectors.category_list()]  # type: ignore[attr-defined]


def _kecamatan_compute() -> list[Choice]:
    return [Choice("", k.code, k.name, k.listed) for k in selectors.kecamatan_list()]  # type: ignore[attr-defined]


def _categories() -> list[Any]:
    return cached("categories", (), _categories_compute)  # type: ignore[no-any-return]


def _kecamatan() -> list[Any]:
    return cached("kecamatan", (), _kecamatan_compute)  # type: ignore[no-any-return]


def _listing(request: HttpRequest, fixed: dict[str, str]) -> tuple[tuple[Any, ...], Callable[[], dict[str, Any]]]:
    """Cache parts and builder of a listing: the filter form and the product grid, both rendered.

    The rendered HTML depends only on the path, the query string, the language, the fixed filter of the
    page (category, kecamatan, shop) and the catalogue (its version is in the cache key), never on the
    visitor: a cached listing is served without building the form or touching the database.
    """

    def compute() -> dict[str, Any]:
        form, filters = _filters(request, _categories(), _kecamatan(), **fixed)
        paginator = Paginator(selectors.catalogue_products(filters), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        html = render_to_string(
            "store/_grid.html", {"page": page, "products": list(page.object_list), "request": request}
        )
        filters_html = render_to_string(
            "store/_filters.html",
            {"form": form, "filters": filters, "category": "category" in fixed, "kecamatan": "kecamatan" in fixed},
        )
        count_html = render_to_string("store/_count.html", {"count": paginator.count})
        return {"html": html, "filters": filters_html, "count": paginator.count, "count_html": count_html}

    parts = (request.path, sorted(request.GET.lists()), get_language(), sorted(fixed.items()))
    return parts, compute


def _catalogue(
    request: HttpRequest, template: str, extra: dict[str, Any], grid: dict[str, Any] | None = None, **fixed: str
) -> HttpResponse:
    if grid is None:
        grid = cached("listing", *_listing(request, fixed))
    return render(request, template, {"grid": grid, **extra})


def _with_listing(request: HttpRequest, fixed: dict[str, str], *names: str) -> dict[str, Any]:
    """The listing and the named choice lists (`categories`, `kecamatan`) in one cache round trip."""
    builders = {"categories": _categories_compute, "kecamatan": _kecamatan_compute}
    wanted: dict[str, tuple[tuple[Any, ...], Callable[[], Any]]] = {n: ((), builders[n]) for n in names}
    wanted["listing"] = _listing(request, fixed)
    return cached_many(wanted)


@search_rate_limited
def home(request: HttpRequest) -> HttpResponse:
    """The site's home (core:home): search, categories, produk desa and the newest products."""
    found = _with_listing(request, {}, "categories", "kecamatan")
    extra = {"categories": found["categories"], "kecamatan_list": found["kecamatan"]}
    return _catalogue(request, "store/home.html", extra, grid=found["listing"])


@search_rate_limited
def catalogue(request: HttpRequest) -> HttpResponse:
    return _catalogue(request, "store/catalogue.html", {"heading": ""})


@search_rate_limited
def category(request: HttpRequest, slug: str) -> HttpResponse:
    fixed = {"category": slug}
    found_all = _with_listing(request, fixed, "categories")
    found = next((c for c in found_all["categories"] if c.slug == slug), None)
    if found is None:
        return redirect("store:catalogue")
    extra = {"heading": found.name, "category": found}
    return _catalogue(request, "store/catalogue.html", extra, grid=found_all["listing"], **fixed)


def categories(request: HttpRequest) -> HttpResponse:
    return render(request, "store/categories.html", {"categories": _categories()})


def produk_desa(request: HttpRequest) -> HttpResponse:
    return render(request, "store/produk_desa.html", {"kecamatan_list": _kecamatan()})


@search_rate_limited
def kecamatan(request: HttpRequest, code: str) -> HttpResponse:
    fixed = {"kecamatan": code}
    found_all = _with_listing(request, fixed, "kecamatan")
    found = next((k for k in found_all["kecamatan"] if k.code == code), None)
    if found is None:
        return redirect("store:produk_desa")
    extra = {"heading": found.name, "kecamatan": found}
    return _catalogue(request, "store/catalogue.html", extra, grid=found_all["listing"], **fixed)


@search_rate_limited
def seller(request: HttpRequest, slug: str) -> HttpResponse:
    shop = selectors.seller_public(slug)
    return _catalogue(request, "store/seller.html", {"heading": shop.shop_name, "shop": shop}, seller=slug)


def product(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    item = selectors.product_detail(pk)
    if slug != item.slug:
        return redirect("store:product", pk=item.pk, slug=item.slug, permanent=True)
    return render(request, "store/product.html", {"product": item})
