"""Writes to the UMKM registry outside the importer: operator edits, each audited (SPEC §4)."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from apps.audit.services import audit_log
from apps.core.actors import Actor
from apps.core.nik import nik_errors, nik_gender, nik_hash
from apps.regions.models import Level, Region
from apps.umkm.models import KELAS_RANK, Business, BusinessYear, Owner, RegistryRevision
from apps.umkm.rules import classify, figures_missing, normalize_business_name, rules_load

BUSINESS_FIELDS = ("name", "nib", "kbli", "sector", "address", "founded_year", "status")


def registry_revision_bump(*, regency_codes: Iterable[str]) -> None:
    """Mark the registry of these regencies as changed (see `RegistryRevision`). Call it inside the
    transaction that writes the change: readers of derived data then see the new revision exactly when
    they see the new rows. Not audited itself: it accompanies writes that are.

    One statement, regencies in code order, so that concurrent writers lock the revision rows in the
    same order (no deadlock); the row lock lasts until the writer commits."""
    codes = sorted({c for c in regency_codes if c})
    if not codes:
        return
    table = connection.ops.quote_name(RegistryRevision._meta.db_table)
    values = ", ".join(["(%s, 1)"] * len(codes))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (regency_id, revision) VALUES {values} "
            f"ON CONFLICT (regency_id) DO UPDATE SET revision = {table}.revision + 1",
            codes,
        )


def _changes(obj: Any, data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, list[Any]]:
    return {f: [getattr(obj, f), data[f]] for f in fields if f in data and getattr(obj, f) != data[f]}


@transaction.atomic
def business_register(
    *, owner_nik: str, owner_name: str, name: str, village_code: str, actor: Actor, sector: str = "", nib: str = ""
) -> tuple[Business, bool]:
    """An operator enters a business met in person (e.g. a walk-in at a programme, SPEC §10) into the
    registry. Identity as in §4: the NIB when given, else (owner NIK, normalised name); an existing business
    is returned as it is (`created` False), never duplicated. The owner's gender comes from the NIK. No
    yearly record: the class stays unknown until the business's figures are recorded."""
    owner_nik, name, nib = owner_nik.strip(), " ".join(name.split()), nib.strip()
    errors = [str(e) for e in nik_errors(owner_nik)]
    if not owner_name.strip():
        errors.append(_("Isi nama pemilik."))
    if not name:
        errors.append(_("Isi nama usaha."))
    if nib and (len(nib) != 13 or not nib.isdigit()):
        errors.append(_("NIB harus 13 digit angka."))
    village = Region.objects.filter(code=village_code, level=Level.VILLAGE).first()
    if village is None:
        errors.append(_("Pilih desa/kelurahan tempat usaha."))
    if errors or village is None:
        raise ValidationError(errors)
    normalized = normalize_business_name(name)
    owner = Owner.objects.filter(nik_hash=nik_hash(owner_nik)).first()
    existing = Business.objects.filter(nib=nib).first() if nib else None
    if existing is None and owner is not None:
        existing = Business.objects.filter(owner=owner, nib="", name_normalized=normalized).first()
    if existing is not None:
        return existing, False
    if owner is None:
        owner = Owner(name=owner_name.strip()[:150], gender=nik_gender(owner_nik))
        owner.set_nik(owner_nik)
        owner.save()
    district = village.code[:8]
    business = Business.objects.create(
        owner=owner,
        name=name[:200],
        name_normalized=normalized,
        nib=nib,
        sector=sector.strip()[:100],
        regency_id=village.code[:5],
        district_id=district,
        village_id=village.code,
    )
    registry_revision_bump(regency_codes=[business.regency_id])
    audit_log(
        actor=actor,
        action="umkm.business_register",
        obj=business,
        changes={"name": [None, business.name], "village": [None, village.code], "nib": [None, nib or None]},
        regency_code=business.regency_id,
    )
    return business, True


@transaction.atomic
def business_update(*, business: Business, data: dict[str, Any], actor: Actor) -> Business:
    """Change a business's registry fields; one audit entry with the changed fields."""
    changes = _changes(business, data, BUSINESS_FIELDS)
    if not changes:
        return business
    if "nib" in changes and data["nib"] and Business.objects.filter(nib=data["nib"]).exclude(pk=business.pk).exists():
        raise ValidationError({"nib": _("NIB ini sudah dipakai usaha lain.")})
    for field, (_before, after) in changes.items():
        setattr(business, field, after)
    business.name_normalized = normalize_business_name(business.name)
    business.full_clean(exclude=["owner", "regency", "district", "village"])
    business.save()
    registry_revision_bump(regency_codes=[business.regency_id])
    audit_log(
        actor=actor, action="umkm.business_update", obj=business, changes=changes, regency_code=business.regency_id
    )
    return business


@transaction.atomic
def business_year_update(
    *, record: BusinessYear, modal_usaha: int | None, omzet_tahunan: int | None, tenaga_kerja: int | None, actor: Actor
) -> BusinessYear:
    """Correct a yearly record; its class is recomputed by the law of its data year. The one-figure rule
    of the importer applies (`rules.figures_missing`): one of capital and sales is enough, in UU 20/2008
    years too, and the class is decided by the one given."""
    data: dict[str, Any] = {"modal_usaha": modal_usaha, "omzet_tahunan": omzet_tahunan, "tenaga_kerja": tenaga_kerja}
    for field in ("modal_usaha", "omzet_tahunan"):
        value = data[field]
        if value is not None and value < 0:
            raise ValidationError({field: _("Nilai rupiah tidak boleh negatif.")})
    if figures_missing(modal_usaha, omzet_tahunan):
        raise ValidationError(_("Isi modal usaha atau omzet tahunan."))
    try:
        kelas, rule = classify(modal_usaha, omzet_tahunan, record.year, rules_load())
    except ValueError as exc:  # no rule covers the year
        raise ValidationError(str(exc)) from exc
    data.update(kelas=kelas, rule_set=rule)
    changes = _changes(record, data, ("modal_usaha", "omzet_tahunan", "tenaga_kerja", "kelas", "rule_set"))
    if not changes:
        return record
    for field, (_before, after) in changes.items():
        setattr(record, field, after)
    record.kelas_rank = KELAS_RANK[kelas]
    record.save()
    registry_revision_bump(regency_codes=[record.business.regency_id])
    audit_log(
        actor=actor,
        action="umkm.business_year_update",
        obj=record,
        changes=changes,
        regency_code=record.business.regency_id,
    )
    return record


@transaction.atomic
def registry_export_log(*, actor: Actor, fmt: str, filters: dict[str, Any], rows: int) -> None:
    """Exports carry owners' names and masked NIKs: who took which list is audited."""
    audit_log(
        actor=actor,
        action="umkm.export",
        record_type="umkm.business",
        record_repr=_("Ekspor registri UMKM"),
        changes={"format": fmt, "saringan": {k: str(v) for k, v in filters.items() if v}, "baris": rows},
    )
