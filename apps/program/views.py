"""Pages of the programmes: the operator's calendar and activity pages, training registration on an
owner's phone, attendance (QR scanner and list), certificates and their public verification."""

import json
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.selectors import user_regency_codes
from apps.core.access import role_required
from apps.core.formatting import tanggal
from apps.core.forms import error_text, id_param, year_param
from apps.core.roles import OFFICERS, STAFF, Role
from apps.program import documents, selectors, services
from apps.program import outcomes as domain
from apps.program.forms import BusinessSearchForm, NewBusinessForm, ProgrammeForm, SessionsForm
from apps.program.models import COUNTED, SEATED, Kind, Participant, Session, Source, Status
from apps.program.views_festival import festival_context
from apps.program.views_packaging import packaging_context
from apps.regions.models import Level, Region
from apps.regions.selectors import regency_codes_under
from apps.umkm.models import Business
from apps.umkm.selectors import access_business, business_list
from apps.umkm.services import business_register


def _regency_choices(user: Any) -> list[str]:
    codes = user_regency_codes(user)
    qs = Region.objects.filter(level=Level.REGENCY)
    if codes is not None:
        qs = qs.filter(code__in=codes)
    return list(qs.order_by("code").values_list("code", flat=True)[:60])


def _year(request: Any) -> int:
    return year_param(request.GET.get("tahun")) or timezone.localdate().year


# -- operator: calendar and activities ----------------------------------------------------------------
@role_required(*OFFICERS)
def calendar(request):
    year = _year(request)
    kind = request.GET.get("jenis", "")
    if kind not in Kind.values:
        kind = ""
    codes = user_regency_codes(request.user)
    groups = selectors.calendar(
        regency_codes=sorted(codes) if codes is not None else None,
        year=year,
        kind=kind,
        district=request.GET.get("kecamatan", ""),
    )
    figures = None
    if codes is not None:
        figures = selectors.programme_kpi(regency_codes=sorted(codes), year=year, as_of=date(year, 12, 31))["program"]
    return render(
        request,
        "program/calendar.html",
        {
            "groups": groups,
            "year": year,
            "years": list(range(timezone.localdate().year + 1, timezone.localdate().year - 8, -1)),
            "kind": kind,
            "kinds": Kind.choices,
            "figures": figures,
            "can_edit": request.user.has_role(*STAFF),
        },
    )


