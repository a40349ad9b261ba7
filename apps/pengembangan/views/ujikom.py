"""Pages of the competency tests: sessions, the cooperative officer's managers and registrations, the
assessor's scoring page (tablet-friendly), results explained line by line, certificates, renewals
due and coverage. Object access goes through the selectors (404 for missing and not-yours)."""

from datetime import date, timedelta
from fractions import Fraction

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from apps.accounts.models import User
from apps.accounts.selectors import user_regency_codes
from apps.audit.services import nik_reveal
from apps.core.access import role_required
from apps.core.ratelimits import rate_limit_enforce
from apps.core.redirects import safe_next
from apps.core.roles import OFFICERS, STAFF, Role
from apps.pengembangan.certificates import ujikom_certificate_pdf
from apps.pengembangan.forms import EnrolForm, ManagerForm, ScoreForm, SessionForm
from apps.pengembangan.models import Jabatan, Participant, Result, Scheme, SessionStatus
from apps.pengembangan.selectors import ujikom as sel
from apps.pengembangan.services import ujikom as svc
from apps.pengembangan.ujikom_rules import decimal_text
from apps.regions.models import Level, Region


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _regency_choices(user) -> list[tuple[str, str]]:

    codes = user_regency_codes(user)
    qs = Region.objects.filter(level=Level.REGENCY)
    if codes is not None:
        qs = qs.filter(code__in=codes)
    else:
        qs = qs.filter(code__startswith="33.")
    return [(r.code, r.name) for r in qs.order_by("code")]


@role_required(*OFFICERS)
def index(request):
    """The department's hub of cooperative development: competency tests and the Koperasi Award."""
    return render(request, "pengembangan/index.html", {"can_manage": request.user.has_role(*STAFF)})


@role_required(*OFFICERS, Role.ASSESSOR)
def sesi_list(request):
    page = Paginator(sel.session_list(user=request.user), 30).get_page(request.GET.get("page"))
    # `Role` is not in a template's context: the page names the officer's links by this flag
    is_officer = request.user.has_role(*OFFICERS)
    return render(
        request,
        "pengembangan/sesi_list.html",
        {"page": page, "can_create": request.user.has_role(*STAFF), "is_officer": is_officer},
    )


