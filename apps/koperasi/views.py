"""Pages of cooperative supervision, scoped to the officer's regions (404 for missing and not-yours)."""

import re
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.selectors import user_regency_codes
from apps.core.access import RoleRequired, role_required
from apps.core.forms import id_param
from apps.core.roles import DECIDERS, OFFICERS, STAFF, Role
from apps.core.uploads import protected_file_response
from apps.koperasi import exports, selectors, services
from apps.koperasi.forms import LaporanForm, PembubaranStartForm, PembubaranStepForm, RegistryFilterForm, ReviewForm
from apps.koperasi.models import FINANCIAL_FIELDS, LangkahJenis, LaporanTahunan, PembubaranLangkah, ReportStatus
from apps.koperasi.questionnaire import QUESTIONS
from apps.koperasi.rules import batas_keberatan, batas_keputusan_keberatan, batas_keputusan_pembubaran, next_step
from apps.koperasi.scoring import shown
from apps.regions.models import Level, Region


def _districts(user: Any) -> list[tuple[str, str]]:
    codes = user_regency_codes(user)
    qs = Region.objects.filter(level=Level.DISTRICT)
    if codes is not None:
        qs = qs.filter(parent_id__in=codes)
    return [(r.code, r.name) for r in qs.order_by("code")]


@role_required(*OFFICERS)
def koperasi_list(request):
    form = RegistryFilterForm(request.GET or None, districts=_districts(request.user))
    values = form.values()
    codes = user_regency_codes(request.user)
    if not (form.is_bound and form.is_valid() and form.cleaned_data.get("tahun")):
        latest = selectors.latest_assessed_year(
            regency_codes=sorted(codes) if codes is not None else None, up_to=values["as_of"].year
        )
        values["year"] = latest or values["year"]
        if not form.is_bound:
            form.fields["tahun"].initial = values["year"]
    qs = selectors.koperasi_list(user=request.user, **values)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return exports.registry_response(qs, as_of=values["as_of"], year=values["year"], fmt=fmt)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for k in page:
        k.status_kode = selectors.status_label(k, values["as_of"])
        k.status_teks = _(selectors.Status.LABELS[k.status_kode])
    kpi = selectors.koperasi_kpi(
        regency_codes=sorted(codes) if codes is not None else None,
        year=values["year"],
        as_of=values["as_of"],
    )
    return render(
        request,
        "koperasi/list.html",
        {"form": form, "page": page, "values": values, "kpi": kpi, "can_edit": request.user.has_role(*STAFF)},
    )


@role_required(*OFFICERS, Role.COOP_OFFICER)
def koperasi_detail(request, pk):
    koperasi = selectors.access_koperasi(request.user, pk)
    today = timezone.localdate()
    proses = list(selectors.pembubaran_of_koperasi(koperasi)) if request.user.role != Role.COOP_OFFICER else []
    for p in proses:
        d = selectors.proses_dates(p)
        p.batas_keberatan = batas_keberatan(d)
        p.batas_keputusan_keberatan = batas_keputusan_keberatan(d)
        p.batas_keputusan_pembubaran = batas_keputusan_pembubaran(d)
        p.next = next_step(d, today)
        p.next_label = dict(LangkahJenis.choices).get(p.next.langkah, "")
    status = selectors.status_on(koperasi, today)
    candidate = selectors.dissolution_candidates(regency_codes=None, as_of=today, koperasi_id=koperasi.pk)
    return render(
        request,
        "koperasi/detail.html",
        {
            "koperasi": koperasi,
            "status": _(selectors.Status.LABELS[status]),
            "laporan": selectors.laporan_of_koperasi(koperasi),
            "penilaian": selectors.assessments_of_koperasi(koperasi),
            "proses": proses,
            "today": today,
            "alasan_calon": candidate[0].reasons if candidate and request.user.role != Role.COOP_OFFICER else [],
            "can_start": request.user.has_role(*STAFF)
            and koperasi.tanggal_pembubaran is None
            and not any(p.status == "berjalan" for p in proses),
            # Step links only for the roles that may record them (STEP_SERVICES); others read who acts.
            "can_record_step": request.user.has_role(*STAFF),
            "can_decide_step": request.user.has_role(*DECIDERS),
        },
    )


