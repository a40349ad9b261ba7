"""Import template `umkm` (SPEC §4): one row per business per data year, CSV or XLSX.

Validation is per row with lookup sets loaded once (`prepare`). The file is read twice: first every
valid row's identity is recorded compactly (`FileDuplicates`), so that of several rows for one business
and data year the last in the file wins, whatever batch each falls in; then rows are written per batch
(`_Batch`, in named steps) with a fixed number of queries whatever the batch size: one lookup of
already-imported row hashes (an unchanged row in a re-import costs nothing more), then owners,
businesses and yearly records are each fetched once and written in bulk. The NIK is encrypted only for
new owners.

Identity (SPEC §4): a business is its NIB when the row has one, else (owner NIK, normalised business
name); a row with an NIB no business has yet, for an owner's business of the same normalised name
without NIB, is that business (it gains the NIB). A business's name, address and village follow its
row of the latest data year; a row of an earlier year updates that year's record only.
"""

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django import forms
from django.conf import settings
from django.db import connection, reset_queries
from django.db.models import Field, Max, Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.selectors import user_regency_codes
from apps.core.nik import nik_encrypt, nik_errors, nik_hash, nik_mask
from apps.imports.framework import Counts, Importer, RecordState, RowError, register_importer
from apps.imports.models import ImportRun
from apps.imports.parsing import parse_int, parse_rupiah
from apps.imports.workbook import RUPIAH, WHOLE, YEAR, ColumnDoc
from apps.jobs.progress import Progress
from apps.regions.models import Level, Region
from apps.regions.selectors import village_codes
from apps.umkm.import_scope import umkm_rows_touched
from apps.umkm.models import KELAS_RANK, Business, BusinessStatus, BusinessYear, Owner
from apps.umkm.rollups import umkm_rollups_refresh_stale
from apps.umkm.rules import Rule, classify, figures_missing, normalize_business_name, rules_load
from apps.umkm.services import registry_revision_bump

COLUMNS = {
    "nik": True,
    "nama_pemilik": True,
    "jenis_kelamin": True,
    "no_hp": False,
    "nama_usaha": True,
    "nib": False,
    "kbli": False,
    "sektor": False,
    "kode_wilayah": True,
    "alamat": False,
    "tahun_berdiri": False,
    "tahun_data": True,
    "modal_usaha": True,
    "omzet_tahunan": True,
    "tenaga_kerja": False,
}


@dataclass(slots=True)
class UmkmRow:
    nik: str
    owner_name: str
    gender: str
    phone: str
    name: str
    name_normalized: str
    nib: str
    kbli: str
    sector: str
    village: str
    address: str
    founded_year: int | None
    year: int
    modal: int | None
    omzet: int | None
    workers: int | None
    kelas: str
    rule_set: str
    row_hash: int


def _int(text: str, *, minimum: int, maximum: int) -> int:
    """parse_int with a fast path for plain digits (most cells): this runs for every row."""
    if text.isdigit():
        value = int(text)
        if minimum <= value <= maximum:
            return value
    return parse_int(text, minimum=minimum, maximum=maximum)


