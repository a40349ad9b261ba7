"""The leadership report page (SPEC §7): figures, charts, downloads and the records behind each number."""

import io
import uuid
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import Workbook

from apps.core.access import role_required
from apps.core.formatting import number_id, tanggal
from apps.core.roles import OFFICERS
from apps.core.spreadsheets import xlsx_append
from apps.jobs.models import Job, JobStatus
from apps.jobs.selectors import access_job
from apps.jobs.services import job_enqueue
from apps.regions.models import Region
from apps.reports import composer, exports
from apps.reports.forms import ReportForm
from apps.reports.jobs import export_path

# A province export runs in the background (the job page shows the progress bar); a regency's is
# quick enough to answer directly.
BACKGROUND_LEVEL_CODE_LENGTH = 2
# A report whose derived data (the UMKM roll-ups) must first be computed over more records than this (a
# data year nobody reported on yet: at province scale, minutes; ~30,000 businesses a second here) is
# prepared by a background job first, the page showing its progress bar. One regency is always computed
# directly (the domains offer no preparation for it).
INLINE_ROLLUP_BUSINESSES = 150_000


def _bound_form(request) -> tuple[ReportForm, bool]:
    """The form from the query string, or from defaults when none given. Raises 404 for a region the
    user is not assigned (missing and not-yours look the same)."""
    data = request.GET if "wilayah" in request.GET else ReportForm.initial_for(request.user)
    form = ReportForm(data, user=request.user)
    if data.get("wilayah") and data["wilayah"] not in form.region_names:
        raise Http404
    return form, form.is_valid()


def _params(form: ReportForm) -> dict[str, str]:
    d = form.cleaned_data
    return {"wilayah": d["wilayah"], "tahun": str(d["tahun"]), "per": d["per"].isoformat()}


@role_required(*OFFICERS)
def report_page(request):
    form, ok = _bound_form(request)
    context: dict[str, Any] = {"form": form}
    if ok:
        params = _params(form)
        region, year, as_of = params["wilayah"], int(params["tahun"]), date.fromisoformat(params["per"])
        job = _prepare_in_background(request.user, params)
        if job is not None:
            return redirect("jobs:detail", pk=job.pk)
        report = composer.build_report(region=region, year=year, as_of=as_of)
        drill_url = reverse("reports:drill", args=["KIND"])

        def link(kind: str, filters: dict[str, str]) -> str:
            if composer.records_domain(kind) is None:
                return ""
            return drill_url.replace("KIND", kind) + "?" + urlencode({**params, **filters})

        sections = report.sections(link)
        charts = {t.key: {**t.chart_data(), "type": t.chart} for s in sections for t in s.tables if t.chart}
        context.update(
            headline=composer.headline(report),
            figures=report.figures,
            sections=sections,
            charts=charts,
            region_name=form.region_names[region],
            query=urlencode(params),
            background=len(region) == BACKGROUND_LEVEL_CODE_LENGTH,
        )
    return render(request, "reports/report.html", context)