def shown2(value: str) -> Decimal:
    """A stored figure of an assessment line as shown: whole rupiah as they are, others two decimals."""
    number = Decimal(value)
    return number if "." not in value else shown(number, [])


_FIELD_TOKEN = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b|\batmr\b|\bpendapatan\b")


def formula_label(rumus: str) -> str:
    """A scoring formula as an inspector reads it: the annual report's field labels, not its field names
    (`modal_sendiri / total_aset` → `modal sendiri / total aset`)."""

    def label(match: re.Match) -> str:
        try:
            field = LaporanTahunan._meta.get_field(match.group(0))
        except FieldDoesNotExist:
            return match.group(0).replace("_", " ")
        return str(getattr(field, "verbose_name", match.group(0)))

    return _FIELD_TOKEN.sub(label, rumus)


@role_required(*OFFICERS, Role.COOP_OFFICER)
def assessment_detail(request, pk):
    a = selectors.access_assessment(request.user, pk)
    numeric = ("pembilang", "penyebut", "nilai", "bobot", "bobot_tabel", "skor")
    lines = []
    for b in a.baris:
        line = {
            **b,
            **{
                f"{k}_teks": number_format(shown2(b[k]), force_grouping=True)
                for k in numeric
                if b.get(k) not in (None, "")
            },
        }
        line["rumus"] = formula_label(b.get("rumus", ""))
        line.setdefault("rasio_tampil", b.get("rasio"))  # assessments stored before exact banding
        lines.append(line)
    return render(request, "koperasi/assessment.html", {"a": a, "koperasi": a.koperasi, "lines": lines})


@role_required(*OFFICERS, Role.COOP_OFFICER)
def laporan_detail(request, pk):
    laporan = selectors.access_laporan(request.user, pk)
    form = None
    if request.user.has_role(*STAFF) and laporan.status == ReportStatus.DIAJUKAN:
        form = ReviewForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                if form.cleaned_data["keputusan"] == "terima":
                    a = services.laporan_accept(
                        laporan=laporan, actor=request.user, catatan=form.cleaned_data["catatan"]
                    )
                    messages.success(request, _("Laporan diterima."))
                    if a is not None:
                        return redirect("koperasi:assessment", pk=a.pk)
                else:
                    services.laporan_return(laporan=laporan, catatan=form.cleaned_data["catatan"], actor=request.user)
                    messages.success(request, _("Laporan dikembalikan kepada pengurus koperasi."))
                return redirect("koperasi:laporan", pk=laporan.pk)
            except ValidationError as exc:
                form.add_error(None, exc)
    elif request.method == "POST":
        raise Http404

    figures = [(LaporanTahunan._meta.get_field(f).verbose_name, getattr(laporan, f)) for f in FINANCIAL_FIELDS]
    answers = [
        (label, [(text, laporan.kuesioner_manajemen.get(key)) for key, text in items]) for _g, label, items in QUESTIONS
    ]
    return render(
        request,
        "koperasi/laporan.html",
        {
            "laporan": laporan,
            "koperasi": laporan.koperasi,
            "figures": figures,
            "answers": answers if laporan.kuesioner_manajemen else [],
            "riwayat": laporan.riwayat.select_related("actor"),
            "form": form,
        },
    )


@role_required(*STAFF)
def review_list(request):
    page = Paginator(selectors.reports_awaiting_review(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "koperasi/review_list.html", {"page": page})


@role_required(Role.COOP_OFFICER)
def my_reports(request):
    items = [(k, selectors.laporan_of_koperasi(k)) for k in selectors.koperasi_of_officer(request.user)]
    return render(request, "koperasi/my_reports.html", {"items": items})


@role_required(Role.COOP_OFFICER)
def laporan_submit(request, pk):
    koperasi = selectors.access_koperasi(request.user, pk)
    initial: dict[str, Any] = {"tahun_buku": timezone.localdate().year - 1}
    tahun = id_param(request.GET.get("tahun"))
    if tahun and tahun < 10000:
        existing = koperasi.laporan.filter(tahun_buku=tahun).first()
        if existing is not None and existing.status != ReportStatus.DITERIMA:
            initial = {"tahun_buku": existing.tahun_buku, "tanggal_rat": existing.tanggal_rat}
            initial["jumlah_anggota"] = existing.jumlah_anggota
            initial.update({f: getattr(existing, f) for f in existing.inputs() if f != "skor_manajemen"})
            initial.update({f"q_{k}": v for k, v in existing.kuesioner_manajemen.items()})
    form = LaporanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.laporan_submit(
                koperasi=koperasi,
                tahun_buku=form.cleaned_data["tahun_buku"],
                tanggal_rat=form.cleaned_data["tanggal_rat"],
                jumlah_anggota=form.cleaned_data["jumlah_anggota"],
                figures=form.figures(),
                kuesioner=form.kuesioner(),
                actor=request.user,
            )
            messages.success(request, _("Laporan tahunan terkirim; dinas akan meninjaunya."))
            return redirect("koperasi:my_reports")
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "koperasi/submit.html", {"form": form, "koperasi": koperasi})


