from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.access import role_required
from apps.core.roles import STAFF, Role
from apps.imports.forms import HeaderAliasForm, UploadForm
from apps.imports.framework import importers
from apps.imports.models import HeaderAlias, ImportRun
from apps.imports.services import header_alias_create, import_upload
from apps.imports.workbook import XLSX_TYPE, rejected_rows_csv, rejected_rows_xlsx, template_xlsx


def _allowed(user, importer) -> bool:
    return user.is_superuser or user.role in importer.roles


@role_required(*STAFF, Role.COOP_OFFICER, Role.SELLER)
def index(request):
    available = [imp for imp in importers().values() if _allowed(request.user, imp)]
    runs = (
        ImportRun.objects.all() if request.user.has_role(Role.ADMIN) else ImportRun.objects.filter(actor=request.user)
    )
    page = Paginator(runs, 30).get_page(request.GET.get("page"))
    labels = {kind: imp.label for kind, imp in importers().items()}
    for run in page:
        run.kind_label = labels.get(run.kind, run.kind)
    return render(request, "imports/index.html", {"available": available, "page": page})


@role_required(*STAFF, Role.COOP_OFFICER, Role.SELLER)
def upload(request, kind):
    importer = importers().get(kind)
    if importer is None:
        raise Http404
    if not _allowed(request.user, importer):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    options_form = importer.options_form(request.POST or None, user=request.user) if importer.options_form else None
    if request.method == "POST" and form.is_valid() and (options_form is None or options_form.is_valid()):
        options = {k: v for k, v in (options_form.cleaned_data if options_form else {}).items() if v}
        job = import_upload(kind=kind, upload=form.cleaned_data["file"], options=options, actor=request.user)
        messages.info(request, _("Berkas diterima; impor berjalan di latar."))
        return redirect("jobs:detail", pk=job.pk)
    return render(request, "imports/upload.html", {"importer": importer, "form": form, "options_form": options_form})


@role_required(*STAFF)
def aliases(request, kind):
    importer = importers().get(kind)
    if importer is None:
        raise Http404
    form = HeaderAliasForm(request.POST or None, columns=list(importer.columns))
    if request.method == "POST" and form.is_valid():
        header_alias_create(
            kind=kind, alias=form.cleaned_data["alias"], column=form.cleaned_data["column"], actor=request.user
        )
        messages.success(request, _("Alias kolom disimpan."))
        return redirect("imports:aliases", kind=kind)
    return render(
        request,
        "imports/aliases.html",
        {
            "importer": importer,
            "form": form,
            "aliases": HeaderAlias.objects.filter(kind=kind).order_by("alias"),
        },
    )


@role_required(*STAFF, Role.COOP_OFFICER, Role.SELLER)
def template_file(request, kind):
    """The importer's template (headers, an example row, notes), built from its own column definitions."""
    importer = importers().get(kind)
    if importer is None or not _allowed(request.user, importer):
        raise Http404
    return _download(template_xlsx(importer), f"templat-{kind}.xlsx", XLSX_TYPE)


def _errors_path(request, pk) -> tuple[ImportRun, Path]:
    run = ImportRun.objects.filter(pk=pk).first()
    if run is None or not run.errors_file or not (request.user.has_role(Role.ADMIN) or run.actor_id == request.user.pk):
        raise Http404
    path = Path(run.errors_file)
    if not path.exists():
        raise Http404  # purged after the retention period
    return run, path


@role_required(*STAFF, Role.COOP_OFFICER, Role.SELLER)
def errors_file(request, pk):
    """The rejected rows as CSV separated by `;` (Excel with Indonesian settings); the stored file, written
    by the runner as SPEC §8 says, stays comma-separated for the command line."""
    run, path = _errors_path(request, pk)
    return _download(rejected_rows_csv(path), f"{run.kind}-ditolak-{run.pk}.csv", "text/csv; charset=utf-8")


@role_required(*STAFF, Role.COOP_OFFICER, Role.SELLER)
def errors_xlsx(request, pk):
    run, path = _errors_path(request, pk)
    return _download(rejected_rows_xlsx(path), f"{run.kind}-ditolak-{run.pk}.xlsx", XLSX_TYPE)


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