def _prepare_in_background(user: Any, params: dict[str, str]) -> Job | None:
    """The job computing this report's derived data when there is too much to wait for (the user's own
    job already queued or running for the same report, or a new one); None to answer directly."""
    prep = composer.preparation(region=params["wilayah"], year=int(params["tahun"]))
    if prep is None or prep.cost <= INLINE_ROLLUP_BUSINESSES:
        return None
    wanted = {"wilayah": params["wilayah"], "tahun": params["tahun"], "per": params["per"]}
    running = (
        Job.objects.filter(kind="reports.prepare", created_by=user, status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
        .filter(params=wanted)
        .first()
    )
    return running or job_enqueue(kind="reports.prepare", params=wanted, actor=user)


@role_required(*OFFICERS)
def report_export(request):
    form, ok = _bound_form(request)
    fmt = request.GET.get("format", "")
    if not ok or fmt not in ("pdf", "xlsx"):
        return redirect(reverse("reports:page") + "?" + request.GET.urlencode())
    params = _params(form)
    if len(params["wilayah"]) == BACKGROUND_LEVEL_CODE_LENGTH:
        job = job_enqueue(
            kind="reports.export", params={**params, "format": fmt, "file_id": str(uuid.uuid4())}, actor=request.user
        )
        return redirect("jobs:detail", pk=job.pk)
    region, year, as_of = params["wilayah"], int(params["tahun"]), date.fromisoformat(params["per"])
    data = exports.render(composer.build_report(region=region, year=year, as_of=as_of), fmt)
    content_type = {
        "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[fmt]
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="laporan-{region}-{year}-{as_of.isoformat()}.{fmt}"'
    return response


@role_required(*OFFICERS)
def report_download(request, file_id):
    job = Job.objects.filter(kind="reports.export", params__file_id=str(file_id)).first()
    if job is None:
        raise Http404
    job = access_job(request.user, job.pk)
    path = export_path(str(file_id), job.params["format"])
    if not path.exists():
        raise Http404
    name = f"laporan-{job.params['wilayah']}-{job.params['tahun']}-{job.params['per']}.{job.params['format']}"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)


# The drill-down filters as a reader names them (the query keys stay machine words).
FILTER_LABELS = {
    "area": _lazy("Wilayah"),
    "sektor": _lazy("Sektor"),
    "jenis_kelamin": _lazy("Jenis kelamin"),
    "kelas": _lazy("Kelas"),
    "jenis": _lazy("Jenis"),
    "angka_tetap": _lazy("Angka tetap"),
    "periode": _lazy("Periode"),
    "kanal": _lazy("Kanal"),
    "bulan": _lazy("Bulan"),
    "status": _lazy("Status"),
    "tahun_bubar": _lazy("Tahun bubar"),
    "jenis_koperasi": _lazy("Jenis koperasi"),
    "hasil": _lazy("Hasil"),
    "kategori": _lazy("Kategori"),
    "pemenang": _lazy("Pemenang"),
    "angka": _lazy("Angka"),
    "tempat": _lazy("Tempat"),
    "kelompok": _lazy("Kelompok"),
}
# A drill-down's XLSX holds every record of the figure, built while the user waits: beyond this many rows the
# registry's own export (a background job) is the tool.
DRILL_XLSX_MAX_ROWS = 100_000


def _filter_labels(filters: dict[str, str]) -> list[tuple[str, str]]:
    """(label, value) of each filter, a region code shown by its name."""
    names = dict(
        Region.objects.filter(code__in=[v for k, v in filters.items() if k == "area"]).values_list("code", "name")
    )
    return [(str(FILTER_LABELS.get(k, k)), names.get(v, v) if k == "area" else v) for k, v in filters.items()]


def _drill_xlsx(d: Any, title: str, subtitle: str, filters: list[tuple[str, str]]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31].replace("/", "-") or "Rincian")
    xlsx_append(ws, [title])
    xlsx_append(ws, [subtitle])
    for label, value in filters:
        xlsx_append(ws, [label, value])
    xlsx_append(ws, [])
    xlsx_append(ws, list(d.columns))
    for obj in d.queryset.iterator(chunk_size=2000):
        xlsx_append(ws, d.cells(obj))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@role_required(*OFFICERS)
def drill_page(request, kind):
    domain = composer.records_domain(kind)
    if domain is None:
        raise Http404
    form, ok = _bound_form(request)
    if not ok:
        return redirect(reverse("reports:page") + "?" + request.GET.urlencode())
    params = _params(form)
    filters = {k: request.GET[k] for k in domain.FILTERS if k in request.GET}
    try:
        d = composer.records(
            figure=kind,
            region=params["wilayah"],
            year=int(params["tahun"]),
            as_of=date.fromisoformat(params["per"]),
            filters=filters,
        )
    except ValueError:
        raise Http404
    subtitle = _("%(region)s · tahun %(year)s · posisi %(as_of)s") % {
        "region": form.region_names[params["wilayah"]],
        "year": params["tahun"],
        "as_of": tanggal(date.fromisoformat(params["per"])),
    }
    labelled = _filter_labels(filters)
    if request.GET.get("format") == "xlsx":
        if d.queryset.count() > DRILL_XLSX_MAX_ROWS:
            messages.error(
                request,
                _("Terlalu banyak catatan untuk satu berkas (lebih dari %(n)s): persempit dengan filter.")
                % {"n": number_id(DRILL_XLSX_MAX_ROWS)},
            )
            return redirect(request.path + "?" + urlencode({k: v for k, v in request.GET.items() if k != "format"}))
        response = HttpResponse(
            _drill_xlsx(d, str(d.title), subtitle, labelled),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"rincian-{kind}-{params['wilayah']}-{params['tahun']}-{params['per']}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    page = Paginator(d.queryset, 50).get_page(request.GET.get("page"))
    rows = [d.cells(obj) for obj in page.object_list]
    total = (
        d.total
        if d.total is not None
        else (int(d.queryset.aggregate(s=Sum(d.sum_field))["s"] or 0) if d.sum_field else None)
    )
    return render(
        request,
        "reports/drill.html",
        {
            "drill": d,
            "page": page,
            "rows": rows,
            "total": total,
            "filters": labelled,
            "back": reverse("reports:page") + "?" + urlencode(params),
            "xlsx": request.path + "?" + urlencode({**request.GET.dict(), "format": "xlsx"}),
            "title": d.title,
            "subtitle": subtitle,
        },
    )
