"""Pages of Kredit Mawar: the owner's application on a phone, the operator's desk, the bank's desk, loan
pages with the schedule, and the borrower's own page. Access: officers by their regions, the bank only
what was recommended to it, a borrower only their own (404 for missing and not-yours alike)."""

import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.selectors import user_regency_codes
from apps.core.access import role_required
from apps.core.nik import nik_hash
from apps.core.roles import DECIDERS, OFFICERS, REGION_SCOPED, STAFF, Role
from apps.imports.parsing import normalize_header, parse_rupiah
from apps.imports.readers import FileUnreadable, open_table
from apps.pinjaman import documents, selectors, services
from apps.pinjaman.forms import (
    ApplicationForm,
    BusinessLookupForm,
    ClaimCreateForm,
    ClaimPayForm,
    DecisionForm,
    DisburseForm,
    RecommendForm,
    ReconcileForm,
    RepaymentForm,
    RestructureForm,
    WriteOffForm,
)
from apps.pinjaman.models import ApplicationStatus, Bank, Channel, RecommendationBatch, Scheme, SubsidyClaim
from apps.regions.models import Level, Region
from apps.umkm.models import Business


def _apply_error(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _open_scheme(regency_code: str | None = None) -> Scheme | None:
    qs = Scheme.objects.filter(accepts_applications=True)
    if regency_code:
        qs = qs.filter(regency_id=regency_code)
    return qs.select_related("bank").order_by("-year").first()


def _villages(regency_code: str) -> list[tuple[str, str]]:
    districts = dict(Region.objects.filter(level=Level.DISTRICT, parent_id=regency_code).values_list("code", "name"))
    return [
        (code, f"{name} – {districts.get(parent, '')}")
        for code, name, parent in Region.objects.filter(level=Level.VILLAGE, code__startswith=regency_code + ".")
        .order_by("parent_id", "name")
        .values_list("code", "name", "parent_id")
    ]


def _submit(request: Any, form: ApplicationForm, businesses: dict[int, Any], channel: str) -> Any:
    business = businesses[int(form.cleaned_data["business"])]
    if nik_hash(form.cleaned_data["nik"]) != business.owner.nik_hash:
        form.add_error("nik", _("NIK tidak cocok dengan pemilik usaha ini di registri."))
        return None
    scheme = _open_scheme(business.regency_id) or _open_scheme()
    if scheme is None:
        form.add_error(None, _("Belum ada skema yang menerima permohonan."))
        return None
    village_code = form.cleaned_data["residence_village"]
    village = Region.objects.filter(code=village_code, level=Level.VILLAGE).first() if village_code != "luar" else None
    try:
        return services.application_submit(
            scheme=scheme,
            business=business,
            amount=form.cleaned_data["amount"],
            purpose=form.cleaned_data["purpose"],
            residence_village=village,
            no_other_bank_loan=form.cleaned_data["no_other_bank_loan"],
            actor=request.user,
            channel=channel,
            applicant_user=request.user if channel == Channel.ONLINE else None,
        )
    except ValidationError as exc:
        _apply_error(form, exc)
        return None


@role_required(Role.SELLER, Role.BUYER)
def apply(request):
    """The owner applies from their registry business, on a phone."""
    businesses = {b.pk: b for b in selectors.owner_businesses(request.user)}
    if not businesses:
        return render(request, "pinjaman/apply.html", {"no_business": True})
    regency = next(iter(businesses.values())).regency_id
    form = ApplicationForm(
        request.POST or None,
        businesses=[(pk, b.name) for pk, b in businesses.items()],
        villages=_villages(regency),
    )
    if request.method == "POST" and form.is_valid():
        application = _submit(request, form, businesses, Channel.ONLINE)
        if application is not None:
            messages.success(request, _("Permohonan %(n)s terkirim.") % {"n": application.number})
            return redirect("pinjaman:application", pk=application.pk)
    return render(request, "pinjaman/apply.html", {"form": form, "scheme": _open_scheme(regency)})


@role_required(*STAFF)
def operator_apply(request):
    """An operator applies for a registry business found by its owner's NIK (typed, never in the URL)."""
    codes = user_regency_codes(request.user)
    lookup = BusinessLookupForm(request.POST if "cari" in request.POST else None)
    businesses: dict[int, Any] = {}
    nik = request.POST.get("nik", "")
    if nik:
        qs = Business.objects.filter(owner__nik_hash=nik_hash("".join(nik.split()))).select_related("owner")
        if codes is not None:
            qs = qs.filter(regency_id__in=codes)
        businesses = {b.pk: b for b in qs}
    form = None
    if businesses:
        regency = next(iter(businesses.values())).regency_id
        form = ApplicationForm(
            request.POST if "ajukan" in request.POST else None,
            businesses=[(pk, b.name) for pk, b in businesses.items()],
            villages=_villages(regency),
            initial={"nik": nik},
        )
        if "ajukan" in request.POST and form.is_valid():
            application = _submit(request, form, businesses, Channel.OPERATOR)
            if application is not None:
                messages.success(request, _("Permohonan %(n)s dicatat.") % {"n": application.number})
                return redirect("pinjaman:application", pk=application.pk)
    elif nik and lookup.is_valid():
        lookup.add_error("nik", _("Tidak ada usaha di registri wilayah Anda dengan NIK pemilik ini."))
    return render(request, "pinjaman/operator_apply.html", {"lookup": lookup, "form": form})


@role_required(*REGION_SCOPED)
def desk(request):
    """The department's and the bank's desk: what waits for them, and the portfolio's lists."""
    today = timezone.localdate()
    applications = selectors.applications_visible(request.user)
    loans = selectors.loans_visible(request.user)
    context: dict[str, Any] = {
        "today": today,
        "waiting": applications.filter(
            status=ApplicationStatus.DIREKOMENDASIKAN if request.user.role == Role.BANK else ApplicationStatus.DIAJUKAN
        )[:50],
        "approved": applications.filter(status=ApplicationStatus.DISETUJUI)[:50],
        "arrears": selectors.loans_in_arrears(loans, today)[:50],
        "falling_due": selectors.loans_falling_due(loans, today)[:50],
        "is_bank": request.user.role == Role.BANK,
        # recording an application and writing a recommendation letter are staff work (leadership reads)
        "can_record": request.user.has_role(*STAFF),
    }
    if request.user.role != Role.BANK:
        codes = user_regency_codes(request.user)
        context["kpi"] = selectors.pinjaman_kpi(
            regency_codes=sorted(codes) if codes is not None else list(loans.values_list("regency_id", flat=True)
                                                                      .distinct()),
            year=today.year,
            as_of=today,
        )  # fmt: skip
        context["unmatched"] = selectors.unmatched_loans(regency_codes=codes).count()
    return render(request, "pinjaman/desk.html", context)


@role_required(*REGION_SCOPED)
def application_list(request):
    qs = selectors.applications_visible(request.user)
    status = request.GET.get("status", "")
    if status in ApplicationStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "pinjaman/application_list.html",
        {"page": page, "status": status, "statuses": ApplicationStatus.choices},
    )


