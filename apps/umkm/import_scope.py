"""What a `umkm` import row touches, for the import framework's scope check and per-record audit (issue #15).

Kept apart from the importer's write path on purpose: it reads the records a batch would change with the
same identity rules (SPEC §4: a business by its NIB; without one, or when no business has that NIB yet, by
its owner's NIK and the normalised business name), before and after the batch is written. A row is refused
when the business it would change belongs to a regency outside the uploader's, or when it would change the
name, gender or phone of an owner who also has a business outside them. Never a NIK in the states.
"""

from typing import Any

from apps.core.nik import nik_hash
from apps.imports.framework import RecordState
from apps.umkm.models import Business, BusinessYear, Owner

BUSINESS_FIELDS = ("name", "nib", "kbli", "sector", "regency_id", "village_id", "address", "founded_year")
YEAR_FIELDS = ("modal_usaha", "omzet_tahunan", "tenaga_kerja", "kelas")
OWNER_FIELDS = ("name", "gender", "phone")


def umkm_rows_touched(rows: list[tuple[int, Any]]) -> dict[int, list[RecordState]]:
    hashes = {r.nik: nik_hash(r.nik) for _n, r in rows}
    owners = {
        o.nik_hash: o
        for o in Owner.objects.filter(nik_hash__in=set(hashes.values())).only("pk", "nik_hash", *OWNER_FIELDS)
    }
    nibs = {r.nib for _n, r in rows if r.nib}
    by_nib: dict[str, Business] = {}
    if nibs:
        by_nib = {b.nib: b for b in Business.objects.filter(nib__in=nibs).exclude(nib="")}
    owner_ids = [o.pk for o in owners.values()]
    # every business of those owners: the (owner, name) matches, and the regencies an owner spans
    of_owner: dict[int, list[Business]] = {}
    for b in Business.objects.filter(owner_id__in=owner_ids).order_by("pk"):
        of_owner.setdefault(b.owner_id, []).append(b)

    matched: dict[int, Business] = {}
    for n, r in rows:
        business = by_nib.get(r.nib) if r.nib else None
        owner = owners.get(hashes[r.nik])
        if business is None and owner is not None:
            same_name = [b for b in of_owner.get(owner.pk, []) if b.name_normalized == r.name_normalized]
            # a row with an NIB no business has yet is the owner's same-named business without NIB
            candidates = [b for b in same_name if not b.nib] if r.nib else same_name
            candidates.sort(key=lambda b: (b.nib != "", b.pk))
            business = candidates[0] if candidates else None
        if business is not None:
            matched[n] = business
    years = {
        (y.business_id, y.year): y
        for y in BusinessYear.objects.filter(
            business_id__in={b.pk for b in matched.values()}, year__in={r.year for _n, r in rows}
        )
    }

    result: dict[int, list[RecordState]] = {}
    for n, r in rows:
        states: list[RecordState] = []
        owner = owners.get(hashes[r.nik])
        if owner is not None:
            spans = frozenset(b.regency_id for b in of_owner.get(owner.pk, []))
            stored = tuple(getattr(owner, f) for f in OWNER_FIELDS)
            states.append(
                RecordState(
                    record_type="umkm.owner",
                    record_id=str(owner.pk),
                    record_repr=owner.name[:200],
                    regency_codes=spans,
                    values=dict(zip(OWNER_FIELDS, stored, strict=True)),
                    guarded=stored != (r.owner_name, r.gender, r.phone),
                )
            )
        business = matched.get(n)
        if business is not None:
            values: dict[str, Any] = {f: getattr(business, f) for f in BUSINESS_FIELDS}
            year = years.get((business.pk, r.year))
            for f in YEAR_FIELDS:
                values[f"{r.year}.{f}"] = getattr(year, f) if year is not None else None
            states.append(
                RecordState(
                    record_type="umkm.business",
                    record_id=str(business.pk),
                    record_repr=business.name[:200],
                    regency_codes=frozenset([business.regency_id]),
                    values=values,
                )
            )
        if states:
            result[n] = states
    return result