@role_required(*STAFF)
def sesi_create(request):
    schemes = [(str(s.pk), s.nama) for s in sel.schemes_for_new_sessions()]
    assessor_users = User.objects.filter(role=Role.ASSESSOR, is_active=True).order_by("first_name", "username")
    assessors = [(str(u.pk), u.get_full_name() or u.username) for u in assessor_users]
    form = SessionForm(
        request.POST or None, schemes=schemes, regencies=_regency_choices(request.user), assessors=assessors
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            session = svc.session_create(
                scheme=Scheme.objects.get(pk=d["scheme"]),
                regency_code=d["regency"],
                nama=d["nama"],
                tanggal=d["tanggal"],
                tempat=d["tempat"],
                kuota=d["kuota"],
                assessors=list(assessor_users.filter(pk__in=d["assessors"])),
                actor=request.user,
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Sesi uji dibuat."))
            return redirect("pengembangan:sesi_detail", session.pk)
    return render(
        request,
        "pengembangan/form.html",
        {"form": form, "title": _("Sesi uji kompetensi baru"), "submit": _("Buat sesi")},
    )


@role_required(*OFFICERS, Role.ASSESSOR, Role.COOP_OFFICER)
def sesi_detail(request, pk):
    session = sel.access_session(request.user, pk)
    participants = list(sel.participants_of(session, user=request.user))
    return render(
        request,
        "pengembangan/sesi_detail.html",
        {
            "session": session,
            "participants": participants,
            "is_assessor": sel.is_assessor(request.user, session),
            "can_manage": request.user.has_role(*STAFF),
            "assessors": [a.user for a in session.assessors.select_related("user")],
            "statuses": SessionStatus.choices,
        },
    )


@require_POST
@role_required(*STAFF)
def sesi_status(request, pk):
    session = sel.access_session(request.user, pk)
    try:
        svc.session_set_status(session=session, status=request.POST.get("status", ""), actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Status sesi diperbarui."))
    return redirect("pengembangan:sesi_detail", session.pk)


@role_required(*STAFF, Role.ASSESSOR)
def peserta_nilai(request, pk):
    participant = sel.access_participant(request.user, pk)
    session = participant.session
    if not sel.is_assessor(request.user, session):
        raise Http404
    if participant.status != "terdaftar":
        result = getattr(participant, "result", None)
        if result is not None:
            return redirect("pengembangan:hasil_detail", result.pk)
        raise Http404
    criteria = svc.scheme_criteria(session.scheme)
    initial = dict(participant.scores.values_list("criterion_id", "nilai"))
    form = ScoreForm(request.POST or None, criteria=criteria, initial_scores=initial)
    if request.method == "POST" and form.is_valid():
        try:
            svc.scores_save(participant=participant, values=form.values(), actor=request.user)
            if "tetapkan" in request.POST:
                result = svc.result_decide(participant=participant, actor=request.user)
                messages.success(request, _("Hasil ditetapkan."))
                return redirect("pengembangan:hasil_detail", result.pk)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    if field in form.fields:
                        for e in errors:
                            form.add_error(field, e)
                    else:
                        for e in errors:
                            messages.error(request, e)
            else:
                _errors(request, exc)
        else:
            messages.success(request, _("Nilai disimpan."))
            return redirect("pengembangan:peserta_nilai", participant.pk)
    return render(
        request,
        "pengembangan/nilai.html",
        {"participant": participant, "session": session, "form": form, "scheme": session.scheme},
    )


@role_required(*OFFICERS, Role.ASSESSOR, Role.COOP_OFFICER)
def hasil_detail(request, pk):
    result = sel.access_result(request.user, pk)
    units = result.rincian.get("unit", [])
    lines = result.rincian.get("kriteria", [])
    for u in units:
        u["kriteria"] = [line for line in lines if line["unit"] == u["kode"]]

    total_text = ""
    if result.rincian.get("total_tepat") and result.nilai_lulus is not None:
        total_text = decimal_text(Fraction(result.rincian["total_tepat"]), 2, result.nilai_lulus)
    return render(
        request,
        "pengembangan/hasil.html",
        {"result": result, "units": units, "total_text": total_text, "manager": result.manager},
    )


def _verify_url(request, code: str) -> str:
    return request.build_absolute_uri(reverse("pengembangan:verifikasi", args=[code]))


@role_required(*OFFICERS, Role.ASSESSOR, Role.COOP_OFFICER)
def sertifikat_pdf(request, pk):
    result = sel.access_result(request.user, pk)
    certificate = getattr(result, "certificate", None)
    if certificate is None:
        raise Http404
    pdf = ujikom_certificate_pdf(certificate, _verify_url(request, certificate.kode_verifikasi))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sertifikat-{certificate.kode_verifikasi}.pdf"'
    return response


def verifikasi(request, code=""):
    """Public: anyone with the code (on the certificate, in its QR) sees whether it is genuine and valid.
    Only the name, cooperative, scheme and dates are shown; nothing else personal."""
    code = code or request.GET.get("kode", "")
    certificate = sel.certificate_by_code(code) if code else None
    return render(
        request,
        "pengembangan/verifikasi.html",
        {"code": code, "certificate": certificate, "today": timezone.localdate()},
        status=404 if code and certificate is None else 200,
    )


# ---------------------------------------------------------------- managers (cooperative officer, staff)


@role_required(Role.COOP_OFFICER)
def officer_home(request):
    koperasi = sel.officer_koperasi(request.user)
    if len(koperasi) == 1:
        return redirect("pengembangan:pengelola", koperasi[0].pk)
    return render(request, "pengembangan/officer_home.html", {"koperasi": koperasi})


@role_required(*OFFICERS, Role.COOP_OFFICER)
def pengelola(request, koperasi_pk):
    """A cooperative's managers: register one, enrol them in an open session, their results."""
    koperasi = sel.access_koperasi(request.user, koperasi_pk)
    can_edit = request.user.role == Role.COOP_OFFICER or request.user.has_role(*STAFF)
    managers = list(sel.managers_of_koperasi(koperasi))
    sessions = list(sel.open_sessions_for(koperasi))
    manager_form = ManagerForm(request.POST if request.POST.get("aksi") == "daftar" else None, prefix="m")
    enrol_form = EnrolForm(
        request.POST if request.POST.get("aksi") == "ikut" else None,
        prefix="e",
        managers=[(str(m.pk), f"{m.nama} ({m.get_jabatan_display()})") for m in managers],
        sessions=[
            (str(s.pk), f"{s.nama} · {s.tanggal:%d-%m-%Y} · {s.terisi}/{s.kuota}")  # type: ignore[attr-defined]
            for s in sessions
        ],
    )
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if request.POST.get("aksi") == "daftar" and manager_form.is_valid():
            d = manager_form.cleaned_data
            try:
                svc.manager_register(
                    koperasi=koperasi,
                    nik=d["nik"],
                    nama=d["nama"],
                    jabatan=d["jabatan"],
                    no_hp=d["no_hp"],
                    actor=request.user,
                )
            except ValidationError as exc:
                for field, errs in exc.message_dict.items():
                    for e in errs:
                        manager_form.add_error(field if field in manager_form.fields else None, e)
            else:
                messages.success(request, _("Pengelola %(n)s terdaftar.") % {"n": d["nama"]})
                return redirect("pengembangan:pengelola", koperasi.pk)
        elif request.POST.get("aksi") == "ikut" and enrol_form.is_valid():
            manager = next(m for m in managers if str(m.pk) == enrol_form.cleaned_data["manager"])
            session = next(s for s in sessions if str(s.pk) == enrol_form.cleaned_data["session"])
            try:
                svc.participant_register(session=session, manager=manager, actor=request.user)
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("%(n)s didaftarkan ke %(s)s.") % {"n": manager.nama, "s": session.nama})
                return redirect("pengembangan:pengelola", koperasi.pk)

    results = {
        r.manager_id: r
        for r in Result.objects.filter(manager__koperasi=koperasi).select_related("certificate").order_by("tanggal_uji")
    }
    registrations = (
        Participant.objects.filter(manager__koperasi=koperasi)
        .exclude(status="batal")
        .select_related("session", "manager")
        .order_by("-session__tanggal")
    )
    return render(
        request,
        "pengembangan/pengelola.html",
        {
            "koperasi": koperasi,
            "managers": managers,
            "latest": results,
            "registrations": registrations,
            "manager_form": manager_form,
            "enrol_form": enrol_form,
            "sessions": sessions,
            "can_edit": can_edit,
            "certified": sel.certified_managers(koperasi),
            "today": timezone.localdate(),
        },
    )


@never_cache  # it may show a full NIK (issue #15 M4)
@role_required(*OFFICERS, Role.COOP_OFFICER)
def pengelola_detail(request, pk):
    manager = sel.access_manager(request.user, pk)
    nik = None
    if request.method == "POST" and request.POST.get("aksi") == "nik":
        if not request.user.has_role(*STAFF):
            raise Http404
        rate_limit_enforce(request, group="nik-reveal", setting="RATE_LIMIT_NIK_REVEAL")
        nik = nik_reveal(
            holder=manager,
            actor=request.user,
            regency_code=manager.koperasi.regency_id,
            reason=_("dilihat di halaman pengelola"),
        )
    return render(
        request,
        "pengembangan/pengelola_detail.html",
        {
            "manager": manager,
            "results": sel.results_of_manager(manager),
            "nik": nik,
            "can_reveal": request.user.has_role(*STAFF),
            "jabatan": Jabatan,
        },
    )


@require_POST
@role_required(*STAFF, Role.COOP_OFFICER)
def peserta_batal(request, pk):
    participant = sel.access_participant(request.user, pk)
    try:
        svc.participant_cancel(participant=participant, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Pendaftaran dibatalkan."))
    back = reverse("pengembangan:sesi_detail", args=[participant.session_id])
    return redirect(safe_next(request, request.POST.get("next"), back))


# ---------------------------------------------------------------- renewals and coverage


def _codes(user):
    codes = user_regency_codes(user)
    return sorted(codes) if codes is not None else None


@role_required(*OFFICERS)
def perpanjangan(request):
    today = timezone.localdate()
    raw = request.GET.get("hari", "90")
    within = min(int(raw[:5]), 3650) if raw.isascii() and raw.isdigit() else 90
    rows = list(sel.renewals_due(regency_codes=_codes(request.user), today=today, within_days=within))
    return render(
        request,
        "pengembangan/perpanjangan.html",
        {"rows": rows, "today": today, "within": within, "until": today + timedelta(days=within)},
    )


@role_required(*OFFICERS)
def cakupan(request):
    as_of = timezone.localdate()
    if request.GET.get("tanggal"):
        try:
            as_of = date.fromisoformat(request.GET["tanggal"])
        except ValueError:
            messages.error(request, _("Tanggal tidak valid; dipakai hari ini."))
    codes = _codes(request.user)
    by_district = sel.coverage(regency_codes=codes, as_of=as_of, by="district")
    by_jenis = sel.coverage(regency_codes=codes, as_of=as_of, by="jenis")
    total = sel.CoverageRow(key="", label=_("Jumlah"))
    for row in by_jenis:
        total.koperasi += row.koperasi
        total.koperasi_bersertifikat += row.koperasi_bersertifikat
        total.pengelola_bersertifikat += row.pengelola_bersertifikat
    return render(
        request,
        "pengembangan/cakupan.html",
        {"as_of": as_of, "by_district": by_district, "by_jenis": by_jenis, "total": total},
    )