def application_detail(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    application = selectors.access_application(request.user, pk)
    is_bank = request.user.role == Role.BANK
    decision = (
        DecisionForm(prefix="d") if is_bank and application.status == ApplicationStatus.DIREKOMENDASIKAN else None
    )
    disburse = DisburseForm(prefix="c") if is_bank and application.status == ApplicationStatus.DISETUJUI else None
    if request.method == "POST" and is_bank:
        if decision is not None and "putuskan" in request.POST:
            decision = DecisionForm(request.POST, prefix="d")
            if decision.is_valid():
                data = decision.cleaned_data
                try:
                    services.application_decide(
                        application=application,
                        actor=request.user,
                        slik_result=data["slik_result"],
                        approve=data["decision"] == "setuju",
                        approved_amount=data["approved_amount"],
                        reason=data["reason"],
                    )
                    messages.success(request, _("Keputusan dicatat."))
                    return redirect("pinjaman:application", pk=pk)
                except ValidationError as exc:
                    _apply_error(decision, exc)
        elif disburse is not None and "cairkan" in request.POST:
            disburse = DisburseForm(request.POST, prefix="c")
            if disburse.is_valid():
                try:
                    loan = services.application_disburse(
                        application=application,
                        actor=request.user,
                        account_number=disburse.cleaned_data["account_number"],
                        disbursed_on=disburse.cleaned_data["disbursed_on"],
                    )
                    messages.success(request, _("Pinjaman dicairkan."))
                    return redirect("pinjaman:loan", pk=loan.pk)
                except ValidationError as exc:
                    _apply_error(disburse, exc)
    return render(
        request,
        "pinjaman/application_detail.html",
        {"a": application, "decision": decision, "disburse": disburse, "is_officer": request.user.has_role(*OFFICERS)},
    )


@role_required(*STAFF)
def recommend(request):
    """Pick applications that passed the hard checks and recommend them to the bank in one letter."""
    candidates = [
        a
        for a in selectors.applications_visible(request.user).filter(status=ApplicationStatus.DIAJUKAN)
        if not a.hard_failures
    ]
    choices = [(str(a.pk), f"{a.number} · {a.owner.name} · {a.business.name}") for a in candidates]
    form = RecommendForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        chosen = [a for a in candidates if str(a.pk) in form.cleaned_data["applications"]]
        try:
            batch = services.batch_recommend(
                applications=chosen, letter_date=form.cleaned_data["letter_date"], actor=request.user
            )
            messages.success(request, _("Surat rekomendasi %(n)s dibuat.") % {"n": batch.number})
            return redirect("pinjaman:batches")
        except ValidationError as exc:
            _apply_error(form, exc)
    return render(request, "pinjaman/recommend.html", {"form": form, "candidates": candidates})


def _batches_visible(user: Any) -> Any:
    qs = RecommendationBatch.objects.select_related("bank").order_by("-letter_date", "-pk")
    if user.role == Role.BANK:
        bank = selectors.officer_bank(user)
        return qs.filter(bank=bank) if bank is not None else qs.none()
    codes = user_regency_codes(user)
    return qs if codes is None else qs.filter(regency_id__in=codes)


@role_required(*REGION_SCOPED)
def batches(request):
    page = Paginator(_batches_visible(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "pinjaman/batches.html", {"page": page})


@role_required(*REGION_SCOPED)
def batch_letter(request, pk):
    batch = _batches_visible(request.user).filter(pk=pk).first()
    if batch is None:
        raise Http404
    data = documents.recommendation_letter_pdf(batch)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="rekomendasi-{batch.pk}.pdf"'
    return response


@role_required(*REGION_SCOPED)
def loan_list(request):
    qs = selectors.loans_visible(request.user).order_by("-disbursed_on", "account_number")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(account_number__icontains=q) | Q(debtor_name__icontains=q) | Q(business_name__icontains=q))
    if request.GET.get("daftar") == "belum_cocok" and request.user.role != Role.BANK:
        qs = qs.filter(owner__isnull=True)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "pinjaman/loan_list.html", {"page": page, "q": q, "daftar": request.GET.get("daftar", "")})


