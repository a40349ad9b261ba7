"""Pages of the Koperasi Award: categories with eligibility and the reason for every excluded
cooperative, nominations, the judges' scoring page with recusal, the ranking and the whole calculation
of any entry, the panel's decision, approval by the department head, charters, the public winners page."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.models import User
from apps.core.access import role_required
from apps.core.roles import DECIDERS, OFFICERS, STAFF, Role
from apps.koperasi.models import Jenis
from apps.pengembangan.certificates import award_certificate_pdf
from apps.pengembangan.forms import AwardScoreForm, CategoryForm, NominationForm, PanelForm, RecusalForm
from apps.pengembangan.models import CategoryStatus, Recusal, TieBreak
from apps.pengembangan.selectors import award as sel
from apps.pengembangan.services import award as svc
from apps.pengembangan.views.ujikom import _regency_choices


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@role_required(*OFFICERS, Role.JUDGE)
def award_list(request):
    return render(
        request,
        "pengembangan/award_list.html",
        {"categories": sel.category_list(user=request.user), "can_create": request.user.has_role(*STAFF)},
    )


@role_required(*STAFF)
def category_create(request):

    judge_users = User.objects.filter(role=Role.JUDGE, is_active=True).order_by("first_name", "username")
    form = CategoryForm(
        request.POST or None,
        regencies=_regency_choices(request.user),
        jenis=Jenis.choices,
        judges=[(str(u.pk), u.get_full_name() or u.username) for u in judge_users],
        initial={"tahun": timezone.localdate().year, "tanggal_aktif": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            category = svc.category_create(
                tahun=d["tahun"],
                regency_code=d["regency"],
                nama=d["nama"],
                jenis=list(d["jenis"]),
                tanggal_aktif=d["tanggal_aktif"],
                syarat_sehat=d["syarat_sehat"],
                tahun_rat=d["tahun_rat"],
                metode=d["metode"],
                bobot_objektif=d["bobot_objektif"],
                tie_breaks=form.tie_breaks(),
                jumlah_pemenang=d["jumlah_pemenang"],
                kriteria=d["kriteria"],
                judges=list(judge_users.filter(pk__in=d["juri"])),
                actor=request.user,
            )
        except ValidationError as exc:
            for field, errs in exc.message_dict.items():
                for e in errs:
                    form.add_error(field if field in form.fields else None, e)
        else:
            messages.success(request, _("Kategori dibuat."))
            return redirect("pengembangan:award_category", category.pk)
    return render(
        request,
        "pengembangan/form.html",
        {"form": form, "title": _("Kategori Koperasi Award baru"), "submit": _("Buat kategori")},
    )


@role_required(*OFFICERS, Role.JUDGE)
def category_detail(request, pk):
    category = sel.access_category(request.user, pk)
    user = request.user
    is_staff = user.has_role(*STAFF)
    judge = sel.judge_of(user, category)
    rows = sel.eligibility(category) if user.role != Role.JUDGE or user.is_superuser else []
    nominated = {n.koperasi_id for n in category.nominations.all()}
    nominate_form = None
    if is_staff and category.status == CategoryStatus.PERSIAPAN:
        choices = [(str(r.koperasi.pk), r.koperasi.nama) for r in rows if r.eligible and r.koperasi.pk not in nominated]
        nominate_form = NominationForm(request.POST or None, choices=choices)
        if request.method == "POST" and nominate_form.is_valid():
            koperasi = next(r.koperasi for r in rows if str(r.koperasi.pk) == nominate_form.cleaned_data["koperasi"])
            try:
                svc.nomination_create(
                    category=category, koperasi=koperasi, alasan=nominate_form.cleaned_data["alasan"], actor=user
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("%(k)s dinominasikan.") % {"k": koperasi.nama})
                return redirect("pengembangan:award_category", category.pk)
    nominations = list(sel.nominations_of(category))
    my_status = {}
    if judge is not None:
        scored = set(judge.scores.values_list("nomination_id", flat=True).distinct())
        recused = set(Recusal.objects.filter(judge=judge).values_list("nomination_id", flat=True))
        for n in nominations:
            my_status[n.pk] = "mundur" if n.pk in recused else ("dinilai" if n.pk in scored else "belum")
    show_results = user.has_role(*OFFICERS) and category.status != CategoryStatus.PERSIAPAN
    calc = sel.calculation(category) if show_results else None
    return render(
        request,
        "pengembangan/award_category.html",
        {
            "category": category,
            "criteria": category.criteria.order_by("nomor"),
            "judges": sel.judges_of(category),
            "eligible": [r for r in rows if r.eligible],
            "excluded": [r for r in rows if not r.eligible],
            "nominated": nominated,
            "nominations": nominations,
            "nominate_form": nominate_form,
            "is_staff": is_staff,
            "can_approve": user.has_role(*DECIDERS) and category.status == CategoryStatus.PENJURIAN,
            "judge": judge,
            "my_status": my_status,
            "calc": calc,
            "missing": sel.missing_scores(category) if show_results and not category.frozen else [],
            "tie_labels": dict(TieBreak.choices),
            "panel_form": PanelForm(),
        },
    )


@require_POST
@role_required(*STAFF)
def category_start(request, pk):
    category = sel.access_category(request.user, pk)
    try:
        svc.category_start_judging(category=category, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Penjurian dimulai; nominasi ditutup."))
    return redirect("pengembangan:award_category", category.pk)


@require_POST
@role_required(*DECIDERS)
def category_approve(request, pk):
    category = sel.access_category(request.user, pk)
    try:
        svc.category_approve(category=category, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Hasil disetujui dan dibekukan."))
    return redirect("pengembangan:award_category", category.pk)


@role_required(Role.JUDGE, *STAFF)
def nomination_score(request, pk):
    nomination = sel.access_nomination(request.user, pk)
    category = nomination.category
    judge = sel.judge_of(request.user, category)
    if judge is None:
        raise Http404
    recused = Recusal.objects.filter(judge=judge, nomination=nomination).first()
    criteria = list(category.criteria.order_by("nomor"))
    aksi = request.POST.get("aksi")
    form = AwardScoreForm(
        request.POST if aksi == "nilai" else None, criteria=criteria, initial_scores=sel.scores_of(nomination, judge)
    )
    recusal_form = RecusalForm(request.POST if aksi == "mundur" else None)
    if request.method == "POST":
        try:
            if aksi == "nilai" and form.is_valid():
                svc.award_scores_save(nomination=nomination, values=form.values(), actor=request.user)
                messages.success(request, _("Nilai untuk %(k)s disimpan.") % {"k": nomination.koperasi.nama})
                return redirect("pengembangan:award_category", category.pk)
            if aksi == "mundur" and recusal_form.is_valid():
                svc.judge_recuse(nomination=nomination, alasan=recusal_form.cleaned_data["alasan"], actor=request.user)
                messages.success(
                    request, _("Anda mengundurkan diri dari penilaian %(k)s.") % {"k": nomination.koperasi.nama}
                )
                return redirect("pengembangan:award_category", category.pk)
        except ValidationError as exc:
            _errors(request, exc)
    return render(
        request,
        "pengembangan/award_score.html",
        {
            "nomination": nomination,
            "category": category,
            "form": form,
            "recusal_form": recusal_form,
            "recused": recused,
            "editable": category.status == CategoryStatus.PENJURIAN and recused is None,
        },
    )


@role_required(*OFFICERS)
def entry_calculation(request, pk):
    """The whole calculation of one entry, line by line: raw → normalised → weighted → rank."""
    nomination = sel.access_nomination(request.user, pk)
    category = nomination.category
    calc = sel.calculation(category)
    entry = next((e for e in calc["entri"] if e["id"] == nomination.pk), None)
    if entry is None:
        raise Http404
    judges = {j["id"]: j for j in calc["juri"]}
    for line in entry["juri"]:
        line["stat"] = judges.get(line["juri_id"])
    return render(
        request,
        "pengembangan/award_entry.html",
        {
            "nomination": nomination,
            "category": category,
            "calc": calc,
            "entry": entry,
            "tie_labels": dict(TieBreak.choices),
            "bobot_juri": Decimal(100) - Decimal(calc["bobot_objektif"]),
        },
    )


@require_POST
@role_required(*STAFF)
def panel_decision(request, pk):
    nomination = sel.access_nomination(request.user, pk)
    form = PanelForm(request.POST)
    if form.is_valid():
        try:
            svc.panel_decision_record(
                nomination=nomination,
                urutan_panel=form.cleaned_data["urutan_panel"],
                catatan=form.cleaned_data["catatan_panel"],
                actor=request.user,
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Keputusan panel dicatat."))
    else:
        messages.error(request, _("Isi urutan dan catatan keputusan panel."))
    return redirect("pengembangan:award_category", nomination.category_id)


@role_required(*OFFICERS)
def award_certificate(request, pk):
    nomination = sel.access_nomination(request.user, pk)
    if not nomination.kode_verifikasi:
        raise Http404
    url = request.build_absolute_uri(reverse("pengembangan:verifikasi_piagam", args=[nomination.kode_verifikasi]))
    response = HttpResponse(award_certificate_pdf(nomination, url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="piagam-{nomination.kode_verifikasi}.pdf"'
    return response


def winners(request, tahun=None):
    """Public: the approved winners of a year (no login)."""
    years = sel.award_years()
    if tahun is None:
        tahun = years[0] if years else timezone.localdate().year
    return render(
        request,
        "pengembangan/award_winners.html",
        {"tahun": tahun, "years": years, "categories": sel.winners(tahun=tahun)},
    )


def verifikasi_piagam(request, code):
    nomination = sel.nomination_by_code(code)
    return render(
        request,
        "pengembangan/award_verifikasi.html",
        {"nomination": nomination, "code": code},
        status=200 if nomination else 404,
    )
