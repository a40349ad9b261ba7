"""Import templates `koperasi` and `laporan_koperasi` (SPEC §5) on the shared import framework."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.selectors import user_regency_codes
from apps.core.actors import Actor
from apps.imports.framework import Counts, Importer, RecordState, RowError, register_importer
from apps.imports.parsing import parse_date, parse_int, parse_rupiah
from apps.imports.workbook import DATE, RUPIAH, WHOLE, ColumnDoc
from apps.koperasi.models import (
    FINANCIAL_FIELDS,
    SIGNED_FIELDS,
    Jenis,
    Koperasi,
    LaporanTahunan,
    ReportSource,
    ReportStatus,
)
from apps.koperasi.services import assessments_recompute
from apps.regions.models import Level, Region
from apps.regions.selectors import regency_codes_under

JENIS_ALIASES = {
    "ksp": Jenis.KSP,
    "simpan pinjam": Jenis.KSP,
    "koperasi simpan pinjam": Jenis.KSP,
    "ksu": Jenis.KSU,
    "serba usaha": Jenis.KSU,
    "koperasi serba usaha": Jenis.KSU,
    **{name: Jenis(name) for name in ("produsen", "konsumen", "jasa", "pemasaran")},
    **{f"koperasi {name}": Jenis(name) for name in ("produsen", "konsumen", "jasa", "pemasaran")},
}


def normalize_region_code(text: str) -> str:
    """`3303012001` → `33.03.01.2001` (codes exported without dots); dotted codes are kept."""
    s = text.strip()
    if s.isdigit() and len(s) in (4, 6, 10):
        parts = [s[0:2], s[2:4], s[4:6], s[6:10]]
        return ".".join(p for p in parts if p)
    return s


KOPERASI_FIELDS = [
    "nama",
    "jenis",
    "tanggal_badan_hukum",
    "regency_id",
    "district_id",
    "village_id",
    "alamat",
    "tanggal_pembubaran",
]


def _koperasi_state(k: Koperasi) -> RecordState:
    return RecordState(
        record_type="koperasi.koperasi",
        record_id=str(k.pk),
        record_repr=f"{k.nomor_badan_hukum} {k.nama}"[:200],
        regency_codes=frozenset([k.regency_id] if k.regency_id else []),
        values={name: getattr(k, name) for name in KOPERASI_FIELDS},
    )


def _allowed_regencies(actor: Actor | None, options: dict[str, Any]) -> set[str] | None:
    """Regencies an import may touch: the uploader's regions on the web, `--regency` on the command
    line when given; None means every regency (the command line without it, administrators)."""

    allowed = user_regency_codes(actor) if getattr(actor, "is_authenticated", False) else None
    if options.get("regency"):
        wanted = regency_codes_under({str(options["regency"])})
        allowed = wanted if allowed is None else allowed & wanted
    return allowed


@register_importer
class KoperasiImporter(Importer):
    kind = "koperasi"
    label = gettext_lazy("Registri koperasi")  # type: ignore[assignment]
    columns = {
        "nomor_badan_hukum": True,
        "nama": True,
        "jenis": True,
        "tanggal_badan_hukum": True,
        "kode_wilayah": True,
        "alamat": False,
        "tanggal_pembubaran": False,
    }
    aliases = {"no badan hukum": "nomor_badan_hukum", "nomor bh": "nomor_badan_hukum", "nama koperasi": "nama"}
    batch_size = 1000
    scope_column = "nomor_badan_hukum"

    def records_touched(self, rows: list[tuple[int, Any]]) -> dict[int, list[RecordState]]:
        """The cooperative a row names, wherever it is registered: one of another regency is refused
        (as its page is), and every created or changed one is audited."""
        nomors = [clean["nomor_badan_hukum"] for _n, clean in rows]
        found = Koperasi.objects.only("pk", "nomor_badan_hukum", *KOPERASI_FIELDS).in_bulk(
            nomors, field_name="nomor_badan_hukum"
        )
        return {
            n: [_koperasi_state(found[clean["nomor_badan_hukum"]])]
            for n, clean in rows
            if clean["nomor_badan_hukum"] in found
        }

    def prepare(self) -> None:
        self.allowed = _allowed_regencies(self.actor, self.options)
        self.today = timezone.localdate()
        self.regions: dict[str, dict[str, int]] = {}
        self.seen: dict[str, int] = {}
        self.row_counter = 0

    def _region_levels(self, regency_code: str) -> dict[str, int]:
        """Codes under a regency (itself included) with their level, loaded once per regency."""
        if regency_code not in self.regions:
            self.regions[regency_code] = dict(
                Region.objects.filter(code__startswith=regency_code).values_list("code", "level")
            )
        return self.regions[regency_code]

    def validate(self, row: dict[str, str]) -> tuple[Any, list[RowError]]:
        self.row_counter += 1
        errors: list[RowError] = []
        clean: dict[str, Any] = {}
        nomor = row.get("nomor_badan_hukum", "").strip()
        if not nomor:
            errors.append(RowError("nomor_badan_hukum", _("nomor badan hukum wajib diisi")))
        elif len(nomor) > 80:
            errors.append(RowError("nomor_badan_hukum", _("nomor badan hukum paling panjang 80 karakter")))
        elif nomor in self.seen:
            errors.append(
                RowError(
                    "nomor_badan_hukum",
                    _("nomor badan hukum %(n)s sudah ada di baris data ke-%(r)s berkas ini")
                    % {"n": nomor, "r": self.seen[nomor]},
                )
            )
        else:
            self.seen[nomor] = self.row_counter
        clean["nomor_badan_hukum"] = nomor

        nama = " ".join(row.get("nama", "").split())
        if not nama:
            errors.append(RowError("nama", _("nama koperasi wajib diisi")))
        elif len(nama) > 200:
            errors.append(RowError("nama", _("nama paling panjang 200 karakter")))
        clean["nama"] = nama

        jenis_text = " ".join(row.get("jenis", "").lower().split())
        jenis = JENIS_ALIASES.get(jenis_text)
        if jenis is None:
            errors.append(
                RowError(
                    "jenis",
                    _("jenis koperasi tidak dikenal: %(v)s (pilihan: KSP, KSU, produsen, konsumen, jasa, pemasaran)")
                    % {"v": row.get("jenis", "")},
                )
            )
        clean["jenis"] = jenis

        tgl_bh = self._date(row, "tanggal_badan_hukum", errors, required=True)
        clean["tanggal_badan_hukum"] = tgl_bh
        tgl_bubar = self._date(row, "tanggal_pembubaran", errors, required=False)
        if tgl_bubar and tgl_bh and tgl_bubar < tgl_bh:
            errors.append(
                RowError("tanggal_pembubaran", _("tanggal pembubaran tidak boleh sebelum tanggal badan hukum"))
            )
        clean["tanggal_pembubaran"] = tgl_bubar

        code = normalize_region_code(row.get("kode_wilayah", ""))
        clean.update(regency_id=None, district_id=None, village_id=None)
        parts = code.split(".")
        if len(parts) < 2 or not code:
            errors.append(
                RowError(
                    "kode_wilayah",
                    _("kode wilayah harus kode kabupaten, kecamatan atau desa (contoh 33.03.01.2001): %(v)s")
                    % {"v": code},
                )
            )
        else:
            regency = ".".join(parts[:2])
            levels = self._region_levels(regency)
            level = levels.get(code)
            if level is None or level < Level.REGENCY:
                errors.append(RowError("kode_wilayah", _("kode wilayah tidak dikenal: %(v)s") % {"v": code}))
            elif self.allowed is not None and regency not in self.allowed:
                errors.append(
                    RowError("kode_wilayah", _("wilayah %(v)s di luar wilayah yang boleh diimpor") % {"v": regency})
                )
            else:
                clean["regency_id"] = regency
                if level >= Level.DISTRICT:
                    clean["district_id"] = ".".join(parts[:3])
                if level == Level.VILLAGE:
                    clean["village_id"] = code

        alamat = " ".join(row.get("alamat", "").split())
        if len(alamat) > 300:
            errors.append(RowError("alamat", _("alamat paling panjang 300 karakter")))
        clean["alamat"] = alamat
        return clean, errors

    def _date(self, row: dict[str, str], column: str, errors: list[RowError], *, required: bool) -> date | None:
        text = row.get(column, "").strip()
        if not text:
            if required:
                errors.append(RowError(column, _("%(c)s wajib diisi") % {"c": column}))
            return None
        try:
            value = parse_date(text)
        except ValueError as exc:
            errors.append(RowError(column, str(exc)))
            return None
        if value > self.today:
            errors.append(RowError(column, _("tanggal tidak boleh di masa depan: %(v)s") % {"v": text}))
            return None
        return value

    def write_batch(self, rows: list[tuple[int, Any]]) -> Counts:
        counts = Counts()
        nomors = [clean["nomor_badan_hukum"] for _n, clean in rows]
        existing = Koperasi.objects.in_bulk(nomors, field_name="nomor_badan_hukum")
        to_create: list[Koperasi] = []
        to_update: list[Koperasi] = []
        for _n, clean in rows:
            obj = existing.get(clean["nomor_badan_hukum"])
            if obj is None:
                to_create.append(Koperasi(**clean))
                continue
            changed = False
            for name in KOPERASI_FIELDS:
                if getattr(obj, name) != clean[name]:
                    setattr(obj, name, clean[name])
                    changed = True
            if changed:
                to_update.append(obj)
            else:
                counts.unchanged += 1
        Koperasi.objects.bulk_create(to_create)
        if to_update:
            now = timezone.now()
            for obj in to_update:
                obj.updated_at = now
            Koperasi.objects.bulk_update(to_update, [*KOPERASI_FIELDS, "updated_at"])
        counts.created += len(to_create)
        counts.updated += len(to_update)
        return counts


# Every column of the template except the two that identify the row.
LAPORAN_VALUE_COLUMNS = ["tanggal_rat", "jumlah_anggota", *FINANCIAL_FIELDS[:-1], "skor_manajemen", "volume_usaha"]


@register_importer
class LaporanKoperasiImporter(Importer):
    """One row per cooperative per book year. A column missing from the file leaves that field as
    it is; an empty cell clears it (the file is the truth for the columns it has). Importing a row
    (re)computes that year's assessment with the current table when the figures it needs are there."""

    kind = "laporan_koperasi"
    label = gettext_lazy("Laporan tahunan (RAT) koperasi")  # type: ignore[assignment]
    columns = {"nomor_badan_hukum": True, "tahun_buku": True, **dict.fromkeys(LAPORAN_VALUE_COLUMNS, False)}
    # what each column is: the annual report's own field of that name (its label), money in rupiah
    column_docs = {
        name: ColumnDoc(
            LaporanTahunan._meta.get_field(name).verbose_name,  # type: ignore[union-attr]
            *(
                ("2020-03-14", DATE)
                if name == "tanggal_rat"
                else ("250", WHOLE)
                if name == "jumlah_anggota"
                else ("12,5", gettext_lazy("angka 0 sampai 15, paling banyak dua desimal (koma atau titik)"))
                if name == "skor_manajemen"
                else ("125.000.000", RUPIAH)
            ),
        )
        for name in LAPORAN_VALUE_COLUMNS
    }
    batch_size = 1000
    scope_column = "nomor_badan_hukum"

    def records_touched(self, rows: list[tuple[int, Any]]) -> dict[int, list[RecordState]]:
        """The annual report a row writes (cooperatives outside the importer's regions are refused in
        `validate`, as unknown); every created or changed report is audited with its figures."""
        wanted = {(clean["koperasi_id"], clean["tahun_buku"]): n for n, clean in rows}
        found = LaporanTahunan.objects.filter(
            koperasi_id__in={k for k, _t in wanted}, tahun_buku__in={t for _k, t in wanted}
        ).select_related("koperasi")
        result: dict[int, list[RecordState]] = {}
        for lap in found:
            n = wanted.get((lap.koperasi_id, lap.tahun_buku))
            if n is None:
                continue
            result[n] = [
                RecordState(
                    record_type="koperasi.laporantahunan",
                    record_id=str(lap.pk),
                    record_repr=f"{lap.koperasi.nomor_badan_hukum} {lap.tahun_buku}"[:200],
                    regency_codes=frozenset([lap.koperasi.regency_id] if lap.koperasi.regency_id else []),
                    values={name: getattr(lap, name) for name in ["status", *LAPORAN_VALUE_COLUMNS]},
                )
            ]
        return result

    def prepare(self) -> None:
        allowed = _allowed_regencies(self.actor, self.options)
        qs = Koperasi.objects.all()
        if allowed is not None:
            qs = qs.filter(regency_id__in=allowed)
        self.koperasi = dict(qs.values_list("nomor_badan_hukum", "pk"))
        self.today = timezone.localdate()
        self.seen: dict[tuple[int, int], int] = {}
        self.row_counter = 0

    def validate(self, row: dict[str, str]) -> tuple[Any, list[RowError]]:
        self.row_counter += 1
        errors: list[RowError] = []
        values: dict[str, Any] = {}
        nomor = row.get("nomor_badan_hukum", "").strip()
        koperasi_id = self.koperasi.get(nomor)
        if not nomor:
            errors.append(RowError("nomor_badan_hukum", _("nomor badan hukum wajib diisi")))
        elif koperasi_id is None:
            errors.append(
                RowError(
                    "nomor_badan_hukum",
                    _("koperasi dengan nomor badan hukum %(n)s belum terdaftar (impor templat koperasi lebih dulu)")
                    % {"n": nomor},
                )
            )
        tahun: int | None = None
        try:
            tahun = parse_int(row.get("tahun_buku", ""), minimum=1945, maximum=self.today.year)
        except ValueError as exc:
            errors.append(RowError("tahun_buku", _("tahun buku %(e)s") % {"e": exc}))
        if koperasi_id is not None and tahun is not None:
            key = (koperasi_id, tahun)
            if key in self.seen:
                errors.append(
                    RowError(
                        "tahun_buku",
                        _("laporan tahun buku %(t)s koperasi ini sudah ada di baris data ke-%(r)s berkas ini")
                        % {"t": tahun, "r": self.seen[key]},
                    )
                )
            else:
                self.seen[key] = self.row_counter

        for column in row:
            if column in ("nomor_badan_hukum", "tahun_buku"):
                continue
            text = row[column].strip()
            if not text:
                values[column] = None
                continue
            try:
                values[column] = self._parse(column, text, tahun)
            except ValueError as exc:
                errors.append(RowError(column, str(exc)))
        return {"koperasi_id": koperasi_id, "tahun_buku": tahun, "values": values}, errors

    def _parse(self, column: str, text: str, tahun: int | None) -> Any:
        if column == "tanggal_rat":
            value = parse_date(text)
            if tahun is not None and value < date(tahun, 1, 1):
                raise ValueError(_("tanggal RAT %(v)s sebelum awal tahun buku %(t)s") % {"v": text, "t": tahun})
            if value > self.today:
                raise ValueError(_("tanggal RAT tidak boleh di masa depan: %(v)s") % {"v": text})
            return value
        if column == "jumlah_anggota":
            return parse_int(text, minimum=0)
        if column == "skor_manajemen":
            try:
                score = Decimal(text.replace(",", "."))
            except InvalidOperation:
                raise ValueError(_("skor manajemen harus angka 0–15: %(v)s") % {"v": text})
            if not score.is_finite() or score < 0 or score > 15 or score != score.quantize(Decimal("0.01")):
                raise ValueError(_("skor manajemen harus angka 0–15 (paling banyak 2 desimal): %(v)s") % {"v": text})
            return score
        amount = parse_rupiah(text)
        if amount < 0 and column not in SIGNED_FIELDS:
            raise ValueError(_("tidak boleh negatif: %(v)s") % {"v": text})
        if abs(amount) >= 10**17:
            raise ValueError(_("nilai terlalu besar: %(v)s") % {"v": text})
        return amount

    def write_batch(self, rows: list[tuple[int, Any]]) -> Counts:
        counts = Counts()
        koperasi_ids = {clean["koperasi_id"] for _n, clean in rows}
        years = {clean["tahun_buku"] for _n, clean in rows}
        koperasi = Koperasi.objects.in_bulk(list(koperasi_ids))
        existing = {
            (lap.koperasi_id, lap.tahun_buku): lap
            for lap in LaporanTahunan.objects.filter(koperasi_id__in=koperasi_ids, tahun_buku__in=years)
        }
        to_create: list[LaporanTahunan] = []
        to_update: list[LaporanTahunan] = []
        update_fields: set[str] = set()
        for _n, clean in rows:
            values = clean["values"]
            lap = existing.get((clean["koperasi_id"], clean["tahun_buku"]))
            if lap is None:
                lap = LaporanTahunan(
                    koperasi_id=clean["koperasi_id"],
                    tahun_buku=clean["tahun_buku"],
                    status=ReportStatus.DITERIMA,
                    sumber=ReportSource.IMPOR,
                    **values,
                )
                lap.koperasi = koperasi[clean["koperasi_id"]]
                to_create.append(lap)
                continue
            changed = [name for name, value in values.items() if getattr(lap, name) != value]
            if lap.status != ReportStatus.DITERIMA:
                changed += ["status", "sumber"]
                lap.status, lap.sumber = ReportStatus.DITERIMA, ReportSource.IMPOR
            if not changed:
                counts.unchanged += 1
                continue
            for name in changed:
                if name in values:
                    setattr(lap, name, values[name])
            update_fields.update(changed)
            lap.koperasi = koperasi[clean["koperasi_id"]]
            to_update.append(lap)
        LaporanTahunan.objects.bulk_create(to_create)
        if to_update:
            now = timezone.now()
            for lap in to_update:
                lap.updated_at = now
            LaporanTahunan.objects.bulk_update(to_update, [*sorted(update_fields), "updated_at"])
        counts.created += len(to_create)
        counts.updated += len(to_update)
        if to_create or to_update:
            assessments_recompute(laporan_list=[*to_create, *to_update], actor=self.actor)
        return counts
