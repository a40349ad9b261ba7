"""Import template `peserta_program` (SPEC §10): historical participants and other offices' data.

`kode_kegiatan, jenis, nama_kegiatan, tanggal_mulai, tanggal_selesai, nik, nama_pemilik, nib, nama_usaha,
kode_wilayah, status`

- An activity is keyed on (regency, `kode_kegiatan`); the regency is `--regency`, else the regency of the
  row's village (`kode_wilayah`), else that of the business in the registry. The first valid row of an
  activity (or the activity already stored) fixes its kind, title and dates; a later row that says
  otherwise is rejected (titles compare case-folded with whitespace collapsed).
- A participant is keyed on (activity, business); the business is identified as in SPEC §4: by NIB, else
  by owner NIK + normalised business name (an NIB not yet in the registry falls back to the owner's
  business of that name without NIB, as the `umkm` import would make them one). A business not in the
  registry is rejected with the reason. A later row for the same participant updates its status.
- The status must be one of the statuses of the activity's kind.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.selectors import user_regency_codes
from apps.audit.services import audit_log
from apps.core.actors import actor_user
from apps.core.nik import nik_hash
from apps.imports.framework import Counts, Importer, RowError, register_importer
from apps.imports.parsing import parse_date
from apps.imports.readers import FileUnreadable
from apps.program.models import STATUSES_BY_KIND, Kind, Participant, Programme, Source
from apps.regions.models import Level, Region
from apps.regions.selectors import village_codes
from apps.umkm.models import Business, Owner
from apps.umkm.rules import normalize_business_name

COLUMNS = {
    "kode_kegiatan": True,
    "jenis": True,
    "nama_kegiatan": True,
    "tanggal_mulai": True,
    "tanggal_selesai": True,
    "nik": False,
    "nama_pemilik": False,
    "nib": False,
    "nama_usaha": False,
    "kode_wilayah": False,
    "status": True,
}


def _token(text: str) -> str:
    """`Daftar Tunggu`, `daftar-tunggu` → `daftar_tunggu`."""
    return "_".join(text.strip().casefold().replace("-", " ").split())


def title_key(title: str) -> str:
    return " ".join(title.casefold().split())


def _village_code(text: str) -> str:
    s = text.strip()
    if len(s) == 10 and s.isdigit():
        s = f"{s[:2]}.{s[2:4]}.{s[4:6]}.{s[6:]}"
    return s


@dataclass(frozen=True, slots=True)
class Activity:
    regency: str
    code: str
    kind: str
    title: str
    start: date
    end: date


@dataclass(slots=True)
class PesertaRow:
    activity: Activity
    business_id: int
    status: str


class PesertaOptionsForm(forms.Form):
    regency = forms.ChoiceField(
        label=gettext_lazy("Kabupaten/kota pemilik kegiatan"),
        required=False,
        help_text=gettext_lazy("Kosong: kabupaten/kota desa peserta."),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = user_regency_codes(user)
        regencies = Region.objects.filter(level=Level.REGENCY)
        if codes is not None:
            regencies = regencies.filter(code__in=codes)
            self.fields["regency"].required = True
        choices = [(r.code, f"{r.code} {r.name}") for r in regencies.order_by("code")]
        field = cast(forms.ChoiceField, self.fields["regency"])
        field.choices = choices if codes is not None else [("", "—"), *choices]


@register_importer
class PesertaProgramImporter(Importer):
    kind = "peserta_program"
    label = gettext_lazy("Peserta program UMKM")  # type: ignore[assignment]
    columns = COLUMNS
    aliases = {
        "kode": "kode_kegiatan",
        "jenis kegiatan": "jenis",
        "kegiatan": "nama_kegiatan",
        "nama usaha": "nama_usaha",
        "nama pemilik": "nama_pemilik",
        "status peserta": "status",
    }
    # large: a later row for a participant supersedes an earlier one within a batch (so a re-import
    # changes nothing); files of other offices are far smaller than one batch
    batch_size = 50_000
    options_form = PesertaOptionsForm
    scope_note = (
        "activities are keyed by (regency, code) and validate() refuses a regency outside the uploader's; "
        "write_batch audits every programme and participant it creates or changes"
    )

    def prepare(self) -> None:
        self.regency = str(self.options.get("regency") or "")
        self.allowed = user_regency_codes(self.actor) if getattr(self.actor, "is_authenticated", False) else None
        if self.regency and self.allowed is not None and self.regency not in self.allowed:
            self.allowed = set()
        self.regencies = set(Region.objects.filter(level=Level.REGENCY).values_list("code", flat=True))
        if self.regency and self.regency not in self.regencies:
            raise FileUnreadable(_("Kode kabupaten/kota tidak dikenal: %(k)s") % {"k": self.regency})
        self.villages: dict[str, set[str]] = {}
        self.activities: dict[tuple[str, str], Activity | None] = {}
        self.by_nib: dict[str, int | None] = {}
        self.by_owner_name: dict[tuple[str, str, bool], int | None] = {}
        self.business_regency: dict[int, str] = {}

    # -- lookups (cached: a file repeats activities and businesses) --------------------------------
    def _villages_of(self, regency: str) -> set[str]:
        found = self.villages.get(regency)
        if found is None:
            found = self.villages[regency] = village_codes(regency) if regency in self.regencies else set()
        return found

    def _stored_activity(self, regency: str, code: str) -> Activity | None:
        key = (regency, code)
        if key not in self.activities:
            p = Programme.objects.filter(regency_id=regency, code=code).first()
            self.activities[key] = (
                Activity(regency, code, p.kind, p.title, p.start_date, p.end_date) if p is not None else None
            )
        return self.activities[key]

    def _business(self, nib: str, nik: str, name_normalized: str) -> int | None:
        if nib:
            if nib not in self.by_nib:
                row = Business.objects.filter(nib=nib).values_list("id", "regency_id").first()
                self.by_nib[nib] = row[0] if row else None
                if row:
                    self.business_regency[row[0]] = row[1]
            if self.by_nib[nib] is not None:
                return self.by_nib[nib]
        if not (nik and name_normalized):
            return None
        key = (nik, name_normalized, bool(nib))
        if key not in self.by_owner_name:
            owner_id = Owner.objects.filter(nik_hash=nik_hash(nik)).values_list("id", flat=True).first()
            found = None
            if owner_id is not None:
                candidates = Business.objects.filter(owner_id=owner_id, name_normalized=name_normalized)
                if nib:  # an NIB the registry does not know: only the owner's business of that name without one
                    candidates = candidates.filter(nib="")
                rows = list(candidates.values_list("id", "regency_id", "nib").order_by("id")[:5])
                # without NIB in the row: the business without NIB, else the only one of that name
                plain = [r for r in rows if not r[2]]
                pick = plain[0] if plain else (rows[0] if len(rows) == 1 else None)
                if pick is not None:
                    found = pick[0]
                    self.business_regency[pick[0]] = pick[1]
            self.by_owner_name[key] = found
        return self.by_owner_name[key]

    # -- validation ---------------------------------------------------------------------------
    def validate(self, row: dict[str, str]) -> tuple[PesertaRow | None, list[RowError]]:
        errors: list[RowError] = []

        code = " ".join(row["kode_kegiatan"].split())
        if not code:
            errors.append(RowError("kode_kegiatan", _("kode kegiatan wajib diisi")))
        elif len(code) > 60:
            errors.append(RowError("kode_kegiatan", _("kode kegiatan lebih dari 60 karakter")))

        kind = _token(row["jenis"])
        if kind not in Kind.values:
            errors.append(
                RowError(
                    "jenis",
                    _("jenis kegiatan harus pelatihan, bantuan_kemasan atau festival: %(v)s") % {"v": row["jenis"]},
                )
            )

        title = " ".join(row["nama_kegiatan"].split())
        if not title:
            errors.append(RowError("nama_kegiatan", _("nama kegiatan wajib diisi")))
        elif len(title) > 200:
            errors.append(RowError("nama_kegiatan", _("nama kegiatan lebih dari 200 karakter")))

        start = end = None
        try:
            start = parse_date(row["tanggal_mulai"])
        except ValueError as exc:
            errors.append(RowError("tanggal_mulai", str(exc)))
        try:
            end = parse_date(row["tanggal_selesai"])
        except ValueError as exc:
            errors.append(RowError("tanggal_selesai", str(exc)))
        if start and end and end < start:
            errors.append(RowError("tanggal_selesai", _("tanggal selesai sebelum tanggal mulai")))

        status = _token(row["status"])
        if kind in Kind.values and status not in STATUSES_BY_KIND[kind]:
            errors.append(
                RowError(
                    "status",
                    _("status %(s)s tidak berlaku untuk %(k)s; yang berlaku: %(ok)s")
                    % {
                        "s": row["status"].strip() or "—",
                        "k": Kind(kind).label,
                        "ok": ", ".join(STATUSES_BY_KIND[kind]),
                    },
                )
            )

        village = _village_code(row.get("kode_wilayah", ""))
        if village and village not in self._villages_of(village[:5]):
            errors.append(
                RowError(
                    "kode_wilayah",
                    _("kode wilayah %(kode)s bukan kode desa/kelurahan yang dikenal") % {"kode": village},
                )
            )

        # the business (SPEC §4 identity)
        nib = row.get("nib", "").strip()
        if nib.endswith(".0") and nib[:-2].isdigit():  # a number cell of a spreadsheet
            nib = nib[:-2]
        nik = row.get("nik", "").replace(" ", "").strip()
        name_normalized = normalize_business_name(row.get("nama_usaha", ""))
        business_id: int | None = None
        if nib and not (len(nib) == 13 and nib.isdigit()):
            errors.append(RowError("nib", _("NIB harus 13 digit angka")))
        elif not nib and not (nik and name_normalized):
            errors.append(RowError("nib", _("usaha tidak dapat dikenali: isi NIB, atau NIK pemilik dan nama usaha")))
        else:
            business_id = self._business(nib, nik, name_normalized)
            if business_id is None:
                if nib:
                    reason = _("usaha dengan NIB %(nib)s tidak ada di registri UMKM") % {"nib": nib}
                else:
                    reason = _("usaha %(nama)s dengan NIK pemilik tersebut tidak ada di registri UMKM") % {
                        "nama": " ".join(row.get("nama_usaha", "").split())
                    }
                errors.append(RowError("nib" if nib else "nik", reason))

        # the activity's regency
        regency = self.regency
        if not regency:
            if village:
                regency = village[:5]
            elif business_id is not None:
                regency = self.business_regency.get(business_id, "")
        if regency and self.allowed is not None and regency not in self.allowed:
            errors.append(
                RowError(
                    "kode_wilayah",
                    _("kegiatan kabupaten/kota %(k)s di luar wilayah tugas Anda") % {"k": regency},
                )
            )

        if errors or start is None or end is None or not regency:
            if not errors:
                errors.append(RowError("kode_wilayah", _("kabupaten/kota kegiatan tidak dapat ditentukan")))
            return None, errors

        # the activity: the stored one, or the first valid row of this file, fixes kind, title and dates
        known = self._stored_activity(regency, code)
        if known is not None:
            if known.kind != kind:
                errors.append(
                    RowError(
                        "jenis",
                        _("kegiatan %(c)s berjenis %(k)s, bukan %(v)s")
                        % {"c": code, "k": Kind(known.kind).label, "v": Kind(kind).label},
                    )
                )
            if title_key(known.title) != title_key(title):
                errors.append(
                    RowError(
                        "nama_kegiatan",
                        _("kegiatan %(c)s bernama %(t)s, bukan %(v)s") % {"c": code, "t": known.title, "v": title},
                    )
                )
            if known.start != start:
                errors.append(
                    RowError(
                        "tanggal_mulai",
                        _("kegiatan %(c)s mulai %(d)s, bukan %(v)s")
                        % {"c": code, "d": known.start.isoformat(), "v": start.isoformat()},
                    )
                )
            if known.end != end:
                errors.append(
                    RowError(
                        "tanggal_selesai",
                        _("kegiatan %(c)s selesai %(d)s, bukan %(v)s")
                        % {"c": code, "d": known.end.isoformat(), "v": end.isoformat()},
                    )
                )
            if errors:
                return None, errors
            activity = known
        else:
            activity = Activity(regency, code, kind, title, start, end)
            self.activities[(regency, code)] = activity
        assert business_id is not None
        return PesertaRow(activity, business_id, status), []

    # -- writing ------------------------------------------------------------------------------
    def write_batch(self, rows: list[tuple[int, Any]]) -> Counts:
        counts = Counts()
        now = timezone.now()
        actor = actor_user(self.actor)
        programmes: dict[tuple[str, str], Programme] = {}
        # a later row for the same participant supersedes an earlier one of the batch: it counts once, so a
        # re-import of a file that changes a status twice changes nothing
        latest: dict[tuple[str, str, int], PesertaRow] = {}
        for _n, r in rows:
            key3 = (r.activity.regency, r.activity.code, r.business_id)
            if key3 in latest:
                counts.unchanged += 1
                del latest[key3]
            latest[key3] = r
        # the batch's activities: one query for those stored, one insert each for new ones
        wanted = {(r.activity.regency, r.activity.code): r.activity for r in latest.values()}
        lookup = Q()
        for regency, code in wanted:
            lookup |= Q(regency_id=regency, code=code)
        for programme in Programme.objects.filter(lookup) if wanted else []:
            programmes[(programme.regency_id, programme.code)] = programme
        for key, a in wanted.items():
            if key in programmes:
                continue
            programme = Programme(
                regency_id=a.regency,
                code=a.code,
                kind=a.kind,
                title=a.title,
                start_date=a.start,
                end_date=a.end,
                source=Source.IMPORT,
            )
            programme.save()
            audit_log(
                actor=self.actor,
                action="program.kegiatan_impor",
                obj=programme,
                changes={"kode": [None, a.code], "nama": [None, a.title]},
                regency_code=a.regency,
            )
            programmes[key] = programme
        # the batch's participants that exist: one query
        existing: dict[tuple[int, int], Participant] = {
            (p.programme_id, p.business_id): p
            for p in Participant.objects.filter(
                programme__in=list(programmes.values()), business_id__in={r.business_id for r in latest.values()}
            ).only("id", "programme_id", "business_id", "status")
        }
        new: list[tuple[Participant, str]] = []
        changed: list[tuple[Participant, str, str]] = []
        for r in latest.values():
            programme = programmes[(r.activity.regency, r.activity.code)]
            participant = existing.get((programme.pk, r.business_id))
            if participant is None:
                new.append(
                    (
                        Participant(
                            programme=programme,
                            business_id=r.business_id,
                            status=r.status,
                            source=Source.IMPORT,
                            registered_at=now,
                            registered_by=actor,
                        ),
                        r.activity.regency,
                    )
                )
            elif participant.status != r.status:
                changed.append((participant, participant.status, r.activity.regency))
                participant.status = r.status
            else:
                counts.unchanged += 1
        if new:
            Participant.objects.bulk_create([p for p, _r in new], batch_size=500)
            for participant, regency in new:
                audit_log(
                    actor=self.actor,
                    action="program.peserta_impor",
                    obj=participant,
                    changes={"status": [None, participant.status]},
                    regency_code=regency,
                )
            counts.created += len(new)
        if changed:
            for participant, _before, _regency in changed:
                participant.updated_at = now
            Participant.objects.bulk_update([p for p, _b, _r in changed], ["status", "updated_at"], batch_size=500)
            for participant, before, regency in changed:
                audit_log(
                    actor=self.actor,
                    action="program.peserta_impor",
                    obj=participant,
                    changes={"status": [before, participant.status]},
                    regency_code=regency,
                )
            counts.updated += len(changed)
        return counts