def _row_hash(values: tuple[Any, ...]) -> int:
    digest = hashlib.blake2b("\x1f".join("" if v is None else str(v) for v in values).encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


class UmkmOptionsForm(forms.Form):
    regency = forms.ChoiceField(
        label=gettext_lazy("Kabupaten/kota"),
        required=False,
        help_text=gettext_lazy("Baris dengan desa di luar kabupaten/kota ini ditolak."),
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
class UmkmImporter(Importer):
    kind = "umkm"
    label = gettext_lazy("Registri UMKM")  # type: ignore[assignment]
    columns = COLUMNS
    column_docs = {
        "kbli": ColumnDoc(gettext_lazy("kode KBLI 5 angka dari OSS; boleh kosong"), "13912", gettext_lazy("5 angka")),
        "sektor": ColumnDoc(
            gettext_lazy("bidang usaha dengan kata sendiri"), "kerajinan rajut", gettext_lazy("teks bebas")
        ),
        "tahun_berdiri": ColumnDoc(gettext_lazy("tahun usaha mulai berjalan"), "2015", YEAR),
        "tahun_data": ColumnDoc(
            gettext_lazy("tahun yang dicatat oleh baris ini (modal, omzet, tenaga kerja)"), "2020", YEAR
        ),
        "modal_usaha": ColumnDoc(gettext_lazy("aset/modal usaha di luar tanah dan bangunan"), "15.000.000", RUPIAH),
        "omzet_tahunan": ColumnDoc(gettext_lazy("hasil penjualan setahun pada tahun data"), "60.000.000", RUPIAH),
        "tenaga_kerja": ColumnDoc(gettext_lazy("jumlah orang yang bekerja, termasuk pemilik"), "3", WHOLE),
    }
    batch_size = 5000
    options_form = UmkmOptionsForm
    scans_first = True
    scope_column = "nib, nik"

    def records_touched(self, rows: list[tuple[int, Any]]) -> dict[int, list[RecordState]]:
        return umkm_rows_touched(rows)

    def prepare(self) -> None:
        self.duplicates = FileDuplicates(self.expected_rows)
        regency = str(self.options.get("regency") or "")
        self.regency = regency
        # village codes per regency, loaded on first use: one query per regency met, never per row
        self.villages: dict[str, set[str]] = {}
        self.districts = set(Region.objects.filter(level=Level.DISTRICT).values_list("code", flat=True))
        self.rules: list[Rule] = rules_load()
        self.this_year = date.today().year

    def after_commit(self, run: ImportRun, progress: Progress) -> None:
        """The import's last step: recompute the report roll-ups it made stale (the years someone already
        reported on) before it reports itself done, so that the next report reads fresh rows at once."""
        umkm_rollups_refresh_stale(progress=progress, message=_("menghitung ulang ringkasan laporan"))

    def _villages_of(self, regency: str) -> set[str]:
        found = self.villages.get(regency)
        if found is None:
            found = self.villages[regency] = village_codes(regency) if len(regency) == 5 else set()
        return found

    # -- validation ---------------------------------------------------------------------------
    def validate(self, row: dict[str, str]) -> tuple[UmkmRow | None, list[RowError]]:
        errors: list[RowError] = []

        nik = row["nik"].replace(" ", "")
        if not nik:
            errors.append(RowError("nik", _("NIK wajib diisi")))
        else:
            for reason in nik_errors(nik, self.districts):
                errors.append(RowError("nik", reason))

        owner_name = " ".join(row["nama_pemilik"].split())
        if not owner_name:
            errors.append(RowError("nama_pemilik", _("nama pemilik wajib diisi")))
        elif len(owner_name) > 150:
            errors.append(RowError("nama_pemilik", _("nama pemilik lebih dari 150 karakter")))

        gender = row["jenis_kelamin"].strip().upper()
        if gender not in ("L", "P"):
            errors.append(RowError("jenis_kelamin", _("jenis kelamin harus L atau P")))

        phone = row.get("no_hp", "").strip()
        if len(phone) > 20:
            errors.append(RowError("no_hp", _("nomor HP lebih dari 20 karakter")))

        name = " ".join(row["nama_usaha"].split())
        name_normalized = normalize_business_name(name)
        if not name_normalized:
            errors.append(RowError("nama_usaha", _("nama usaha wajib diisi")))
        elif len(name) > 200:
            errors.append(RowError("nama_usaha", _("nama usaha lebih dari 200 karakter")))

        nib = row.get("nib", "").strip()
        if nib and not (len(nib) == 13 and nib.isdigit()):
            errors.append(RowError("nib", _("NIB harus 13 digit angka")))

        kbli = row.get("kbli", "").strip()
        if kbli and not (len(kbli) == 5 and kbli.isdigit()):
            errors.append(RowError("kbli", _("KBLI harus 5 digit angka (KBLI 2020)")))

        sector = " ".join(row.get("sektor", "").split())
        if len(sector) > 100:
            errors.append(RowError("sektor", _("sektor lebih dari 100 karakter")))

        village = row["kode_wilayah"].strip()
        if len(village) == 10 and village.isdigit():  # written without dots
            village = f"{village[:2]}.{village[2:4]}.{village[4:6]}.{village[6:]}"
        if not village:
            errors.append(RowError("kode_wilayah", _("kode wilayah desa/kelurahan wajib diisi")))
        elif village not in self._villages_of(village[:5]):
            errors.append(
                RowError(
                    "kode_wilayah",
                    _("kode wilayah %(kode)s bukan kode desa/kelurahan yang dikenal") % {"kode": village},
                )
            )
        elif self.regency and not village.startswith(self.regency + "."):
            errors.append(
                RowError(
                    "kode_wilayah",
                    _("desa/kelurahan %(kode)s di luar kabupaten/kota %(kab)s yang sedang diimpor")
                    % {"kode": village, "kab": self.regency},
                )
            )

        address = " ".join(row.get("alamat", "").split())
        if len(address) > 300:
            errors.append(RowError("alamat", _("alamat lebih dari 300 karakter")))

        year: int | None = None
        try:
            year = _int(row["tahun_data"].strip(), minimum=2000, maximum=self.this_year)
        except ValueError as exc:
            errors.append(
                RowError(
                    "tahun_data", _("tahun data tidak wajar (2000–%(y)s): %(e)s") % {"y": self.this_year, "e": exc}
                )
            )

        founded_year: int | None = None
        if row.get("tahun_berdiri", "").strip():
            try:
                founded_year = _int(row["tahun_berdiri"].strip(), minimum=1900, maximum=year or self.this_year)
            except ValueError as exc:
                errors.append(
                    RowError("tahun_berdiri", _("tahun berdiri tidak wajar (1900–tahun data): %(e)s") % {"e": exc})
                )

        money: dict[str, int | None] = {}
        for column in ("modal_usaha", "omzet_tahunan"):
            text = row[column].strip()
            if not text:
                money[column] = None
                continue
            try:
                value = int(text) if text.isdigit() else parse_rupiah(text)
            except ValueError as exc:
                errors.append(RowError(column, str(exc)))
                continue
            if value < 0:
                errors.append(RowError(column, _("nilai rupiah tidak boleh negatif: %(v)s") % {"v": text}))
            else:
                money[column] = value
        modal, omzet = money.get("modal_usaha"), money.get("omzet_tahunan")
        if len(money) == 2 and figures_missing(modal, omzet):
            # one figure is enough, in UU 20/2008 years too: the class is decided by the one given
            errors.append(
                RowError("modal_usaha, omzet_tahunan", _("isi modal usaha atau omzet tahunan (minimal satu)"))
            )

        workers: int | None = None
        if row.get("tenaga_kerja", "").strip():
            try:
                workers = _int(row["tenaga_kerja"].strip(), minimum=0, maximum=1_000_000)
            except ValueError as exc:
                errors.append(RowError("tenaga_kerja", _("tenaga kerja: %(e)s") % {"e": exc}))

        if errors or year is None:
            return None, errors
        try:
            kelas, rule_code = classify(modal, omzet, year, self.rules)
        except ValueError as exc:
            return None, [RowError("tahun_data", str(exc))]
        values = (nik, owner_name, gender, phone, name, nib, kbli, sector, village, address, founded_year, year)
        clean = UmkmRow(
            nik=nik,
            owner_name=owner_name,
            gender=gender,
            phone=phone,
            name=name,
            name_normalized=name_normalized,
            nib=nib,
            kbli=kbli,
            sector=sector,
            village=village,
            address=address,
            founded_year=founded_year,
            year=year,
            modal=modal,
            omzet=omzet,
            workers=workers,
            kelas=kelas,
            rule_set=rule_code,
            row_hash=_row_hash((*values, modal, omzet, workers)),
        )
        return clean, []

    # -- the whole file first: duplicates ------------------------------------------------------
    def scan(self, row_number: int, clean: UmkmRow) -> None:
        self.duplicates.add(row_number, clean)

    def superseded(self, row_number: int, clean: UmkmRow) -> bool:
        return self.duplicates.superseded(row_number, clean)

    # -- writing ------------------------------------------------------------------------------
    def write_batch(self, rows: list[tuple[int, Any]]) -> Counts:
        """Write one batch in named steps (each a fixed number of queries, whatever the batch size)."""
        if settings.DEBUG and not connection.force_debug_cursor:
            # DEBUG keeps the last 9,000 statements with their parameters: megabytes per batch here
            reset_queries()
        batch = _Batch(now=timezone.now())
        todo = batch.one_row_per_record([r for _n, r in rows])
        todo = batch.without_rows_already_held(todo)
        if todo:
            batch.write_owners(todo)
            batch.find_businesses(todo)
            batch.write_businesses()
            batch.write_years(todo)
            batch.bump_revisions(todo)
        return batch.counts


def _key_hash(*parts: object) -> int:
    digest = hashlib.blake2b("\x1f".join(str(p) for p in parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


class FileDuplicates:
    """Which rows of a file a later row stands for (same business and data year: the last row wins over
    the whole file, SPEC §4), recorded in about two bytes per row, so memory stays flat at 2 million rows.

    Every row has an identity key: (NIB, year) with an NIB, else (NIK, normalised name, year); a row with
    an NIB also has a link key (NIK, normalised name, year), because a row without NIB of that owner and
    name is the same business (the NIB row gains it). Keys are 64-bit hashes (a collision among two
    million keys: odds about 1 in 10 million). A bit filter remembers the keys seen; only a key met a
    second time (or a false positive of the filter, harmless) gets an exact entry with its last row."""

    def __init__(self, expected_rows: int) -> None:
        # >= 16 bits per expected key (1.4% false positives, each an exact entry), 200 KB at least
        size = 1 << (16 * max(expected_rows, 100_000)).bit_length()
        self._mask = size - 1
        self._bits = bytearray(size // 8)
        self._last: dict[int, int] = {}  # identity key -> last row
        self._last_with_nib: dict[int, int] = {}  # link key -> last row with an NIB

    def _seen_then_mark(self, key: int) -> bool:
        a, b = key & self._mask, (key >> 32) & self._mask
        bits = self._bits
        seen = bool(bits[a >> 3] & (1 << (a & 7))) and bool(bits[b >> 3] & (1 << (b & 7)))
        bits[a >> 3] |= 1 << (a & 7)
        bits[b >> 3] |= 1 << (b & 7)
        return seen

    @staticmethod
    def keys(r: UmkmRow) -> tuple[int, int]:
        link = _key_hash("nn", r.nik, r.name_normalized, r.year)
        return (_key_hash("nib", r.nib, r.year) if r.nib else link), link

    def add(self, row_number: int, r: UmkmRow) -> None:
        identity, link = self.keys(r)
        if self._seen_then_mark(identity):
            self._last[identity] = row_number
        if r.nib and self._seen_then_mark(link):
            self._last_with_nib[link] = row_number

    def superseded(self, row_number: int, r: UmkmRow) -> bool:
        identity, link = self.keys(r)
        if self._last.get(identity, row_number) > row_number:
            return True
        if r.nib:  # a later row without NIB of the same owner, name and year
            return self._last.get(link, row_number) > row_number
        return self._last_with_nib.get(link, row_number) > row_number


@dataclass(slots=True, eq=False)
class _Business:
    """A business as one batch sees it: stored (pk) or about to be inserted (pk None)."""

    pk: int | None
    nib: str
    name_normalized: str
    fields: list[Any]  # BUSINESS_COMPARED, in order
    latest_year: int | None  # of its stored records and the rows applied so far
    regency_before: str = ""
    changed: bool = False


BUSINESS_COMPARED = ["owner_id", "name", "kbli", "sector", "village_id", "address", "founded_year"]
YEAR_FIGURES = ("modal_usaha", "omzet_tahunan", "tenaga_kerja", "kelas", "rule_set")


class _Batch:
    """The steps of writing one batch; each step reads what it needs once and writes in bulk."""

    def __init__(self, *, now: Any) -> None:
        self.now = now
        self.counts = Counts()
        self.hashes: dict[str, str] = {}  # NIK -> keyed hash
        self.owners: dict[str, list[Any]] = {}  # NIK hash -> [id, name, gender, phone]
        self.new_owner_hashes: set[str] = set()
        self.changed_owner_ids: set[int] = set()
        self.by_nib: dict[str, _Business] = {}
        self.by_owner_name: dict[tuple[int, str], list[_Business]] = {}
        self.business_of: list[_Business] = []  # per row of `todo`
        self.touched: set[int] = set()  # rows whose business or owner this batch changed
        self.regencies: set[str] = set()  # whose figures this batch may change

    # 1. one row per record: a later row for the same business and year supersedes an earlier one (the
    # whole-file scan already did this across batches; this keeps write_batch right on its own too)
    def one_row_per_record(self, rows: list[UmkmRow]) -> list[UmkmRow]:
        latest: dict[tuple[Any, ...], UmkmRow] = {}
        for r in rows:
            natural = (r.nib, r.year) if r.nib else (r.nik, r.name_normalized, r.year)
            if natural in latest:
                self.counts.unchanged += 1
                del latest[natural]  # the survivor keeps its place in file order
            latest[natural] = r
        return list(latest.values())

    # 2. rows a record already holds exactly (its row hash covers the whole row, and its year): nothing to
    # write. One indexed query per batch: the cheap path of a re-import.
    def without_rows_already_held(self, rows: list[UmkmRow]) -> list[UmkmRow]:
        held = _held_hashes({r.row_hash for r in rows})
        todo = []
        for r in rows:
            if (r.row_hash, r.year) in held:
                self.counts.unchanged += 1
            else:
                todo.append(r)
        return todo

    # 3. owners by NIK hash: insert new ones (the NIK is encrypted only here), update changed ones
    def write_owners(self, todo: list[UmkmRow]) -> None:
        self.hashes = {r.nik: nik_hash(r.nik) for r in todo}
        owner_fields = ("name", "gender", "phone")
        self.owners = {
            h: [pk, name, gender, phone]
            for h, pk, name, gender, phone in Owner.objects.filter(nik_hash__in=set(self.hashes.values())).values_list(
                "nik_hash", "id", *owner_fields
            )
        }
        new: dict[str, UmkmRow] = {}
        changed: set[str] = set()
        for r in todo:
            h = self.hashes[r.nik]
            owner = self.owners.get(h)
            if owner is None:
                self.owners[h] = [None, r.owner_name, r.gender, r.phone]
                new[h] = r
            elif owner[1:] != [r.owner_name, r.gender, r.phone]:
                owner[1:] = [r.owner_name, r.gender, r.phone]
                if h not in new:
                    changed.add(h)
        self.new_owner_hashes = set(new)
        if new:
            _insert(
                Owner,
                ["nik_ciphertext", "nik_hash", "nik_masked", "name", "gender", "phone", "created_at", "updated_at"],
                [
                    (nik_encrypt(r.nik), h, nik_mask(r.nik), *self.owners[h][1:], self.now, self.now)
                    for h, r in new.items()
                ],
            )
            for h, pk in Owner.objects.filter(nik_hash__in=list(new)).values_list("nik_hash", "id"):
                self.owners[h][0] = pk
        if changed:
            Owner.objects.bulk_update(
                [
                    Owner(pk=o[0], name=o[1], gender=o[2], phone=o[3], updated_at=self.now)
                    for o in (self.owners[h] for h in changed)
                ],
                [*owner_fields, "updated_at"],
                batch_size=500,
            )
            self.changed_owner_ids = {self.owners[h][0] for h in changed}

    def _owner_id(self, r: UmkmRow) -> int:
        return int(self.owners[self.hashes[r.nik]][0])

    # 4. each row's business: by NIB; else the owner's business of the same normalised name (one without
    # NIB first); a new NIB for an owner's business of that name without NIB is that business (SPEC §4).
    # Name, village and the other fields follow the row of the latest data year only.
    def _load_businesses(self, todo: list[UmkmRow]) -> None:
        found: dict[int, tuple[Any, ...]] = {}
        columns = ("id", "nib", "name_normalized", "regency_id", *BUSINESS_COMPARED)
        nibs = {r.nib for r in todo if r.nib}
        if nibs:
            for values in Business.objects.filter(nib__in=nibs).values_list(*columns):
                found[values[0]] = values
        old_owner_ids = {self._owner_id(r) for r in todo if self.hashes[r.nik] not in self.new_owner_hashes}
        if old_owner_ids:
            # by owner only: two IN lists would make SQLite probe every (owner, name) combination
            for values in Business.objects.filter(owner_id__in=old_owner_ids).values_list(*columns):
                found[values[0]] = values
        latest = (
            dict(
                BusinessYear.objects.filter(business_id__in=list(found))
                .values("business_id")
                .annotate(latest=Max("year"))
                .values_list("business_id", "latest")
            )
            if found
            else {}
        )
        for pk, nib, norm, regency, *fields in sorted(found.values(), key=lambda v: v[0]):
            self._index(_Business(pk, nib, norm, list(fields), latest.get(pk), regency_before=regency))

    def _index(self, b: _Business) -> None:
        if b.nib:
            self.by_nib[b.nib] = b
        self.by_owner_name.setdefault((b.fields[0], b.name_normalized), []).append(b)

    def _match(self, r: UmkmRow, owner_id: int) -> _Business | None:
        if r.nib and r.nib in self.by_nib:
            return self.by_nib[r.nib]
        same_name = self.by_owner_name.get((owner_id, r.name_normalized), [])
        without_nib = [b for b in same_name if not b.nib]
        if r.nib:
            return without_nib[0] if without_nib else None
        candidates = without_nib or same_name
        return candidates[0] if candidates else None

    def find_businesses(self, todo: list[UmkmRow]) -> None:
        self._load_businesses(todo)
        for i, r in enumerate(todo):
            owner_id = self._owner_id(r)
            b = self._match(r, owner_id)
            if b is None:
                b = _Business(None, r.nib, r.name_normalized, [None] * len(BUSINESS_COMPARED), None)
                self._index(b)
            if r.nib and not b.nib:  # it gains the NIB
                b.nib = r.nib
                self.by_nib[r.nib] = b
                b.changed = b.pk is not None
                self.touched.add(i)
            if b.latest_year is None or r.year >= b.latest_year:
                wanted = [owner_id, r.name, r.kbli, r.sector, r.village, r.address, r.founded_year]
                if b.fields != wanted:
                    if b.pk is not None:
                        b.changed = True
                        self.touched.add(i)
                    if (b.fields[0], b.name_normalized) != (owner_id, r.name_normalized):
                        self.by_owner_name[(b.fields[0], b.name_normalized)].remove(b)
                        self.by_owner_name.setdefault((owner_id, r.name_normalized), []).append(b)
                    b.fields, b.name_normalized = wanted, r.name_normalized
                b.latest_year = r.year
            if owner_id in self.changed_owner_ids:
                self.touched.add(i)
            self.business_of.append(b)

    # 5. businesses: insert the new ones, update the changed ones
    def write_businesses(self) -> None:
        businesses = list({id(b): b for b in self.business_of}.values())
        new = [b for b in businesses if b.pk is None]
        changed = [b for b in businesses if b.pk is not None and b.changed]
        village = BUSINESS_COMPARED.index("village_id")
        if new:
            _insert(
                Business,
                [*BUSINESS_COMPARED, "name_normalized", "nib", "regency_id", "district_id", "status"]
                + ["created_at", "updated_at"],
                [
                    (*b.fields, b.name_normalized, b.nib, b.fields[village][:5], b.fields[village][:8])
                    + (BusinessStatus.ACTIVE.value, self.now, self.now)
                    for b in new
                ],
            )
            with_nib = {b.nib: b for b in new if b.nib}
            if with_nib:
                for pk, nib in Business.objects.filter(nib__in=list(with_nib)).values_list("id", "nib"):
                    with_nib[nib].pk = pk
            without_nib = {(b.fields[0], b.name_normalized): b for b in new if not b.nib}
            if without_nib:
                for pk, owner_id, norm in Business.objects.filter(
                    nib="", owner_id__in={k[0] for k in without_nib}
                ).values_list("id", "owner_id", "name_normalized"):
                    if (owner_id, norm) in without_nib:
                        without_nib[(owner_id, norm)].pk = pk
        if changed:
            Business.objects.bulk_update(
                [
                    Business(
                        pk=b.pk,
                        **dict(zip(BUSINESS_COMPARED, b.fields, strict=True)),
                        name_normalized=b.name_normalized,
                        nib=b.nib,
                        regency_id=b.fields[village][:5],
                        district_id=b.fields[village][:8],
                        updated_at=self.now,
                    )
                    for b in changed
                ],
                [*BUSINESS_COMPARED, "name_normalized", "nib", "regency_id", "district_id", "updated_at"],
                batch_size=500,
            )
            self.regencies |= {b.regency_before for b in changed} | {b.fields[village][:5] for b in changed}

    # 6. yearly records by (business, year): insert the new ones, update the others; each record keeps
    # the region of its own row (the business's region at that year)
    def write_years(self, todo: list[UmkmRow]) -> None:
        chosen: dict[tuple[int, int], int] = {}
        for i, r in enumerate(todo):
            yk = (int(self.business_of[i].pk or 0), r.year)
            if yk in chosen:  # two spellings of one business in one batch (with and without its NIB)
                self.counts.unchanged += 1
            chosen[yk] = i
        existing: dict[tuple[int, int], tuple[int, tuple[Any, ...], str]] = {}
        for pk, business_id, year, regency, *values in BusinessYear.objects.filter(
            business_id__in={yk[0] for yk in chosen}, year__in={yk[1] for yk in chosen}
        ).values_list("id", "business_id", "year", "regency_id", *YEAR_FIGURES, "village_id"):
            existing[(business_id, year)] = (pk, tuple(values), regency)
        new: list[tuple[Any, ...]] = []
        changed: list[BusinessYear] = []
        for yk, i in chosen.items():
            r = todo[i]
            self.regencies.add(r.village[:5])
            found = existing.get(yk)
            if found is None:
                self.counts.created += 1
                new.append(
                    (yk[0], r.year, r.village[:5], r.village[:8], r.village, r.modal, r.omzet, r.workers)
                    + (r.kelas, r.rule_set, KELAS_RANK[r.kelas], r.row_hash, self.now)
                )
                continue
            self.regencies.add(found[2])
            if found[1] == (r.modal, r.omzet, r.workers, r.kelas, r.rule_set, r.village) and i not in self.touched:
                self.counts.unchanged += 1  # same figures, re-stamped with this row's hash
            else:
                self.counts.updated += 1
            changed.append(
                BusinessYear(
                    pk=found[0],
                    regency_id=r.village[:5],
                    district_id=r.village[:8],
                    village_id=r.village,
                    modal_usaha=r.modal,
                    omzet_tahunan=r.omzet,
                    tenaga_kerja=r.workers,
                    kelas=r.kelas,
                    kelas_rank=KELAS_RANK[r.kelas],
                    rule_set=r.rule_set,
                    row_hash=r.row_hash,
                    updated_at=self.now,
                )
            )
        if new:
            _insert(
                BusinessYear,
                ["business_id", "year", "regency_id", "district_id", "village_id", *YEAR_FIGURES]
                + ["kelas_rank", "row_hash", "updated_at"],
                new,
            )
        if changed:
            BusinessYear.objects.bulk_update(
                changed,
                ["regency_id", "district_id", "village_id", *YEAR_FIGURES, "kelas_rank", "row_hash", "updated_at"],
                batch_size=500,
            )

    # 7. every regency whose figures this batch may change gets a new registry revision (report roll-ups
    # follow): the rows' regencies and the records' previous ones, and, for a business or owner that
    # changed (name, sector, gender show in breakdowns), the regencies of all their records
    def bump_revisions(self, todo: list[UmkmRow]) -> None:
        changed_ids = [b.pk for b in self.business_of if b.changed and b.pk is not None]
        if changed_ids or self.changed_owner_ids:
            self.regencies |= set(
                BusinessYear.objects.filter(
                    Q(business_id__in=changed_ids) | Q(business__owner_id__in=self.changed_owner_ids)
                )
                .values_list("regency_id", flat=True)
                .distinct()
            )
        registry_revision_bump(regency_codes=self.regencies)


def _held_hashes(hashes: set[int]) -> set[tuple[int, int]]:
    """(row_hash, year) of the yearly records holding any of `hashes`. Plain SQL: the ORM prepares each
    of the 5,000 parameters one by one, a third of the time of an unchanged re-import."""
    if not hashes:
        return set()
    meta = BusinessYear._meta
    qn = connection.ops.quote_name
    sql = "SELECT {h}, {y} FROM {t} WHERE {h} IN ({p})".format(
        h=qn(cast(Field, meta.get_field("row_hash")).column or "row_hash"),
        y=qn(cast(Field, meta.get_field("year")).column or "year"),
        t=qn(meta.db_table),
        p=", ".join(["%s"] * len(hashes)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(hashes))
        return {(h, y) for h, y in cursor.fetchall()}


def _insert(model: type[Model], fields: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert plain values into `model`'s table: COPY on PostgreSQL, executemany elsewhere.

    bulk_create builds a model instance and compiles every value through the ORM: 70% of an import's
    time. Columns and value preparation still come from the model's fields, so this stays in step
    with the schema; ids are read back by the caller through its natural keys (NIK hash, NIB, ...).
    """
    meta = model._meta
    concrete = [cast(Field, meta.get_field(f)) for f in fields]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column or f.name) for f in concrete)
    if connection.vendor == "postgresql":
        # COPY: one round trip and no per-row statement on the server (psycopg adapts the values)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {qn(meta.db_table)} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    prepared_rows = rows
    datetimes = [i for i, f in enumerate(concrete) if f.get_internal_type() == "DateTimeField"]
    if datetimes:
        cache: dict[Any, Any] = {}
        converted = []
        for row in rows:
            values = list(row)
            for i in datetimes:
                v = values[i]
                if v not in cache:
                    cache[v] = concrete[i].get_db_prep_save(v, connection)
                values[i] = cache[v]
            converted.append(values)
        prepared_rows = converted  # type: ignore[assignment]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(qn(meta.db_table), columns, ", ".join(["%s"] * len(concrete)))
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared_rows)
