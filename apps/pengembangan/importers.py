"""Import template `uji_kompetensi` (SPEC §11): results of tests held elsewhere, and history.

`nomor_badan_hukum, nik, nama, jabatan, tanggal_uji, hasil (kompeten|belum_kompeten)`, keyed on
(cooperative, NIK, test date). A manager unknown to the cooperative is registered (NIK encrypted); a
known one keeps the name and position the cooperative gave. A kompeten result is valid for
`DEFAULT_VALIDITY_MONTHS` from the test date, like a certificate issued here. A result decided in a
session of this system is never overwritten by a file (the row is rejected with the reason). Every
created or changed result leaves an audit entry; a row the same as the stored result changes nothing.
"""

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.selectors import user_regency_codes
from apps.audit.services import audit_log
from apps.core.actors import Actor
from apps.core.nik import nik_errors, nik_hash
from apps.imports.framework import Counts, Importer, RowError, register_importer
from apps.imports.parsing import parse_date
from apps.koperasi.models import Koperasi
from apps.pengembangan.models import Jabatan, Manager, Result, ResultSource
from apps.pengembangan.ujikom_rules import valid_until
from apps.regions.models import Level, Region
from apps.regions.selectors import regency_codes_under

DEFAULT_VALIDITY_MONTHS = 36

JABATAN_ALIASES = {
    **{v: v for v in Jabatan.values},
    **{str(label).lower(): value for value, label in Jabatan.choices},
    "manager": Jabatan.MANAJER,
    "ketua pengurus": Jabatan.KETUA,
    "sekretaris pengurus": Jabatan.SEKRETARIS,
    "bendahara pengurus": Jabatan.BENDAHARA,
    "ketua pengawas": Jabatan.PENGAWAS,
    "anggota pengawas": Jabatan.PENGAWAS,
}
HASIL_ALIASES = {"kompeten": True, "belum_kompeten": False, "belum kompeten": False}


def _allowed_regencies(actor: Actor | None, options: dict[str, Any]) -> set[str] | None:
    """The uploader's regions on the web; `--regency` on the command line when given; None = all."""

    allowed = user_regency_codes(actor) if getattr(actor, "is_authenticated", False) else None
    if options.get("regency"):
        wanted = regency_codes_under({str(options["regency"])})
        allowed = wanted if allowed is None else allowed & wanted
    return allowed


