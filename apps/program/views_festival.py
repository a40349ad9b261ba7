"""Pages of festivals: the booth plan (drawn), applications, allocation and moves, check-in, sales per
booth per day on a phone, and the seller's application."""

import json
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.access import role_required
from apps.core.forms import error_text
from apps.core.roles import STAFF, Role
from apps.program import festival, selectors
from apps.program.forms import RupiahField
from apps.program.models import Booth, BoothSale, Exhibitor, Kind, Status
from apps.store.models import Category
from apps.store.selectors import sellers_of_user


def festival_days(programme: Any) -> list[date]:
    """The festival's days (at most 31, for the links)."""
    count = min((programme.end_date - programme.start_date).days + 1, 31)
    return [programme.start_date + timedelta(days=i) for i in range(count)]


def festival_context(request: Any, programme: Any) -> dict[str, Any]:
    exhibitors = list(
        Exhibitor.objects.filter(participant__programme=programme)
        .select_related("seller", "category", "booth", "participant")
        .order_by("participant__status", "participant__registered_at", "pk")
    )
    return {
        "plan": festival.booth_plan(programme),
        "exhibitors": exhibitors,
        "booths": list(Booth.objects.filter(programme=programme).order_by("zone", "row", "number")),
        "festival_days": festival_days(programme),
    }


def _festival(request: Any, pk: int) -> Any:
    programme = selectors.access_programme(request.user, pk)
    if programme.kind != Kind.FESTIVAL:
        raise Http404
    return programme


def _exhibitor(request: Any, pk: int) -> Exhibitor:
    exhibitor = Exhibitor.objects.select_related("participant__programme", "seller", "booth").filter(pk=pk).first()
    if exhibitor is None:
        raise Http404
    selectors.access_programme(request.user, exhibitor.participant.programme_id)
    return exhibitor


def _back(exhibitor: Exhibitor) -> Any:
    return redirect("program:detail", exhibitor.participant.programme_id)


