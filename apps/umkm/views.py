from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from apps.accounts.selectors import user_regency_codes
from apps.audit.services import nik_reveal
from apps.core.access import role_required
from apps.core.forms import year_param
from apps.core.nik import looks_like_nik, nik_search_lookup, nik_search_token
from apps.core.ratelimits import rate_limit_enforce
from apps.core.roles import OFFICERS, STAFF
from apps.regions.models import Region
from apps.umkm import exports
from apps.umkm.forms import BusinessForm, BusinessYearForm, RegistryFilterForm, RevealForm
from apps.umkm.models import Business, Kelas
from apps.umkm.selectors import (
    NAIK_KELAS_KEYS,
    access_business,
    business_history,
    business_list,
    naik_kelas_businesses,
    naik_kelas_by_district,
    registry_sectors,
    registry_years,
)
from apps.umkm.services import business_update, business_year_update, registry_export_log


def move_label(key: str) -> str:
    """`mikro_kecil` → `Mikro → Kecil`."""
    return " → ".join(str(Kelas(k).label) if k in Kelas.values else k for k in key.split("_"))


def _regency_codes(user: Any) -> list[str]:
    codes = user_regency_codes(user)
    if codes is None:
        return sorted(Business.objects.values_list("regency_id", flat=True).distinct())
    return sorted(codes)


NIK_TOKEN_PARAM = "nik"


def _registry_query(data: Any) -> str:
    """The list's query string for the filters in `data` (a posted search form or a GET query): a NIK typed
    in the search box travels as a short-lived token of its keyed hash (`nik`), never as itself."""
    params = {k: v for k, v in data.items() if v and k not in ("csrfmiddlewaretoken", "page", "q", NIK_TOKEN_PARAM)}
    q = data.get("q", "").strip()
    nik = looks_like_nik(q)
    if nik:
        params[NIK_TOKEN_PARAM] = nik_search_token(nik)
    elif q:
        params["q"] = q
    elif data.get(NIK_TOKEN_PARAM):  # other filters changed: the NIK search goes on
        params[NIK_TOKEN_PARAM] = data[NIK_TOKEN_PARAM]
    return urlencode(params)


def _filter_form(request) -> tuple[RegistryFilterForm, dict[str, Any], str | None]:
    """The filter form bound to the query, its filters for `business_list`, and the masked NIK searched for
    (None: no NIK search; "": a token that is forged or expired, which finds nothing)."""
    codes = user_regency_codes(request.user)
    listed = None if codes is None else sorted(codes)
    form = RegistryFilterForm(
        request.GET or None,
        regency_codes=codes,
        years=registry_years(regency_codes=listed),
        sectors=registry_sectors(regency_codes=listed),
    )
    filters = form.filters() if request.GET else {}
    nik_masked = None
    token = request.GET.get(NIK_TOKEN_PARAM)
    if token:
        found = nik_search_lookup(token)
        filters["nik_hash"], nik_masked = found if found else ("-", "")
    return form, filters, nik_masked


def _nik_url_guard(request) -> HttpResponse | None:
    """A NIK posted in the search box, or still typed in an address (`?q=<NIK>`), continues under a token."""
    if request.method == "POST" or looks_like_nik(request.GET.get("q", "")):
        data = request.POST if request.method == "POST" else request.GET
        return redirect(f"{request.path}?{_registry_query(data)}")
    return None


@sensitive_post_parameters("q")
@role_required(*OFFICERS)
def registry_list(request):
    moved = _nik_url_guard(request)
    if moved:
        return moved
    form, filters, nik_masked = _filter_form(request)
    page = Paginator(business_list(user=request.user, filters=filters), 50).get_page(request.GET.get("page"))
    others = {k: v for k, v in request.GET.items() if k not in (NIK_TOKEN_PARAM, "page")}
    context = {
        "form": form,
        "page": page,
        "nik_masked": nik_masked,
        "nik_token": request.GET.get(NIK_TOKEN_PARAM, ""),
        "without_nik": urlencode(others),
        "can_import": request.user.has_role(*STAFF),  # leadership reads; the upload page is staff work
    }
    return render(request, "umkm/list.html", context)


