"""The leadership report page (SPEC §7): figures, charts, downloads and the records behind each number."""

import uuid
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.access import role_required
from apps.core.roles import OFFICERS
from apps.jobs.models import Job, JobStatus
from apps.jobs.selectors import access_job
from apps.jobs.services import job_enqueue
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
            "filters": filters,
            "back": reverse("reports:page") + "?" + urlencode(params),
            "title": d.title,
            "subtitle": _("%(region)s · tahun %(year)s · posisi %(as_of)s")
            % {
                "region": form.region_names[params["wilayah"]],
                "year": params["tahun"],
                "as_of": params["per"],
            },
        },
    )