@role_required(*STAFF)
def programme_create(request):
    regencies = _regency_choices(request.user)
    regency = request.GET.get("kabupaten") or (regencies[0] if regencies else "")
    if regency not in regencies:
        raise Http404
    form = ProgrammeForm(
        request.POST or None, regency_code=regency, initial={"kind": request.GET.get("jenis", "pelatihan")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(regency_code=regency, data=form.values(), actor=request.user)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            if programme.kind == Kind.TRAINING:
                services.session_set(
                    programme=programme,
                    dates=[
                        programme.start_date + timedelta(days=i)
                        for i in range(min((programme.end_date - programme.start_date).days + 1, 60))
                    ],
                    actor=request.user,
                )
            messages.success(request, _("Kegiatan disimpan."))
            return redirect("program:detail", programme.pk)
    return render(request, "program/form.html", {"form": form, "programme": None})


@role_required(*STAFF)
def programme_edit(request, pk):
    programme = selectors.access_programme(request.user, pk)
    form = ProgrammeForm(
        request.POST or None, regency_code=programme.regency_id, initial=ProgrammeForm.initial_from(programme)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(programme=programme, data=form.values(), actor=request.user)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("program:detail", programme.pk)
    return render(request, "program/form.html", {"form": form, "programme": programme})


@role_required(*OFFICERS)
def programme_detail(request, pk):
    programme = selectors.access_programme(request.user, pk)
    if programme.kind == Kind.TRAINING:
        services.offers_expire(programme=programme, actor=request.user)
    participants = list(
        programme.participants.select_related("business__owner", "business__district")
        .annotate(attended=Count("attendances"))
        .order_by("status", "-priority", "registered_at", "id")
    )
    waiting = services.waiting_list(programme) if programme.kind == Kind.TRAINING else []
    for p in waiting:
        if p.offer_expires_at:
            p.whatsapp = services.offer_message(p, base_url=request.build_absolute_uri("/"))
    sessions = list(programme.sessions.annotate(n=Count("attendances")))
    search = BusinessSearchForm(request.GET or None)
    found = []
    if search.is_valid():
        found = list(
            business_list(user=request.user, filters={"q": search.cleaned_data["q"]}).filter(
                regency_id=programme.regency_id
            )[:10]
        )
    extra: dict[str, Any] = {}
    if programme.kind == Kind.PACKAGING:
        extra = packaging_context(request, programme)
    elif programme.kind == Kind.FESTIVAL:
        extra = festival_context(request, programme)
    return render(
        request,
        "program/detail.html",
        {
            **extra,
            "programme": programme,
            "participants": [p for p in participants if p.status != Status.WAITING],
            "waiting": waiting,
            "sessions": sessions,
            "seats_free": services.seats_free(programme),
            "search": search,
            "found": found,
            "can_edit": request.user.has_role(*STAFF),
            "sessions_form": SessionsForm(
                initial={
                    "dates": "\n".join(s.date.isoformat() for s in sessions) or SessionsForm.default_dates(programme)
                }
            ),
            "is_training": programme.kind == Kind.TRAINING,
        },
    )


@require_POST
@role_required(*STAFF)
def programme_sessions(request, pk):
    programme = selectors.access_programme(request.user, pk)
    form = SessionsForm(request.POST)
    if form.is_valid():
        try:
            services.session_set(programme=programme, dates=form.cleaned_data["dates"], actor=request.user)
            messages.success(request, _("Sesi disimpan."))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
    else:
        messages.error(request, " ".join(form.errors.get("dates", [])))
    return redirect("program:detail", programme.pk)


@require_POST
@role_required(*STAFF)
def participant_add(request, pk):
    """An operator registers a registry business on the spot."""
    programme = selectors.access_programme(request.user, pk)
    try:
        business = access_business(request.user, int(request.POST.get("business", "0")))
    except (ValueError, Http404):
        raise Http404
    try:
        participant = services.participant_register(
            programme=programme, business=business, actor=request.user, source=Source.OPERATOR
        )
        messages.success(
            request,
            _("%(b)s didaftarkan: %(s)s.") % {"b": business.name, "s": participant.get_status_display()},
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("program:detail", programme.pk)


def _officer_participant(request: Any, pk: int) -> Participant:
    participant = Participant.objects.select_related("programme", "business__owner").filter(pk=pk).first()
    if participant is None:
        raise Http404
    selectors.access_programme(request.user, participant.programme_id)
    return participant


@require_POST
@role_required(*STAFF)
def participant_cancel(request, pk):
    participant = _officer_participant(request, pk)
    try:
        services.participant_cancel(participant=participant, actor=request.user, reason=request.POST.get("alasan", ""))
        messages.success(request, _("Pendaftaran %(b)s dibatalkan.") % {"b": participant.business.name})
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("program:detail", participant.programme_id)


@require_POST
@role_required(*STAFF)
def scores(request, pk):
    """Pre- and post-test scores of every participant holding a seat, from one table form."""
    programme = selectors.access_programme(request.user, pk)
    problems = []
    for participant in programme.participants.filter(status__in=SEATED).select_related("business"):
        values = []
        for name in ("pre", "post"):
            raw = request.POST.get(f"{name}_{participant.pk}", "").strip()
            if not raw:
                values.append(None)
                continue
            try:
                values.append(int(raw))
            except ValueError:
                values.append(-1)
        try:
            services.scores_set(participant=participant, pre_test=values[0], post_test=values[1], actor=request.user)
        except ValidationError as exc:
            problems.append(f"{participant.business.name}: {error_text(exc)}")
    if problems:
        messages.error(request, " ".join(problems))
    else:
        messages.success(request, _("Nilai disimpan."))
    return redirect("program:detail", programme.pk)


@require_POST
@role_required(*STAFF)
def evaluate(request, pk):
    programme = selectors.access_programme(request.user, pk)
    counts = services.completion_evaluate(programme=programme, actor=request.user)
    messages.success(
        request,
        _("Kelulusan dihitung: %(l)s lulus, %(t)s belum lulus.") % {"l": counts["lulus"], "t": counts["tidak_lulus"]},
    )
    return redirect("program:detail", programme.pk)


# -- attendance -------------------------------------------------------------------------------------
def _session(request: Any, pk: int) -> Session:
    session = Session.objects.select_related("programme").filter(pk=pk).first()
    if session is None:
        raise Http404
    selectors.access_programme(request.user, session.programme_id)
    return session


@role_required(*STAFF)
def attendance_list(request, pk):
    """The manual list: tick who is present (the fallback when a phone cannot scan)."""
    session = _session(request, pk)
    participants = list(
        session.programme.participants.filter(status__in=SEATED)
        .select_related("business__owner")
        .order_by("business__name", "id")
    )
    present = set(session.attendances.values_list("participant_id", flat=True))
    if request.method == "POST":
        wanted = {i for i in map(id_param, request.POST.getlist("hadir")) if i}
        for p in participants:
            if p.pk in wanted and p.pk not in present:
                services.attendance_record(session=session, participant=p, actor=request.user)
            elif p.pk not in wanted and p.pk in present:
                services.attendance_remove(session=session, participant=p, actor=request.user)
        messages.success(request, _("Daftar hadir disimpan."))
        return redirect("program:attendance", session.pk)
    for p in participants:
        p.present = p.pk in present
    return render(request, "program/attendance.html", {"session": session, "participants": participants})


@role_required(*STAFF)
def scanner(request, pk):
    session = _session(request, pk)
    return render(
        request,
        "program/scanner.html",
        {
            "programme": session.programme,
            "heading": _("Pindai kehadiran sesi %(n)s (%(d)s)") % {"n": session.number, "d": tanggal(session.date)},
            "checkin_url": reverse("program:checkin", args=[session.pk]),
            "count": session.attendances.count(),
            "count_label": _("Hadir di sesi ini"),
            "manual_url": reverse("program:attendance", args=[session.pk]),
            "walk_in_url": reverse("program:walk_in", args=[session.pk]),
        },
    )


@require_POST
@role_required(*STAFF)
def checkin(request, pk):
    """The scanner posts the decoded QR text; answers JSON for the page to show."""
    session = _session(request, pk)
    try:
        token = json.loads(request.body or b"{}").get("kode", "")
    except (ValueError, AttributeError):
        token = ""
    try:
        participant, created = services.attendance_checkin(session=session, token=str(token), actor=request.user)
    except ValidationError as exc:
        return JsonResponse({"ok": False, "pesan": error_text(exc)}, status=400)
    message = (_("%(o)s (%(b)s) hadir.") if created else _("%(o)s (%(b)s) sudah tercatat hadir.")) % {
        "o": participant.business.owner.name,
        "b": participant.business.name,
    }
    return JsonResponse({"ok": True, "baru": created, "pesan": message, "jumlah": session.attendances.count()})


@role_required(*STAFF)
def walk_in(request, pk):
    """At the door of a session: register a business that did not apply (found in the registry, or entered
    as new) and mark it present in one step."""

    session = _session(request, pk)
    programme = session.programme
    search = BusinessSearchForm(request.GET or None)
    new_form = NewBusinessForm(
        request.POST if request.POST.get("baru") else None, regency_code=programme.regency_id, prefix="baru"
    )
    if request.method == "POST":
        over_quota = request.POST.get("over_quota") == "1" or request.POST.get("baru-over_quota") == "on"
        try:
            if request.POST.get("baru"):
                if not new_form.is_valid():
                    raise ValidationError(_("Periksa isian usaha baru."))
                data = new_form.cleaned_data
                business, _created = business_register(
                    owner_nik=data["owner_nik"],
                    owner_name=data["owner_name"],
                    name=data["name"],
                    sector=data["sector"],
                    village_code=data["village"],
                    nib=data["nib"],
                    actor=request.user,
                )
            else:
                try:
                    business = access_business(request.user, int(request.POST.get("business", "0")))
                except ValueError:
                    raise Http404
            participant, seated = services.participant_walk_in(
                session=session, business=business, actor=request.user, over_quota=over_quota
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            text = _("%(b)s didaftarkan di tempat dan tercatat hadir.") if seated else _("%(b)s tercatat hadir.")
            messages.success(request, text % {"b": participant.business.name})
            return redirect("program:walk_in", session.pk)
    found = []
    if search.is_valid():
        found = list(
            business_list(user=request.user, filters={"q": search.cleaned_data["q"]})
            .filter(regency_id=programme.regency_id)
            .select_related("owner", "district")[:10]
        )
    return render(
        request,
        "program/walk_in.html",
        {
            "session": session,
            "programme": programme,
            "search": search,
            "found": found,
            "new_form": new_form,
            "seats_free": services.seats_free(programme),
            "waiting": len(services.waiting_list(programme)),
        },
    )


# -- drill-down ---------------------------------------------------------------------------------------
@role_required(*OFFICERS)
def records(request):
    """The businesses behind one figure of the `program` key (leadership report drill-down)."""
    kind = request.GET.get("jenis", "")
    figure = request.GET.get("angka", "")
    if kind not in COUNTED or (figure not in COUNTED[kind] and figure != "kegiatan"):
        raise Http404
    region = request.GET.get("wilayah", "")
    codes = user_regency_codes(request.user)
    wanted = regency_codes_under({region}) if region else (codes or set())
    if codes is not None:
        wanted &= codes
    year = year_param(request.GET.get("tahun"))
    try:
        as_of = date.fromisoformat(request.GET.get("per", ""))
    except ValueError:
        raise Http404
    if year is None:
        raise Http404
    regency_codes = sorted(wanted)
    programmes = selectors.programmes_of_year(regency_codes=regency_codes, year=year, as_of=as_of).filter(kind=kind)
    businesses = []
    if figure != "kegiatan":
        businesses = list(
            selectors.programme_kpi_records(
                regency_codes=regency_codes, year=year, as_of=as_of, kind=kind, figure=figure
            )
        )
    return render(
        request,
        "program/records.html",
        {
            "kind_label": Kind(kind).label,
            "figure": figure,
            "year": year,
            "as_of": as_of,
            "programmes": programmes.annotate(
                n=Count("participants", filter=Q(participants__status__in=COUNTED[kind].get(figure, ()))),
            ).order_by("start_date", "pk"),
            "businesses": businesses,
        },
    )


# -- owner: trainings on a phone ---------------------------------------------------------------------
@role_required(Role.SELLER)
def my_trainings(request):
    businesses = selectors.owner_businesses(request.user)
    mine = list(
        Participant.objects.filter(business__in=businesses, programme__kind=Kind.TRAINING)
        .select_related("programme", "business")
        .order_by("-programme__start_date", "-pk")
    )
    for p in mine:
        if p.programme.cancelled is False and p.status == Status.WAITING and p.offer_expires_at:
            services.offers_expire(programme=p.programme, actor=request.user)
            p.refresh_from_db()
        if p.status == Status.WAITING and not p.offer_expires_at:
            ahead = [w.pk for w in services.waiting_list(p.programme)]
            p.position = ahead.index(p.pk) + 1 if p.pk in ahead else None
    taken = {(p.programme_id, p.business_id) for p in mine if p.status not in (Status.CANCELLED, Status.REJECTED)}
    offers = []
    for programme in selectors.open_trainings(businesses=businesses):
        programme.is_open = services.registration_open(programme)
        programme.free = services.seats_free(programme)
        programme.choices = [
            b for b in businesses if (programme.pk, b.pk) not in taken and b.regency_id == programme.regency_id
        ]
        if programme.choices:
            offers.append(programme)
    return render(request, "program/my_trainings.html", {"mine": mine, "offers": offers, "businesses": businesses})


@require_POST
@role_required(Role.SELLER)
def my_register(request, pk):
    businesses = {b.pk: b for b in selectors.owner_businesses(request.user)}
    try:
        business = businesses[int(request.POST.get("business", "0"))]
    except (KeyError, ValueError):
        raise Http404
    programme = selectors.open_trainings(businesses=[business]).filter(pk=pk).first()
    if programme is None:
        raise Http404
    try:
        participant = services.participant_register(
            programme=programme, business=business, actor=request.user, source=Source.ONLINE
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        if participant.status == Status.WAITING:
            messages.warning(request, _("Kuota penuh: Anda masuk daftar tunggu. Kami kabari bila ada kursi kosong."))
        else:
            messages.success(request, _("Pendaftaran berhasil. Sampai jumpa di pelatihan!"))
    return redirect("program:my_trainings")


@require_POST
@role_required(Role.SELLER)
def my_confirm(request, pk):
    participant = selectors.access_own_participant(request.user, pk)
    try:
        services.offer_confirm(participant=participant, actor=request.user)
        messages.success(request, _("Kursi Anda sudah dikonfirmasi."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("program:my_trainings")


@require_POST
@role_required(Role.SELLER)
def my_cancel(request, pk):
    participant = selectors.access_own_participant(request.user, pk)
    try:
        services.participant_cancel(participant=participant, actor=request.user, reason=_("dibatalkan pemilik"))
        messages.success(request, _("Pendaftaran dibatalkan."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("program:my_trainings")


@role_required(Role.SELLER)
def my_ticket(request, pk):
    """The check-in QR code, full screen on the owner's phone."""
    participant = selectors.access_own_participant(request.user, pk)
    festival_entry = participant.programme.kind == Kind.FESTIVAL and participant.status in (
        Status.ACCEPTED,
        Status.ATTENDED,
    )
    if participant.status not in SEATED and not festival_entry:
        raise Http404
    return render(
        request,
        "program/ticket.html",
        {"participant": participant, "qr": documents.qr_svg(participant.checkin_token, scale=8)},
    )


def _certificate_response(request: Any, participant: Participant) -> HttpResponse:
    if participant.status != Status.PASSED or not participant.certificate_code:
        raise Http404
    verify_url = request.build_absolute_uri(reverse("program:verify", args=[participant.certificate_code]))
    pdf = documents.certificate_pdf(participant, verify_url=verify_url, regency_name=participant.programme.regency.name)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sertifikat-{participant.certificate_code}.pdf"'
    return response


@role_required(Role.SELLER)
def my_certificate(request, pk):
    return _certificate_response(request, selectors.access_own_participant(request.user, pk))


@role_required(*OFFICERS)
def certificate(request, pk):
    return _certificate_response(request, _officer_participant(request, pk))


# -- public -----------------------------------------------------------------------------------------
def verify(request, code=""):
    """Public certificate verification: name, training and date, nothing else personal."""
    code = code or request.GET.get("kode", "")
    participant = selectors.certificate_by_code(code) if code else None
    return render(request, "program/verify.html", {"code": code, "participant": participant})


# -- outcomes ----------------------------------------------------------------------------------------
def _outcome_scope(request: Any) -> tuple[list[str], int, date]:
    codes = user_regency_codes(request.user)
    regencies = sorted(codes) if codes is not None else _regency_choices(request.user)
    wanted = request.GET.get("wilayah", "")
    if wanted:
        regencies = sorted(set(regencies) & regency_codes_under({wanted}))
    year = _year(request)
    try:
        as_of = date.fromisoformat(request.GET.get("per", "")) if request.GET.get("per") else timezone.localdate()
    except ValueError:
        raise Http404
    return regencies, year, as_of


@role_required(*OFFICERS)
def outcomes(request):
    """Participants against the comparison group, per kind, for a year (SPEC §10): a table and a chart."""
    regencies, year, as_of = _outcome_scope(request)
    items = domain.outcomes(regency_codes=regencies, year=year, as_of=as_of)
    rows = domain.as_rows(items)
    chart = {
        "labels": [str(r["label"]) for r in rows],
        "participants": [float(o.participants.share or 0) * 100 for o in items],
        "comparison": [float(o.comparison.share or 0) * 100 for o in items],
        "legend": [str(_("Peserta")), str(_("Kelompok pembanding"))],
    }
    return render(
        request,
        "program/outcomes.html",
        {
            "rows": rows,
            "year": year,
            "as_of": as_of,
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 8, -1)),
            "chart": chart,
            "wilayah": request.GET.get("wilayah", ""),
        },
    )


@role_required(*OFFICERS)
def outcome_records(request):
    """The businesses behind one outcome figure: group (peserta|pembanding), figure (semua|data|naik)."""

    kind = request.GET.get("jenis", "")
    group = request.GET.get("kelompok", "")
    figure = request.GET.get("angka", "")
    if kind not in Kind.values or group not in ("peserta", "pembanding") or figure not in ("semua", "data", "naik"):
        raise Http404
    regencies, year, as_of = _outcome_scope(request)
    o = domain.outcome(regency_codes=regencies, year=year, as_of=as_of, kind=kind)
    ids = domain.outcome_businesses(o, group=group, figure=figure)

    businesses = Business.objects.filter(pk__in=ids).select_related("owner", "district").order_by("district_id", "name")
    return render(
        request,
        "program/outcome_records.html",
        {
            "page": Paginator(businesses, 100).get_page(request.GET.get("page")),
            "count": len(ids),
            "kind_label": Kind(kind).label,
            "group": group,
            "figure": figure,
            "year": year,
        },
    )
