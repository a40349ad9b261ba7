from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.access import RoleRequired, role_required
from apps.core.actors import user_regency_codes
from apps.core.formatting import month_name, today_wib
from apps.core.roles import OFFICERS, STAFF
from apps.core.uploads import protected_file_response
from apps.jobs.services import job_enqueue
from apps.regions.models import Level, Region
from apps.settlement.exports import file_name, period_label, statement_pdf, statement_xlsx
from apps.settlement.forms import AdjustmentForm, ListFilterForm, PayoutForm, PeriodActionForm
from apps.settlement.models import Payout
from apps.settlement.rules import month_start, next_month, parse_period, previous_month
from apps.settlement.selectors import (
    ListFilters,
    access_statement,
    seller_balance,
    seller_statements,
    statement_rows,
    statement_summary,
)
from apps.settlement.services import adjustment_add, payout_record, period_close, statement_close
from apps.store.models import Seller


def _regencies(user) -> list[tuple[str, str]]:
    codes = user_regency_codes(user)
    qs = Region.objects.filter(level=Level.REGENCY)
    if codes is not None:
        qs = qs.filter(code__in=codes)
    return [(r.code, r.name) for r in qs.order_by("code")]


def _period(value: str | None):
    return parse_period(value) or previous_month(month_start(today_wib()))


@role_required(*OFFICERS)
def period(request):
    form = ListFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    month = _period(data.get("bulan"))
    filters = ListFilters(
        search=data.get("cari", ""), status=data.get("status", ""), only_owed=data.get("terutang", False)
    )
    rows = statement_rows(user=request.user, period=month, filters=filters)
    can_act = request.user.has_role(*STAFF)
    regencies = _regencies(request.user) if can_act else []
    action_form = PeriodActionForm(initial={"bulan": f"{month:%Y-%m}"}, regencies=regencies) if regencies else None
    totals = {
        key: sum(getattr(r["summary"], key) for r in rows)
        for key in ("opening", "net", "adjustments", "payouts", "closing")
    }
    return render(
        request,
        "settlement/period.html",
        {
            "form": form,
            "month": month,
            "month_value": f"{month:%Y-%m}",
            "label": f"{month_name(month.month)} {month.year}",
            "previous": f"{previous_month(month):%Y-%m}",
            "next": f"{next_month(month):%Y-%m}" if next_month(month) <= month_start(today_wib()) else "",
            "rows": rows,
            "totals": totals,
            "action_form": action_form,
            "open_count": sum(1 for r in rows if not r["statement"].is_closed),
        },
    )


def _action(request) -> tuple[str, object]:
    form = PeriodActionForm(request.POST, regencies=_regencies(request.user))
    if not form.is_valid():
        raise Http404
    month = parse_period(form.cleaned_data["bulan"])
    if month is None:
        raise Http404
    return form.cleaned_data["wilayah"], month


@require_POST
@role_required(*STAFF)
def generate(request):
    regency, month = _action(request)
    job = job_enqueue(
        kind="settlement.generate",
        params={"regency": regency, "period": month.isoformat(), "actor_id": request.user.pk},
        actor=request.user,
    )
    return redirect("jobs:detail", pk=job.pk)


@require_POST
@role_required(*STAFF)
def close_period(request):
    regency, month = _action(request)
    try:
        closed = period_close(regency_codes=[regency], period=month, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)s laporan ditutup.") % {"n": closed})
    return redirect(reverse("settlement:period") + f"?bulan={month:%Y-%m}")


def _is_officer(user, statement) -> bool:
    codes = user_regency_codes(user)
    return user.has_role(*OFFICERS) and (codes is None or statement.regency_id in codes)


def _staff_statement(request, pk):
    statement = access_statement(request.user, pk)
    if not _is_officer(request.user, statement):
        raise Http404
    if not request.user.has_role(*STAFF):
        raise RoleRequired(STAFF)
    return statement


@login_required
def detail(request, pk):
    statement = access_statement(request.user, pk)
    summary = statement_summary(statement)
    officer = _is_officer(request.user, statement)
    can_edit = officer and request.user.has_role(*STAFF) and not statement.is_closed
    return render(
        request,
        "settlement/detail.html",
        {
            "statement": statement,
            "summary": summary,
            "period_label": period_label(statement),
            "officer": officer,
            "can_edit": can_edit,
            "adjustment_form": AdjustmentForm(initial={"date": today_wib()}) if can_edit else None,
            "adjustments": statement.adjustment_rows.all(),
            "payouts": statement.payout_rows.all(),
        },
    )


@require_POST
@role_required(*STAFF)
def adjustment(request, pk):
    statement = _staff_statement(request, pk)
    form = AdjustmentForm(request.POST)
    if form.is_valid():
        try:
            adjustment_add(
                statement=statement,
                day=form.cleaned_data["date"],
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Biaya/penyesuaian dicatat."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("settlement:detail", pk=statement.pk)


@role_required(*STAFF)
def payout(request, pk):
    statement = _staff_statement(request, pk)
    if statement.is_closed:
        messages.error(request, _("Laporan periode ini sudah ditutup; catat pembayaran di periode berikutnya."))
        return redirect("settlement:detail", pk=statement.pk)
    form = PayoutForm(request.POST or None, request.FILES or None, initial={"date": today_wib()})
    if request.method == "POST" and form.is_valid():
        try:
            payout_record(
                statement=statement,
                day=form.cleaned_data["date"],
                amount=form.cleaned_data["amount"],
                reference=form.cleaned_data["reference"],
                proof=form.cleaned_data.get("proof"),
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Pembayaran ke penjual dicatat."))
            return redirect("settlement:detail", pk=statement.pk)
    summary = statement_summary(statement)
    return render(
        request,
        "settlement/payout.html",
        {"statement": statement, "summary": summary, "form": form, "period_label": period_label(statement)},
    )


@require_POST
@role_required(*STAFF)
def close(request, pk):
    statement = _staff_statement(request, pk)
    try:
        statement_close(statement=statement, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Laporan ditutup; barisnya dibekukan."))
    return redirect("settlement:detail", pk=statement.pk)


@login_required
def statement_file(request, pk, fmt):
    statement = access_statement(request.user, pk)
    summary = statement_summary(statement)
    if fmt == "pdf":
        response = HttpResponse(statement_pdf(statement, summary), content_type="application/pdf")
    else:
        response = HttpResponse(
            statement_xlsx(statement, summary),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{file_name(statement, fmt)}"'
    return response


@login_required
def payout_proof(request, pk):
    payout = Payout.objects.filter(pk=pk).select_related("statement").first()
    if payout is None or not payout.proof:
        raise Http404
    access_statement(request.user, payout.statement_id)
    return protected_file_response(payout.proof, download_name=f"bukti-pembayaran-{payout.pk}")


@login_required
def my_statements(request):
    sellers = list(Seller.objects.filter(members__user=request.user).order_by("shop_name"))
    if not sellers:
        raise Http404
    shops = [{"seller": s, "balance": seller_balance(s), "statements": seller_statements(s)} for s in sellers]
    return render(request, "settlement/mine.html", {"shops": shops})