@role_required(*STAFF)
def pembubaran_list(request):
    codes = user_regency_codes(request.user)
    today = timezone.localdate()
    due = selectors.pembubaran_due(regency_codes=codes, today=today)
    candidates = selectors.dissolution_candidates(regency_codes=codes, as_of=today)
    labels = dict(LangkahJenis.choices)
    for item in due:
        item.langkah_label = labels.get(item.langkah, "")
    return render(request, "koperasi/pembubaran_list.html", {"due": due, "candidates": candidates, "today": today})


@role_required(*STAFF)
def pembubaran_start(request, pk):
    koperasi = selectors.access_koperasi(request.user, pk)
    form = PembubaranStartForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pembubaran_start(koperasi=koperasi, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Pemberitahuan rencana pembubaran dicatat."))
            return redirect("koperasi:detail", pk=koperasi.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "koperasi/pembubaran_form.html",
        {"form": form, "koperasi": koperasi, "judul": _("Mulai proses pembubaran")},
    )


STEP_SERVICES = {
    "keberatan": (services.pembubaran_keberatan, STAFF),
    "keputusan_keberatan": (services.pembubaran_keputusan_keberatan, DECIDERS),
    "keputusan_pembubaran": (services.pembubaran_keputusan, DECIDERS),
    "penghapusan": (services.pembubaran_hapus, DECIDERS),
}


@role_required(*STAFF)
def pembubaran_step(request, pk, langkah):
    if langkah not in STEP_SERVICES:
        raise Http404
    service, roles = STEP_SERVICES[langkah]
    proses = selectors.access_proses(request.user, pk)
    if not request.user.has_role(*roles):
        raise RoleRequired(roles)
    form = PembubaranStepForm(request.POST or None, request.FILES or None, langkah=langkah)
    if request.method == "POST" and form.is_valid():
        kwargs = {
            "proses": proses,
            "tanggal": form.cleaned_data["tanggal"],
            "dokumen": form.cleaned_data["dokumen"],
            "catatan": form.cleaned_data["catatan"],
            "actor": request.user,
        }
        if langkah == "keputusan_keberatan":
            kwargs["diterima"] = bool(form.cleaned_data.get("keberatan_diterima"))
        try:
            service(**kwargs)
            messages.success(request, _("Langkah pembubaran dicatat."))
            return redirect("koperasi:detail", pk=proses.koperasi_id)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "koperasi/pembubaran_form.html",
        {"form": form, "koperasi": proses.koperasi, "judul": dict(LangkahJenis.choices)[langkah]},
    )


@role_required(*STAFF, Role.LEADERSHIP)
def pembubaran_dokumen(request, pk):
    langkah = PembubaranLangkah.objects.select_related("proses").filter(pk=pk).first()
    if langkah is None:
        raise Http404
    selectors.access_proses(request.user, langkah.proses_id)
    return protected_file_response(langkah.dokumen, download_name=f"pembubaran-{langkah.proses_id}-{langkah.jenis}")


@require_POST
@role_required(*STAFF)
def assessment_recompute(request, pk):
    laporan = selectors.access_laporan(request.user, pk)
    if laporan.status != ReportStatus.DITERIMA:
        raise Http404
    a = services.assessment_compute(laporan=laporan, actor=request.user)
    if a is None:
        messages.warning(request, _("Data keuangan belum lengkap; penilaian tidak dapat dihitung."))
        return redirect("koperasi:laporan", pk=laporan.pk)
    return redirect("koperasi:assessment", pk=a.pk)