def _loan_context(request: Any, loan: Any, on: date) -> dict[str, Any]:
    positions = selectors.loan_positions(type(loan).objects.filter(pk=loan.pk), on)
    return {
        "loan": loan,
        "today": on,
        "rows": selectors.loan_schedule_rows(loan, on),
        "position": positions[0] if positions else None,
        "repayments": loan.repayments.order_by("paid_on", "transaction_number"),
        "restructurings": loan.restructurings.all(),
    }


def loan_detail(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    loan = selectors.access_loan(request.user, pk)
    today = timezone.localdate()
    is_bank = request.user.role == Role.BANK
    can_write_off = request.user.has_role(*DECIDERS) or is_bank
    forms = {
        "pay": RepaymentForm(prefix="p") if is_bank else None,
        "write_off": WriteOffForm(prefix="w") if can_write_off and loan.written_off_on is None else None,
        "restructure": RestructureForm(prefix="r") if is_bank and loan.written_off_on is None else None,
    }
    if request.method == "POST":
        action = request.POST.get("aksi")
        try:
            if action == "bayar" and forms["pay"] is not None:
                forms["pay"] = form = RepaymentForm(request.POST, prefix="p")
                if form.is_valid():
                    services.repayment_record(loan=loan, actor=request.user, **form.cleaned_data)
                    messages.success(request, _("Pembayaran dicatat."))
                    return redirect("pinjaman:loan", pk=pk)
            elif action == "hapus_buku" and forms["write_off"] is not None:
                forms["write_off"] = form = WriteOffForm(request.POST, prefix="w")
                if form.is_valid():
                    services.loan_write_off(loan=loan, actor=request.user, **form.cleaned_data)
                    messages.success(request, _("Pinjaman dihapus buku."))
                    return redirect("pinjaman:loan", pk=pk)
            elif action == "restrukturisasi" and forms["restructure"] is not None:
                forms["restructure"] = form = RestructureForm(request.POST, prefix="r")
                if form.is_valid():
                    services.loan_restructure(loan=loan, actor=request.user, **form.cleaned_data)
                    messages.success(request, _("Jadwal baru berlaku."))
                    return redirect("pinjaman:loan", pk=pk)
            elif action == "cocokkan" and request.user.has_role(*STAFF):
                services.loan_match(loan=loan, actor=request.user)
                messages.success(request, _("Debitur dicocokkan dengan registri UMKM."))
                return redirect("pinjaman:loan", pk=pk)
        except ValidationError as exc:
            if action == "cocokkan":
                messages.error(request, " ".join(exc.messages))
            else:
                _apply_error(form, exc)
    context = _loan_context(request, loan, today)
    context.update(forms=forms, is_officer=request.user.has_role(*STAFF), is_bank=is_bank)
    return render(request, "pinjaman/loan_detail.html", context)


def loan_schedule_pdf(request, pk):
    if not request.user.is_authenticated:
        raise Http404
    loan = selectors.access_loan(request.user, pk)
    today = timezone.localdate()
    data = documents.schedule_pdf(loan, selectors.loan_schedule_rows(loan, today), today)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="jadwal-{loan.pk}.pdf"'
    return response


@role_required(Role.SELLER, Role.BUYER)
def my_loans(request):
    """The borrower's page: applications with their checks and status, loans with their schedule,
    notices, and the repeat-loan offer when the scheme's rule allows it."""
    today = timezone.localdate()
    applications = selectors.applications_visible(request.user)
    loans = list(selectors.loans_visible(request.user))
    return render(
        request,
        "pinjaman/my_loans.html",
        {
            "applications": applications,
            "loans": [(loan, selectors.loan_schedule_rows(loan, today)) for loan in loans],
            "notices": request.user.loan_notices.all()[:20],
            "repeat_offer": selectors.repeat_loan_offer(request.user, today),
            "has_business": bool(selectors.owner_businesses(request.user)),
            "today": today,
        },
    )


# --- interest-subsidy claims ----------------------------------------------------------------------


def _claims_visible(user: Any) -> Any:
    qs = SubsidyClaim.objects.select_related("bank")
    if user.role == Role.BANK:
        bank = selectors.officer_bank(user)
        return qs.filter(bank=bank) if bank is not None else qs.none()
    codes = user_regency_codes(user)
    return qs if codes is None else qs.filter(regency_id__in=codes)


def _access_claim(user: Any, pk: int) -> Any:
    claim = _claims_visible(user).filter(pk=pk).first()
    if claim is None:
        raise Http404
    return claim


@role_required(*REGION_SCOPED)
def claim_list(request):

    codes = user_regency_codes(request.user)
    banks = Bank.objects.all() if codes is None else Bank.objects.filter(regency_id__in=codes)
    form = None
    if request.user.has_role(*STAFF):
        today = timezone.localdate()
        previous = date(today.year, today.month, 1) - timedelta(days=1)
        form = ClaimCreateForm(
            request.POST or None,
            banks=[(b.pk, b.name) for b in banks],
            initial={"year": previous.year, "month": previous.month},
        )
        if request.method == "POST" and form.is_valid():
            try:
                claim = services.claim_create(
                    bank=banks.get(pk=form.cleaned_data["bank"]),
                    year=form.cleaned_data["year"],
                    month=form.cleaned_data["month"],
                    actor=request.user,
                )
                return redirect("pinjaman:claim", pk=claim.pk)
            except ValidationError as exc:
                _apply_error(form, exc)
    page = Paginator(_claims_visible(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "pinjaman/claim_list.html", {"page": page, "form": form})


def _read_bank_figures(upload: Any) -> tuple[dict[str, int], list[str]]:
    """Account → amount from the bank's file, and the problems found (row and column, in Indonesian)."""

    suffix = Path(upload.name).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        return {}, [_("Berkas harus CSV atau XLSX.")]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"bank{suffix}"
        with path.open("wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        try:
            table = open_table(path)
        except FileUnreadable as exc:
            return {}, [str(exc)]
        try:
            header = [normalize_header(h) for h in table.header]
            account_col = next((i for i, h in enumerate(header) if h in ("nomor_rekening", "no rekening")), None)
            amount_col = next((i for i, h in enumerate(header) if h in ("jumlah", "subsidi", "subsidi_bunga")), None)
            if account_col is None or amount_col is None:
                return {}, [_("Kolom wajib tidak ditemukan: nomor_rekening, jumlah.")]
            figures: dict[str, int] = {}
            problems: list[str] = []
            for row_number, cells in table.rows:
                if not any(cells):
                    continue
                account = " ".join((cells[account_col] if account_col < len(cells) else "").split())
                text = cells[amount_col] if amount_col < len(cells) else ""
                try:
                    amount = parse_rupiah(text)
                except ValueError as exc:
                    problems.append(_("Baris %(r)s kolom jumlah: %(e)s") % {"r": row_number, "e": exc})
                    continue
                if not account:
                    problems.append(_("Baris %(r)s kolom nomor_rekening: wajib diisi") % {"r": row_number})
                    continue
                figures[account] = figures.get(account, 0) + amount
        finally:
            table.close()
    return figures, problems


def claim_detail(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_role(*REGION_SCOPED):
        raise Http404

    claim = _access_claim(request.user, pk)
    reconcile = ReconcileForm() if claim.status == "draf" and request.user.has_role(Role.BANK, *STAFF) else None
    pay = ClaimPayForm() if claim.status == "disetujui" and request.user.has_role(*STAFF) else None
    problems: list[str] = []
    if request.method == "POST":
        action = request.POST.get("aksi")
        try:
            if action == "cocokkan" and reconcile is not None:
                reconcile = ReconcileForm(request.POST, request.FILES)
                if reconcile.is_valid():
                    figures, problems = _read_bank_figures(reconcile.cleaned_data["file"])
                    if not problems:
                        unknown = services.claim_reconcile(
                            claim=claim, figures=figures, file_name=reconcile.cleaned_data["file"].name,
                            actor=request.user,
                        )  # fmt: skip
                        if unknown:
                            messages.warning(
                                request,
                                _("Rekening tidak dikenal di berkas bank: %(a)s") % {"a": ", ".join(unknown[:20])},
                            )
                        return redirect("pinjaman:claim", pk=pk)
            elif action == "hitung" and request.user.has_role(*STAFF):
                services.claim_compute(claim=claim, actor=request.user)
                return redirect("pinjaman:claim", pk=pk)
            elif action == "verifikasi" and request.user.has_role(Role.OPERATOR, Role.ADMIN):
                services.claim_verify(claim=claim, actor=request.user)
                return redirect("pinjaman:claim", pk=pk)
            elif action == "setujui" and request.user.has_role(*DECIDERS):
                services.claim_approve(claim=claim, actor=request.user)
                return redirect("pinjaman:claim", pk=pk)
            elif action == "bayar" and pay is not None:
                pay = ClaimPayForm(request.POST)
                if pay.is_valid():
                    services.claim_pay(
                        claim=claim, paid_on=pay.cleaned_data["paid_on"], reference=pay.cleaned_data["reference"],
                        actor=request.user,
                    )  # fmt: skip
                    return redirect("pinjaman:claim", pk=pk)
        except ValidationError as exc:
            problems = exc.messages
    lines = documents.ordered_lines(claim)
    differences = [line for line in lines if line.difference]
    return render(
        request,
        "pinjaman/claim_detail.html",
        {
            "claim": claim,
            "lines": lines,
            "differences": differences,
            "recomputing": claim.status == "draf" and selectors.subsidy_days_pending(bank=claim.bank),
            "reconcile": reconcile,
            "pay": pay,
            "problems": problems,
            "can_compute": claim.status == "draf" and request.user.has_role(*STAFF),
            "can_verify": claim.status == "draf" and request.user.has_role(Role.OPERATOR, Role.ADMIN),
            "can_approve": claim.status == "diverifikasi" and request.user.has_role(*DECIDERS),
        },
    )


@role_required(*REGION_SCOPED)
def claim_letter(request, pk):
    claim = _access_claim(request.user, pk)
    response = HttpResponse(documents.claim_letter_pdf(claim), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tagihan-subsidi-{claim.pk}.pdf"'
    return response


@role_required(*REGION_SCOPED)
def claim_xlsx(request, pk):
    claim = _access_claim(request.user, pk)
    response = HttpResponse(
        documents.claim_lines_xlsx(claim),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="tagihan-subsidi-{claim.pk}.xlsx"'
    return response