@register_importer
class UjiKompetensiImporter(Importer):
    kind = "uji_kompetensi"
    label = gettext_lazy("Hasil uji kompetensi pengelola koperasi")  # type: ignore[assignment]
    columns = {
        "nomor_badan_hukum": True,
        "nik": True,
        "nama": True,
        "jabatan": True,
        "tanggal_uji": True,
        "hasil": True,
    }
    aliases = {"no badan hukum": "nomor_badan_hukum", "tanggal": "tanggal_uji", "nama pengelola": "nama"}
    batch_size = 500
    scope_note = (
        "cooperatives are looked up only within the uploader's regencies in prepare(), so a row for another "
        "regency's cooperative is refused in validate(); write_batch audits every record it writes"
    )

    def prepare(self) -> None:

        allowed = _allowed_regencies(self.actor, self.options)
        qs = Koperasi.objects.all()
        if allowed is not None:
            qs = qs.filter(regency_id__in=allowed)
        self.koperasi = {
            nomor: (pk, regency) for nomor, pk, regency in qs.values_list("nomor_badan_hukum", "pk", "regency_id")
        }
        self.district_codes = set(Region.objects.filter(level=Level.DISTRICT).values_list("code", flat=True))
        self.today = timezone.localdate()
        self.session_keys = set(
            Result.objects.filter(sumber=ResultSource.SESI).values_list(
                "manager__koperasi_id", "manager__nik_hash", "tanggal_uji"
            )
        )
        self.seen: dict[tuple[Any, str, date | None], int] = {}
        self.row_counter = 0

    def validate(self, row: dict[str, str]) -> tuple[Any, list[RowError]]:
        self.row_counter += 1
        errors: list[RowError] = []
        clean: dict[str, Any] = {}

        nomor = row.get("nomor_badan_hukum", "").strip()
        found = self.koperasi.get(nomor)
        if not nomor:
            errors.append(RowError("nomor_badan_hukum", _("nomor badan hukum wajib diisi")))
        elif found is None:
            errors.append(
                RowError(
                    "nomor_badan_hukum",
                    _("koperasi dengan nomor badan hukum %(n)s tidak ada di registri (atau di luar wilayah Anda)")
                    % {"n": nomor},
                )
            )
        else:
            clean["koperasi_id"], clean["regency_id"] = found

        nik = "".join(row.get("nik", "").split())
        nik_problems = nik_errors(nik, self.district_codes)
        errors.extend(RowError("nik", p) for p in nik_problems)
        clean["nik"] = nik

        nama = " ".join(row.get("nama", "").split())
        if not nama:
            errors.append(RowError("nama", _("nama wajib diisi")))
        elif len(nama) > 150:
            errors.append(RowError("nama", _("nama paling panjang 150 karakter")))
        clean["nama"] = nama

        jabatan_text = " ".join(row.get("jabatan", "").lower().split())
        jabatan = JABATAN_ALIASES.get(jabatan_text)
        if jabatan is None:
            errors.append(
                RowError(
                    "jabatan",
                    _("jabatan tidak dikenal: %(v)s (pilihan: ketua, sekretaris, bendahara, manajer, pengawas)")
                    % {"v": row.get("jabatan", "")},
                )
            )
        clean["jabatan"] = jabatan

        text = row.get("tanggal_uji", "").strip()
        tanggal = None
        if not text:
            errors.append(RowError("tanggal_uji", _("tanggal uji wajib diisi")))
        else:
            try:
                tanggal = parse_date(text)
            except ValueError as exc:
                errors.append(RowError("tanggal_uji", str(exc)))
            else:
                if tanggal > self.today:
                    errors.append(
                        RowError("tanggal_uji", _("tanggal uji tidak boleh di masa depan: %(v)s") % {"v": text})
                    )
                    tanggal = None
        clean["tanggal_uji"] = tanggal

        hasil_text = " ".join(row.get("hasil", "").lower().split())
        if hasil_text not in HASIL_ALIASES:
            errors.append(
                RowError("hasil", _("hasil harus kompeten atau belum_kompeten: %(v)s") % {"v": row.get("hasil", "")})
            )
        clean["kompeten"] = HASIL_ALIASES.get(hasil_text)

        if not errors:
            key = (clean["koperasi_id"], nik_hash(nik), tanggal)
            if key in self.seen:
                errors.append(
                    RowError(
                        "tanggal_uji",
                        _("hasil uji pengelola ini pada tanggal ini sudah ada di baris data ke-%(r)s berkas ini")
                        % {"r": self.seen[key]},
                    )
                )
            elif key in self.session_keys:
                errors.append(
                    RowError(
                        "tanggal_uji",
                        _("hasil uji ini ditetapkan asesor dalam sesi uji di sistem; berkas impor tidak mengubahnya"),
                    )
                )
            else:
                self.seen[key] = self.row_counter
            clean["nik_hash"] = key[1]
        return clean, errors

    def write_batch(self, rows: list[tuple[int, Any]]) -> Counts:
        counts = Counts()
        pairs = {(c["koperasi_id"], c["nik_hash"]) for _n, c in rows}
        managers = {
            (m.koperasi_id, m.nik_hash): m
            for m in Manager.objects.filter(koperasi_id__in={k for k, _h in pairs}, nik_hash__in={h for _k, h in pairs})
        }
        results = {
            (r.manager_id, r.tanggal_uji): r
            for r in Result.objects.filter(
                manager__in=[m.pk for m in managers.values()], tanggal_uji__in={c["tanggal_uji"] for _n, c in rows}
            )
        }
        actor = self.actor
        for _n, c in rows:
            manager = managers.get((c["koperasi_id"], c["nik_hash"]))
            if manager is None:
                manager = Manager(koperasi_id=c["koperasi_id"], nama=c["nama"], jabatan=c["jabatan"])
                manager.set_nik(c["nik"])
                manager.save()
                managers[(c["koperasi_id"], c["nik_hash"])] = manager
                audit_log(
                    actor=actor,
                    action="pengelola.import",
                    obj=manager,
                    changes={"nama": manager.nama, "jabatan": manager.jabatan, "nik": manager.nik_masked},
                    regency_code=c["regency_id"],
                )
            berlaku = valid_until(c["tanggal_uji"], DEFAULT_VALIDITY_MONTHS) if c["kompeten"] else None
            existing = results.get((manager.pk, c["tanggal_uji"]))
            if existing is None:
                result = Result.objects.create(
                    manager=manager,
                    tanggal_uji=c["tanggal_uji"],
                    jabatan=c["jabatan"],
                    kompeten=c["kompeten"],
                    sumber=ResultSource.IMPOR,
                    berlaku_sampai=berlaku,
                )
                counts.created += 1
                audit_log(
                    actor=actor,
                    action="ujikom_hasil.import",
                    obj=result,
                    changes={"tanggal_uji": c["tanggal_uji"], "kompeten": c["kompeten"], "jabatan": c["jabatan"]},
                    regency_code=c["regency_id"],
                )
                continue
            new = {"jabatan": c["jabatan"], "kompeten": c["kompeten"], "berlaku_sampai": berlaku}
            changes = {k: [getattr(existing, k), v] for k, v in new.items() if getattr(existing, k) != v}
            if not changes:
                counts.unchanged += 1
                continue
            for k, v in new.items():
                setattr(existing, k, v)
            existing.save(update_fields=[*new, "updated_at"])
            counts.updated += 1
            audit_log(
                actor=actor, action="ujikom_hasil.import", obj=existing, changes=changes, regency_code=c["regency_id"]
            )
        return counts