@role_required(*OFFICERS)
def registry_export(request, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    moved = _nik_url_guard(request)
    if moved:
        return moved
    _form, filters, nik_masked = _filter_form(request)
    businesses = business_list(user=request.user, filters=filters)
    logged = {k: v for k, v in filters.items() if k != "nik_hash"}
    if nik_masked is not None:
        logged["nik"] = nik_masked or _("(pencarian NIK kedaluwarsa)")
    registry_export_log(actor=request.user, fmt=fmt, filters=logged, rows=businesses.count())
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.csv_stream(businesses.iterator(chunk_size=2000)), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.xlsx_bytes(businesses.iterator(chunk_size=2000)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="registri-umkm.{fmt}"'
    return response


@role_required(*OFFICERS)
def business_detail(request, pk):
    business = access_business(request.user, pk)
    return render(
        request,
        "umkm/detail.html",
        {
            "business": business,
            "history": business_history(business),
            "permits": business.permits.all(),
            "reveal_form": RevealForm(),
            "nik": None,
        },
    )


@require_POST
@never_cache  # a page with a full NIK is kept by no browser or proxy cache (issue #15 M4)
@role_required(*STAFF)
def business_reveal_nik(request, pk):
    business = access_business(request.user, pk)
    form = RevealForm(request.POST)
    nik = None
    if form.is_valid():
        rate_limit_enforce(request, group="nik-reveal", setting="RATE_LIMIT_NIK_REVEAL")
        nik = nik_reveal(
            holder=business.owner,
            actor=request.user,
            regency_code=business.regency_id,
            reason=form.cleaned_data["reason"],
        )
    return render(
        request,
        "umkm/detail.html",
        {
            "business": business,
            "history": business_history(business),
            "permits": business.permits.all(),
            "reveal_form": form,
            "nik": nik,
        },
    )


@role_required(*STAFF)
def business_edit(request, pk):
    business = access_business(request.user, pk)
    initial = {f: getattr(business, f) for f in BusinessForm.base_fields}
    form = BusinessForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            business_update(business=business, data=form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Data usaha disimpan."))
            return redirect("umkm:detail", pk=business.pk)
    return render(request, "umkm/form.html", {"business": business, "form": form, "title": _("Ubah data usaha")})


@role_required(*STAFF)
def business_year_edit(request, pk, year):
    business = access_business(request.user, pk)
    record = business.years.filter(year=year).first()
    if record is None:
        raise Http404
    initial = {f: getattr(record, f) for f in BusinessYearForm.base_fields}
    form = BusinessYearForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            business_year_update(record=record, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Data tahun %(y)s disimpan; kelas dihitung ulang.") % {"y": year})
            return redirect("umkm:detail", pk=business.pk)
    title = _("Ubah data tahun %(y)s") % {"y": year}
    return render(request, "umkm/form.html", {"business": business, "form": form, "title": title})


@role_required(*OFFICERS)
def naik_kelas(request):
    codes = _regency_codes(request.user)
    years = registry_years(regency_codes=codes)
    year = year_param(request.GET.get("tahun")) or (years[0] if years else 0)
    rows = naik_kelas_by_district(regency_codes=codes, year=year) if year else []
    kinds = list(NAIK_KELAS_KEYS)
    for row in rows:
        kinds += [k for k in row["moves"] if k not in kinds]
    for row in rows:
        row["cells"] = [(k, row["moves"].get(k, 0)) for k in kinds]
    totals = [(k, sum(r["moves"].get(k, 0) for r in rows)) for k in kinds]
    columns = [(k, move_label(k)) for k in kinds]
    district = request.GET.get("kecamatan", "")
    move = request.GET.get("jenis", "")
    listed = None
    if district or move:
        listed = Paginator(
            naik_kelas_businesses(regency_codes=codes, year=year, district=district, move=move), 50
        ).get_page(request.GET.get("page"))
    return render(
        request,
        "umkm/naik_kelas.html",
        {
            "year": year,
            "years": years,
            "rows": rows,
            "columns": columns,
            "totals": totals,
            "listed": listed,
            "district": Region.objects.filter(code=district).first() if district else None,
            "move": move_label(move) if move else "",
        },
    )
