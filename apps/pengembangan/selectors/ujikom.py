"""Reads of the competency tests: access (404 for missing and not-yours), lists, certified managers,
renewals due, coverage per kecamatan and kind, the KPI figures and the records behind them."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from apps.accounts.selectors import user_regency_codes
from apps.core.roles import STAFF, Role
from apps.koperasi.models import Jenis, Koperasi
from apps.koperasi.selectors import access_koperasi as koperasi_access
from apps.koperasi.selectors import koperasi_of_officer, registered_on, with_status
from apps.pengembangan.models import (
    Certificate,
    Manager,
    Participant,
    ParticipantStatus,
    Result,
    Scheme,
    Session,
    SessionAssessor,
)


def _regency_codes(user: Any) -> set[str] | None:
    return user_regency_codes(user)


def officer_koperasi(user: Any) -> list[Any]:
    """The cooperatives a cooperative officer reports for (apps.koperasi's memberships)."""
    return koperasi_of_officer(user)


def access_koperasi(user: Any, pk: int) -> Any:
    return koperasi_access(user, pk)


def session_list(*, user: Any) -> QuerySet[Session]:
    qs = Session.objects.select_related("scheme", "regency").annotate(
        terisi=Count("participants", filter=~Q(participants__status=ParticipantStatus.BATAL))
    )
    if getattr(user, "role", "") == Role.ASSESSOR and not user.is_superuser:
        return qs.filter(assessors__user=user).order_by("-tanggal", "pk")
    if getattr(user, "role", "") == Role.COOP_OFFICER and not user.is_superuser:
        regencies = {k.regency_id for k in officer_koperasi(user)}
        return qs.filter(regency_id__in=regencies).order_by("-tanggal", "pk")
    codes = _regency_codes(user)
    if codes is not None:
        qs = qs.filter(regency_id__in=codes)
    return qs.order_by("-tanggal", "pk")


def access_session(user: Any, pk: int) -> Session:
    if not getattr(user, "is_authenticated", False):
        raise Http404
    session = session_list(user=user).filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


def is_assessor(user: Any, session: Session) -> bool:
    if user.has_role(*STAFF):
        return True
    return user.role == Role.ASSESSOR and SessionAssessor.objects.filter(session=session, user=user).exists()


def participants_of(session: Session, *, user: Any = None) -> QuerySet[Participant]:
    qs = session.participants.select_related("manager__koperasi", "result__certificate").order_by(
        "manager__koperasi__nama", "manager__nama", "pk"
    )
    if user is not None and user.role == Role.COOP_OFFICER and not user.is_superuser:
        qs = qs.filter(manager__koperasi__in=[k.pk for k in officer_koperasi(user)])
    return qs


def access_participant(user: Any, pk: int) -> Participant:
    p = Participant.objects.select_related("session__scheme", "manager__koperasi").filter(pk=pk).first()
    if p is None:
        raise Http404
    access_session(user, p.session_id)
    if user.role == Role.COOP_OFFICER and not user.is_superuser:
        access_koperasi(user, p.manager.koperasi_id)
    return p


def access_manager(user: Any, pk: int) -> Manager:
    m = Manager.objects.select_related("koperasi").filter(pk=pk).first()
    if m is None:
        raise Http404
    access_koperasi(user, m.koperasi_id)
    return m


def access_result(user: Any, pk: int) -> Result:
    r = Result.objects.select_related("manager__koperasi", "participant__session", "certificate").filter(pk=pk).first()
    if r is None:
        raise Http404
    if getattr(user, "role", "") == Role.ASSESSOR and not user.is_superuser:
        if r.participant is None:
            raise Http404
        access_session(user, r.participant.session_id)
        return r
    access_koperasi(user, r.manager.koperasi_id)
    return r


def managers_of_koperasi(koperasi: Any) -> QuerySet[Manager]:
    return Manager.objects.filter(koperasi=koperasi).order_by("nama", "pk")


def schemes_for_new_sessions() -> QuerySet[Scheme]:
    return Scheme.objects.filter(aktif=True).order_by("nama")


def open_sessions_for(koperasi: Any) -> QuerySet[Session]:
    return (
        Session.objects.filter(regency_id=koperasi.regency_id, status="dibuka")
        .annotate(terisi=Count("participants", filter=~Q(participants__status=ParticipantStatus.BATAL)))
        .select_related("scheme")
        .order_by("tanggal", "pk")
    )


def certificate_by_code(code: str) -> Certificate | None:
    code = (code or "").strip().upper()
    if not code or len(code) > 32:
        return None
    return (
        Certificate.objects.select_related("result__manager__koperasi", "result__participant__session__scheme")
        .filter(kode_verifikasi=code)
        .first()
    )


# ---------------------------------------------------------------- certified managers and renewals


def _newer_kompeten() -> Exists:
    return Exists(
        Result.objects.filter(manager=OuterRef("manager"), kompeten=True, tanggal_uji__gt=OuterRef("tanggal_uji"))
    )


def latest_kompeten(qs: QuerySet[Result] | None = None) -> QuerySet[Result]:
    """Each manager's latest kompeten result (the one whose validity counts)."""
    qs = qs if qs is not None else Result.objects.all()
    return qs.filter(kompeten=True).annotate(ada_yang_lebih_baru=_newer_kompeten()).filter(ada_yang_lebih_baru=False)


def certified_managers(koperasi: Any) -> list[Result]:
    """The cooperative's managers with their latest kompeten result (valid or expired)."""
    return list(
        latest_kompeten(Result.objects.filter(manager__koperasi=koperasi))
        .select_related("manager", "certificate")
        .order_by("berlaku_sampai", "manager__nama")
    )


def renewals_due(*, regency_codes: Iterable[str] | None, today: date, within_days: int = 90) -> QuerySet[Result]:
    """Latest kompeten results expiring within `within_days` of today or already expired (renewal due)."""
    qs = latest_kompeten().filter(berlaku_sampai__lte=today + timedelta(days=within_days))
    if regency_codes is not None:
        qs = qs.filter(manager__koperasi__regency_id__in=list(regency_codes))
    return qs.select_related("manager__koperasi", "certificate").order_by("berlaku_sampai", "manager__nama", "pk")


@dataclass
class CoverageRow:
    key: str
    label: str
    koperasi: int = 0
    koperasi_bersertifikat: int = 0
    pengelola_bersertifikat: int = 0

    @property
    def persen(self) -> int | None:
        return round(self.koperasi_bersertifikat * 100 / self.koperasi) if self.koperasi else None


def coverage(*, regency_codes: Iterable[str] | None, as_of: date, by: str) -> list[CoverageRow]:
    """Active cooperatives on `as_of` (apps.koperasi's rule) with at least one manager holding a valid
    certificate on that date, by `district` (kecamatan) or `jenis` (kind)."""

    qs = Koperasi.objects.all()
    if regency_codes is not None:
        qs = qs.filter(regency_id__in=list(regency_codes))
    active = with_status(registered_on(qs, as_of), as_of=as_of).filter(aktif_pada=True)
    valid = (
        latest_kompeten(Result.objects.filter(tanggal_uji__lte=as_of))
        .filter(berlaku_sampai__gte=as_of)
        .values_list("manager__koperasi_id", "manager_id")
    )
    managers_per_coop: dict[int, set[int]] = {}
    for koperasi_id, manager_id in valid:
        managers_per_coop.setdefault(koperasi_id, set()).add(manager_id)
    rows: dict[str, CoverageRow] = {}
    field = "district_id" if by == "district" else "jenis"
    labels = dict(Jenis.choices)
    for pk, key, district_name in active.values_list("pk", field, "district__name"):
        key = key or ""
        label = (district_name or "–") if by == "district" else str(labels.get(key, key))
        row = rows.setdefault(key, CoverageRow(key=key, label=label))
        row.koperasi += 1
        if pk in managers_per_coop:
            row.koperasi_bersertifikat += 1
            row.pengelola_bersertifikat += len(managers_per_coop[pk])
    return sorted(rows.values(), key=lambda r: r.label)


# ---------------------------------------------------------------- KPI (SPEC §8) and records


def _results_in_year(regency_codes: Iterable[str] | None, year: int) -> QuerySet[Result]:
    qs = Result.objects.filter(tanggal_uji__year=year)
    if regency_codes is not None:
        qs = qs.filter(manager__koperasi__regency_id__in=list(regency_codes))
    return qs


def ujikom_kpi(*, regency_codes: list[str] | None, year: int, as_of: date) -> dict[str, Any]:
    """SPEC §8 `uji_kompetensi`: *peserta* = distinct managers (a manager is a (cooperative, NIK)) of the
    regency's cooperatives with a test result dated in Y; *kompeten* = those with a kompeten result in
    Y. Like the programme keys, the year is counted by the test date (as_of does not cut it)."""
    qs = _results_in_year(regency_codes, year)
    peserta = qs.values("manager_id").distinct().count()
    kompeten = qs.filter(kompeten=True).values("manager_id").distinct().count()
    return {"uji_kompetensi": {"peserta": peserta, "kompeten": kompeten}}


def ujikom_records(*, regency_codes: list[str] | None, year: int, kompeten_only: bool = False) -> QuerySet[Manager]:
    """The managers behind `uji_kompetensi.peserta` (or `.kompeten`), each once."""
    results = _results_in_year(regency_codes, year)
    if kompeten_only:
        results = results.filter(kompeten=True)
    return (
        Manager.objects.filter(pk__in=results.values("manager_id"))
        .select_related("koperasi")
        .order_by("koperasi__nama", "nama", "pk")
    )


def results_of_manager(manager: Manager) -> QuerySet[Result]:
    return manager.results.select_related("certificate").order_by("-tanggal_uji", "pk")


def ujikom_breakdown(*, regency_codes: list[str] | None, year: int, field: str) -> dict[str, dict[str, int]]:
    """`uji_kompetensi` split by a field of the manager's cooperative (`district_id`, `regency_id` or
    `jenis`): {key: {"peserta", "kompeten"}}; a manager belongs to one cooperative, so rows add up to the
    figures. A cooperative without the field is under the key ""."""
    qs = _results_in_year(regency_codes, year).values_list(f"manager__koperasi__{field}", "manager_id", "kompeten")
    peserta: dict[str, set[int]] = {}
    kompeten: dict[str, set[int]] = {}
    for key, manager_id, ok in qs:
        peserta.setdefault(key or "", set()).add(manager_id)
        if ok:
            kompeten.setdefault(key or "", set()).add(manager_id)
    return {k: {"peserta": len(v), "kompeten": len(kompeten.get(k, set()))} for k, v in peserta.items()}


def ujikom_records_filtered(
    *, regency_codes: list[str] | None, year: int, kompeten_only: bool, field: str = "", value: str | None = None
) -> QuerySet[Manager]:
    """`ujikom_records` narrowed to the cooperatives whose `field` is `value` (None: the field is empty)."""
    qs = ujikom_records(regency_codes=regency_codes, year=year, kompeten_only=kompeten_only)
    if field:
        lookup = f"koperasi__{field}"
        qs = qs.filter(**({f"{lookup}__isnull": True} if value is None else {lookup: value}))
    return qs