@require_POST
@role_required(*STAFF)
def booths(request, pk):
    programme = _festival(request, pk)
    zones = [z.strip().upper() for z in request.POST.get("zona", "").split(",") if z.strip()]
    try:
        rows, per_row = int(request.POST.get("baris", "0")), int(request.POST.get("per_baris", "0"))
        added = festival.booths_generate(
            programme=programme, zones=zones, rows=rows, per_row=per_row, actor=request.user
        )
        messages.success(request, _("%(n)s stan ditambahkan.") % {"n": added})
    except ValueError:
        messages.error(request, _("Isi jumlah baris dan stan per baris dengan angka."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("program:detail", programme.pk)


@require_POST
@role_required(*STAFF)
def decide(request, pk):
    exhibitor = _exhibitor(request, pk)
    try:
        festival.exhibitor_decide(
            exhibitor=exhibitor,
            accept=request.POST.get("terima") == "1",
            actor=request.user,
            reason=request.POST.get("alasan", "").strip(),
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return _back(exhibitor)


@require_POST
@role_required(*STAFF)
def allocate(request, pk):
    programme = _festival(request, pk)
    try:
        n = festival.booths_allocate(programme=programme, actor=request.user)
        messages.success(request, _("%(n)s peserta mendapat stan.") % {"n": n})
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("program:detail", programme.pk)


@require_POST
@role_required(*STAFF)
def move(request, pk):
    exhibitor = _exhibitor(request, pk)
    booth = Booth.objects.filter(
        pk=request.POST.get("stan") or 0, programme_id=exhibitor.participant.programme_id
    ).first()
    if booth is None:
        messages.error(request, _("Pilih stan tujuan."))
    else:
        festival.booth_move(exhibitor=exhibitor, booth=booth, actor=request.user)
        messages.success(
            request, _("%(s)s dipindah ke stan %(b)s.") % {"s": exhibitor.seller.shop_name, "b": booth.label}
        )
    return _back(exhibitor)


@require_POST
@role_required(*STAFF)
def checkin(request, pk):
    exhibitor = _exhibitor(request, pk)
    try:
        festival.exhibitor_checkin(exhibitor=exhibitor, actor=request.user)
        messages.success(request, _("%(s)s sudah check-in.") % {"s": exhibitor.seller.shop_name})
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return _back(exhibitor)


@role_required(*STAFF)
def sales(request, pk):
    """Sales per booth for one festival day, entered on a phone at closing time."""
    programme = _festival(request, pk)
    try:
        day = date.fromisoformat(
            request.GET.get("tanggal") or request.POST.get("tanggal") or programme.start_date.isoformat()
        )
    except ValueError:
        raise Http404
    if not programme.start_date <= day <= programme.end_date:
        raise Http404
    exhibitors = list(
        Exhibitor.objects.filter(participant__programme=programme, participant__status=Status.ATTENDED)
        .select_related("seller", "booth", "participant__programme")
        .order_by("booth__zone", "booth__row", "booth__number")
    )
    recorded = {s.exhibitor_id: s.amount for s in BoothSale.objects.filter(exhibitor__in=exhibitors, date=day)}
    if request.method == "POST":
        field = RupiahField(required=False)
        problems = []
        saved = 0
        for e in exhibitors:
            raw = request.POST.get(f"jual_{e.pk}", "").strip()
            if not raw:
                continue
            try:
                amount = field.clean(raw)
                if amount is not None and recorded.get(e.pk) != amount:
                    festival.booth_sale_record(exhibitor=e, day=day, amount=amount, actor=request.user)
                    saved += 1
            except ValidationError as exc:
                problems.append(f"{e.seller.shop_name}: {error_text(exc)}")
        if problems:
            messages.error(request, " ".join(problems))
        messages.success(request, _("%(n)s penjualan stan disimpan.") % {"n": saved})
        return redirect(f"{request.path}?tanggal={day.isoformat()}")
    for e in exhibitors:
        e.amount = recorded.get(e.pk)
    days = festival_days(programme)
    return render(
        request,
        "program/festival_sales.html",
        {
            "programme": programme,
            "day": day,
            "days": days[:31],
            "exhibitors": exhibitors,
            "total": sum(recorded.values()),
        },
    )


# -- seller -------------------------------------------------------------------------------------------
@role_required(Role.SELLER)
def my_festivals(request):

    sellers = sellers_of_user(request.user)
    businesses = [s.business for s in sellers]
    mine = list(
        Exhibitor.objects.filter(seller__in=sellers)
        .select_related("participant__programme", "booth", "category")
        .order_by("-participant__programme__start_date")
    )
    taken = {(e.participant.programme_id, e.seller_id) for e in mine if e.participant.status != Status.CANCELLED}
    if request.method == "POST":
        programme = (
            selectors.open_calls(businesses=businesses, kind=Kind.FESTIVAL)
            .filter(pk=request.POST.get("kegiatan") or 0)
            .first()
        )
        seller = next((s for s in sellers if str(s.pk) == request.POST.get("toko")), None)
        category = Category.objects.filter(pk=request.POST.get("kategori") or 0).first()
        if programme is None or seller is None or category is None:
            raise Http404
        try:
            festival.exhibitor_apply(programme=programme, seller=seller, category=category, actor=request.user)
            messages.success(request, _("Pendaftaran pameran terkirim."))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        return redirect("program:my_festivals")
    events = []
    for programme in selectors.open_calls(businesses=businesses, kind=Kind.FESTIVAL):
        programme.shops = [
            s for s in sellers if (programme.pk, s.pk) not in taken and s.regency_id == programme.regency_id
        ]
        if programme.shops:
            events.append(programme)
    return render(
        request,
        "program/my_festivals.html",
        {"mine": mine, "events": events, "categories": Category.objects.order_by("name")},
    )


@role_required(*STAFF)
def scanner(request, pk):
    """Check-in of booth holders by the QR code on their phone (the training's scanner page)."""
    programme = _festival(request, pk)
    return render(
        request,
        "program/scanner.html",
        {
            "programme": programme,
            "heading": _("Pindai check-in peserta pameran"),
            "checkin_url": reverse("program:festival_checkin_qr", args=[programme.pk]),
            "count": Exhibitor.objects.filter(participant__programme=programme, checked_in_at__isnull=False).count(),
            "count_label": _("Sudah check-in"),
            "manual_url": reverse("program:detail", args=[programme.pk]) + "#peserta-pameran",
        },
    )


@require_POST
@role_required(*STAFF)
def checkin_qr(request, pk):
    """The scanner posts the decoded QR text; answers JSON for the page to show."""
    programme = _festival(request, pk)
    try:
        token = json.loads(request.body or b"{}").get("kode", "")
    except (ValueError, AttributeError):
        token = ""
    try:
        exhibitor, created = festival.exhibitor_checkin_by_qr(programme=programme, token=str(token), actor=request.user)
    except ValidationError as exc:
        return JsonResponse({"ok": False, "pesan": error_text(exc)}, status=400)
    facts = {"s": exhibitor.seller.shop_name, "b": exhibitor.booth.label if exhibitor.booth else "–"}
    message = (_("%(s)s hadir di stan %(b)s.") if created else _("%(s)s sudah check-in (stan %(b)s).")) % facts
    count = Exhibitor.objects.filter(participant__programme=programme, checked_in_at__isnull=False).count()
    return JsonResponse({"ok": True, "baru": created, "pesan": message, "jumlah": count})
