"""Pages of the packaging aid: the call's criteria, reviewers and ranking, the head's selection, the
delivery with its BAST, the owner's application on a phone, reviewers' scoring, and the photos."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.models import User
from apps.accounts.selectors import user_regency_codes
from apps.core.access import role_required
from apps.core.forms import error_text, id_param
from apps.core.roles import DECIDERS, OFFICERS, STAFF, Role
from apps.core.uploads import protected_file_response
from apps.program import documents, packaging, selectors
from apps.program.forms import ApplicationForm, CriteriaForm, DeliveryForm
from apps.program.models import Application, ApplicationPhoto, Kind, Review, Status
from apps.program.services import registration_open
from apps.regions.selectors import scope_queryset


def _packaging_programme(request: Any, pk: int) -> Any:
    programme = selectors.access_programme(request.user, pk)
    if programme.kind != Kind.PACKAGING:
        raise Http404
    return programme


def _officers_for(programme: Any) -> list[Any]:
    officers = User.objects.filter(role__in=(Role.OPERATOR, Role.HEAD), is_active=True).order_by("username")
    return [
        u
        for u in officers.prefetch_related("region_assignments")
        if (codes := user_regency_codes(u)) is None or programme.regency_id in codes
    ]


def packaging_context(request: Any, programme: Any) -> dict[str, Any]:
    """The packaging part of the activity page (included by views.programme_detail)."""
    rows = packaging.ranking(programme)
    suggestion = set(packaging.selection_suggestion(programme, rows))
    decided = any(r.application.participant.status != Status.REGISTERED for r in rows)
    for r in rows:
        r.suggested = r.application.pk in suggestion
        r.selected = r.application.participant.status in (Status.ACCEPTED, Status.DELIVERED)
        r.reviewer_names = [
            (rv.reviewer.get_full_name() or rv.reviewer.username, rv.recused, rv.submitted_at is not None)
            for rv in r.application.reviews.all()
        ]
    criteria = list(programme.criteria.all())
    return {
        "ranking": rows,
        "criteria": criteria,
        "criteria_form": CriteriaForm(initial={"rows": "\n".join(f"{c.name}; {c.weight}" for c in criteria)})
        if criteria
        else CriteriaForm(),
        "officers": _officers_for(programme),
        "can_decide": request.user.has_role(*DECIDERS),
        "decided": decided,
        "tie_break_labels": programme.tie_breaks,
    }


@require_POST
@role_required(*STAFF)
def criteria(request, pk):
    programme = _packaging_programme(request, pk)
    form = CriteriaForm(request.POST)
    if form.is_valid():
        try:
            packaging.criteria_set(programme=programme, rows=form.cleaned_data["rows"], actor=request.user)
            messages.success(request, _("Kriteria disimpan."))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
    else:
        messages.error(request, " ".join(form.errors.get("rows", [])))
    return redirect("program:detail", programme.pk)


def _application(request: Any, pk: int) -> Application:
    application = (
        Application.objects.select_related("participant__programme", "participant__business").filter(pk=pk).first()
    )
    if application is None:
        raise Http404
    selectors.access_programme(request.user, application.participant.programme_id)
    return application


@require_POST
@role_required(*STAFF)
def assign(request, pk):
    application = _application(request, pk)
    reviewer = User.objects.filter(pk=request.POST.get("reviewer") or 0).first()
    if reviewer is None:
        messages.error(request, _("Pilih penilai."))
    else:
        try:
            packaging.reviewer_assign(application=application, reviewer=reviewer, actor=request.user)
            messages.success(request, _("Penilai ditugaskan."))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
    return redirect("program:detail", application.participant.programme_id)


@require_POST
@role_required(*DECIDERS)
def select(request, pk):
    programme = _packaging_programme(request, pk)
    ids = [i for i in map(id_param, request.POST.getlist("usulan")) if i]
    try:
        counts = packaging.selection_decide(programme=programme, application_ids=ids, actor=request.user)
        messages.success(
            request,
            _("Seleksi disimpan: %(d)s diterima, %(t)s ditolak.") % {"d": counts["diterima"], "t": counts["ditolak"]},
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("program:detail", programme.pk)


@role_required(*STAFF)
def delivery(request, pk):
    application = _application(request, pk)
    products = (
        list(application.participant.business.seller.products.all())
        if hasattr(application.participant.business, "seller")
        else []
    )
    form = DeliveryForm(request.POST or None, request.FILES or None, products=products)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            packaging.delivery_record(
                application=application,
                design_approved_on=data["design_approved_on"],
                quantity=data["quantity"],
                vendor=data["vendor"],
                unit_cost=data["unit_cost"],
                handover_date=data["handover_date"],
                product=data["product"],
                photos=data["photos"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("Serah terima dicatat. BAST siap diunduh."))
            return redirect("program:detail", application.participant.programme_id)
    return render(request, "program/delivery_form.html", {"form": form, "application": application})


@role_required(*OFFICERS)
def bast(request, pk):
    application = _application(request, pk)
    delivery = getattr(application, "delivery", None)
    if delivery is None:
        raise Http404
    pdf = documents.bast_pdf(delivery, regency_name=application.participant.programme.regency.name)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bast-{delivery.pk}.pdf"'
    return response


# -- reviewers ----------------------------------------------------------------------------------------
@role_required(*STAFF)
def my_reviews(request):
    reviews = (
        Review.objects.filter(reviewer=request.user)
        .select_related("application__participant__programme", "application__participant__business")
        .order_by("submitted_at", "-assigned_at")
    )
    return render(request, "program/my_reviews.html", {"reviews": reviews})


@role_required(*STAFF)
def review(request, pk):
    review = (
        Review.objects.select_related("application__participant__programme", "application__participant__business")
        .filter(pk=pk, reviewer=request.user)
        .first()
    )
    if review is None:
        raise Http404
    programme = review.application.participant.programme
    criteria = list(programme.criteria.all())
    current = {s.criterion_id: s.score for s in review.scores.all()}
    if request.method == "POST":
        try:
            if request.POST.get("mundur"):
                packaging.review_recuse(review=review, reason=request.POST.get("alasan", ""), actor=request.user)
                messages.success(request, _("Anda mengundurkan diri dari usulan ini."))
            else:
                scores = {}
                for c in criteria:
                    raw = request.POST.get(f"k{c.pk}", "")
                    scores[c.pk] = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 6 else -1
                packaging.review_submit(review=review, scores=scores, actor=request.user)
                messages.success(request, _("Penilaian disimpan."))
            return redirect("program:my_reviews")
        except ValidationError as exc:
            messages.error(request, error_text(exc))
    for c in criteria:
        c.current = current.get(c.pk)
    return render(
        request,
        "program/review.html",
        {"review": review, "application": review.application, "criteria": criteria, "range": range(6)},
    )


# -- owner --------------------------------------------------------------------------------------------
@role_required(Role.SELLER)
def my_packaging(request):
    businesses = selectors.owner_businesses(request.user)
    mine = list(
        Application.objects.filter(participant__business__in=businesses)
        .select_related("participant__programme", "participant__business")
        .order_by("-submitted_at")
    )
    taken = {(a.participant.programme_id, a.participant.business_id) for a in mine if a.participant.status != "batal"}
    calls = []
    for programme in selectors.open_calls(businesses=businesses, kind=Kind.PACKAGING):
        programme.choices = [
            b for b in businesses if (programme.pk, b.pk) not in taken and b.regency_id == programme.regency_id
        ]
        if programme.choices:
            calls.append(programme)
    return render(request, "program/my_packaging.html", {"mine": mine, "calls": calls})


@role_required(Role.SELLER)
def my_apply(request, pk):
    businesses = selectors.owner_businesses(request.user)
    programme = selectors.open_calls(businesses=businesses, kind=Kind.PACKAGING).filter(pk=pk).first()
    if programme is None or not registration_open(programme):
        raise Http404
    business = next((b for b in businesses if b.regency_id == programme.regency_id), None)
    if business is None:
        raise Http404
    products = list(business.seller.products.all()) if hasattr(business, "seller") else []
    form = ApplicationForm(request.POST or None, request.FILES or None, products=products)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            packaging.application_submit(
                programme=programme,
                business=business,
                product=data["product"],
                product_name=data["product_name"],
                need=data["need"],
                quantity=data["quantity"],
                estimated_cost=data["estimated_cost"],
                photos=data["photos"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("Usulan terkirim. Hasil seleksi diumumkan setelah batas waktu."))
            return redirect("program:my_packaging")
    return render(request, "program/apply.html", {"form": form, "programme": programme, "business": business})


# -- photos -------------------------------------------------------------------------------------------
def photo(request, pk):
    """A packaging photo: public once its delivery is linked to a listed store product (the product page
    shows before and after); otherwise only for the owner and the officers of the activity's regency."""
    item = ApplicationPhoto.objects.select_related("application__participant__programme").filter(pk=pk).first()
    if item is None:
        raise Http404
    participant = item.application.participant
    delivery = getattr(item.application, "delivery", None)
    public = delivery is not None and delivery.product is not None and delivery.product.listed
    allowed = public
    user = request.user
    if not allowed and user.is_authenticated:
        if user.is_officer:
            allowed = scope_queryset(
                type(participant.programme).objects.filter(pk=participant.programme_id), user
            ).exists()
        else:
            allowed = participant.business_id in {b.pk for b in selectors.owner_businesses(user)}
    if not allowed:
        raise Http404
    response = protected_file_response(item.image, download_name=f"kemasan-{item.pk}")
    if public:  # on a listed product's public page: the same bytes for everyone
        response["Cache-Control"] = "public, max-age=86400"
    return response
