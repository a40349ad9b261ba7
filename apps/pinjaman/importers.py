"""The bank's files (SPEC §9): `pinjaman`, `angsuran` and `hapus_buku`, on the shared import framework.

Bank files record facts: a loan outside its scheme's limits is kept and flagged; only unreadable rows
and unknown schemes or accounts are rejected. Every import is idempotent (loans keyed on the account
number, repayments on account + transaction number) and leaves an audit entry per record written.
"""

from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.selectors import user_regency_codes
from apps.audit.services import audit_log
from apps.core.actors import Actor
from apps.core.formatting import rupiah
from apps.core.nik import nik_errors, nik_hash, nik_mask
from apps.core.roles import STAFF, Role
from apps.imports.framework import Counts, Importer, RecordState, RowError, register_importer
from apps.imports.models import ImportRun
from apps.imports.parsing import parse_date, parse_int, parse_rupiah
from apps.pinjaman.models import Loan, Repayment, Scheme
from apps.pinjaman.services import loan_schedule_generate, loans_recompute
from apps.regions.models import Level, Region
from apps.umkm.models import Business, Owner
from apps.umkm.rules import normalize_business_name


def normalize_region_code(text: str) -> str:
    """`3303012001` → `33.03.01.2001`; dotted codes are kept."""
    s = text.strip()
    if s.isdigit() and len(s) in (4, 6, 10):
        return ".".join(p for p in (s[0:2], s[2:4], s[4:6], s[6:10]) if p)
    return s


def _allowed_regencies(actor: Actor | None) -> set[str] | None:
    """The regencies a web uploader may touch (the command line and administrators: all)."""
    if not getattr(actor, "is_authenticated", False):
        return None
    officer = getattr(actor, "bank_officer", None) if getattr(actor, "role", "") == Role.BANK else None
    if officer is not None:
        return {officer.bank.regency_id}
    return user_regency_codes(actor)


def _account(row: dict[str, str], errors: list[RowError]) -> str:
    account = " ".join(row.get("nomor_rekening", "").split())
    if not account:
        errors.append(RowError("nomor_rekening", _("nomor rekening wajib diisi")))
    elif len(account) > 40:
        errors.append(RowError("nomor_rekening", _("nomor rekening paling panjang 40 karakter")))
    return account


def _date(row: dict[str, str], column: str, errors: list[RowError]) -> date | None:
    text = row.get(column, "").strip()
    if not text:
        errors.append(RowError(column, _("%(c)s wajib diisi") % {"c": column}))
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        errors.append(RowError(column, str(exc)))
        return None


def _amount(row: dict[str, str], column: str, errors: list[RowError]) -> int | None:
    text = row.get(column, "").strip()
    if not text:
        errors.append(RowError(column, _("%(c)s wajib diisi") % {"c": column}))
        return None
    try:
        value = parse_rupiah(text)
    except ValueError as exc:
        errors.append(RowError(column, str(exc)))
        return None
    if value <= 0:
        errors.append(RowError(column, _("harus lebih dari nol: %(v)s") % {"v": text}))
        return None
    if value >= 10**15:
        errors.append(RowError(column, _("nilai terlalu besar: %(v)s") % {"v": text}))
        return None
    return value


LOAN_FIELDS = [
    "scheme_id",
    "regency_id",
    "district_id",
    "village_id",
    "region_code_text",
    "nik_hash",
    "debtor_name",
    "gender",
    "nib",
    "business_name",
    "disbursed_on",
    "plafon",
    "tenor_months",
    "flags",
]
SCHEDULE_FIELDS = {"disbursed_on", "plafon", "tenor_months", "scheme_id"}


@register_importer
class PinjamanImporter(Importer):
    kind = "pinjaman"
    scope_column = "nomor_rekening"
    audits_records = True  # write_batch audits every loan it creates or changes

    def records_touched(self, rows: list[tuple[int, Any]]) -> dict[int, list[RecordState]]:
        """The loan an account number already names, wherever it is: another regency's loan is refused
        (issue #15), as its page would refuse the uploader."""
        found = Loan.objects.in_bulk([clean["account_number"] for _n, clean in rows], field_name="account_number")
        return {
            n: [
                RecordState(
                    record_type="pinjaman.loan",
                    record_id=str(found[clean["account_number"]].pk),
                    record_repr=clean["account_number"],
                    regency_codes=frozenset([found[clean["account_number"]].regency_id]),
                    values={},
                )
            ]
            for n, clean in rows
            if clean["account_number"] in found
        }

    label = gettext_lazy("Pinjaman Kredit Mawar (berkas bank)")  # type: ignore[assignment]
    columns = {
        "nomor_rekening": True,
        "skema": True,
        "nik": True,
        "nama_debitur": True,
        "jenis_kelamin": False,
        "nib": False,
        "nama_usaha": False,
        "kode_wilayah": False,
        "tanggal_pencairan": True,
        "plafon": True,
        "jangka_waktu_bulan": True,
    }
    aliases = {
        "no rekening": "nomor_rekening",
        "norek": "nomor_rekening",
        "kode skema": "skema",
        "nama": "nama_debitur",
    }
    roles = (*STAFF, Role.BANK)
    batch_size = 500

    def prepare(self) -> None:
        self.allowed = _allowed_regencies(self.actor)
        self.schemes = {s.code.upper(): s for s in Scheme.objects.all()}
        self.district_codes = set(Region.objects.filter(level=Level.DISTRICT).values_list("code", flat=True))
        self.regions: dict[str, dict[str, int]] = {}
        self.unmatched: set[str] = set()

    def finish(self, run: ImportRun) -> None:
        """Count the loans whose debtor is not in the UMKM registry (kept; listed for matching)."""
        if self.unmatched:
            run.refresh_from_db()
            run.warnings = [
                *run.warnings,
                _("%(n)s pinjaman dengan debitur yang belum cocok dengan registri UMKM (daftar: menu Kredit Mawar)")
                % {"n": len(self.unmatched)},
            ]
            run.save(update_fields=["warnings"])

    def _region_levels(self, regency_code: str) -> dict[str, int]:
        if regency_code not in self.regions:
            self.regions[regency_code] = dict(
                Region.objects.filter(code__startswith=regency_code).values_list("code", "level")
            )
        return self.regions[regency_code]

    def validate(self, row: dict[str, str]) -> tuple[Any, list[RowError]]:
        errors: list[RowError] = []
        flags: list[str] = []
        clean: dict[str, Any] = {"account_number": _account(row, errors)}
        code = row.get("skema", "").strip().upper()
        scheme = self.schemes.get(code)
        if scheme is None:
            errors.append(
                RowError(
                    "skema",
                    _("skema tidak dikenal: %(v)s (yang ada: %(k)s)")
                    % {"v": row.get("skema", ""), "k": ", ".join(sorted(self.schemes))},
                )
            )
        elif self.allowed is not None and scheme.regency_id not in self.allowed:
            errors.append(RowError("skema", _("skema %(v)s di luar wilayah yang boleh diimpor") % {"v": scheme.code}))
        clean["scheme"] = scheme

        nik = "".join(row.get("nik", "").split())
        if len(nik) != 16 or not nik.isdigit():
            errors.append(RowError("nik", _("NIK harus 16 digit angka")))
        else:
            flags += [_("NIK: %(e)s") % {"e": e} for e in nik_errors(nik, self.district_codes)]
        clean["nik"] = nik

        name = " ".join(row.get("nama_debitur", "").split())
        if not name:  # a fact missing from the bank's row: kept, flagged
            flags.append(_("nama debitur kosong"))
        clean["debtor_name"] = name[:150]
        gender = row.get("jenis_kelamin", "").strip().upper()[:1]
        if gender and gender not in ("L", "P"):
            flags.append(_("jenis kelamin bukan L/P: %(v)s") % {"v": row.get("jenis_kelamin", "")})
            gender = ""
        clean["gender"] = gender
        nib = "".join(row.get("nib", "").split())
        if nib and (len(nib) != 13 or not nib.isdigit()):
            flags.append(_("NIB bukan 13 digit: %(v)s") % {"v": nib})
            nib = ""
        clean["nib"] = nib
        clean["business_name"] = " ".join(row.get("nama_usaha", "").split())[:200]

        disbursed = _date(row, "tanggal_pencairan", errors)
        clean["disbursed_on"] = disbursed
        plafon = _amount(row, "plafon", errors)
        clean["plafon"] = plafon
        tenor: int | None = None
        if not row.get("jangka_waktu_bulan", "").strip() and scheme is not None:
            tenor = scheme.tenor_months  # not given: the scheme's tenor, flagged below
            flags.append(_("jangka waktu kosong: dipakai jangka waktu skema"))
        else:
            try:
                tenor = parse_int(row.get("jangka_waktu_bulan", ""), minimum=1, maximum=360)
            except ValueError as exc:
                errors.append(RowError("jangka_waktu_bulan", _("jangka waktu %(e)s") % {"e": exc}))
        clean["tenor_months"] = tenor

        region_text = row.get("kode_wilayah", "").strip()
        clean.update(region_code_text=region_text[:20], district_id=None, village_id=None)
        if scheme is not None:
            clean["regency_id"] = scheme.regency_id
            region = normalize_region_code(region_text)
            parts = region.split(".")
            level = self._region_levels(".".join(parts[:2])).get(region) if len(parts) >= 2 else None
            if not region_text:
                flags.append(_("kode wilayah kosong"))
            elif level is None:
                flags.append(_("kode wilayah tidak dikenal: %(v)s") % {"v": region_text})
            elif ".".join(parts[:2]) != scheme.regency_id:
                flags.append(_("domisili %(v)s di luar kabupaten skema %(k)s") % {"v": region, "k": scheme.regency_id})
            else:
                if level >= Level.DISTRICT:
                    clean["district_id"] = ".".join(parts[:3])
                if level == Level.VILLAGE:
                    clean["village_id"] = region
            if tenor is not None and tenor != scheme.tenor_months:
                flags.append(
                    _("jangka waktu %(n)s bulan berbeda dari skema (%(s)s bulan)")
                    % {"n": tenor, "s": scheme.tenor_months}
                )
            if plafon is not None and plafon < scheme.first_loan_floor:
                flags.append(
                    _("plafon %(p)s di bawah batas skema %(b)s")
                    % {"p": rupiah(plafon), "b": rupiah(scheme.first_loan_floor)}
                )
            if plafon is not None and plafon > scheme.repeat_loan_ceiling:
                flags.append(
                    _("plafon %(p)s di atas batas pinjaman ulang %(b)s")
                    % {"p": rupiah(plafon), "b": rupiah(scheme.repeat_loan_ceiling)}
                )
        clean["flags"] = flags
        return clean, errors

    def write_batch(self, rows: list[tuple[int, Any]]) -> Counts:

        counts = Counts()
        accounts = [clean["account_number"] for _n, clean in rows]
        existing = Loan.objects.in_bulk(accounts, field_name="account_number")
        hashes = {nik_hash(clean["nik"]) for _n, clean in rows}
        owners = {o.nik_hash: o for o in Owner.objects.filter(nik_hash__in=hashes)}
        nibs = {clean["nib"] for _n, clean in rows if clean["nib"]}
        by_nib = {b.nib: b for b in Business.objects.filter(nib__in=nibs)} if nibs else {}
        by_owner: dict[int, list[Business]] = {}
        for candidate in Business.objects.filter(owner__in=list(owners.values())):
            by_owner.setdefault(candidate.owner_id, []).append(candidate)
        earlier = {(h, d) for h, d in Loan.objects.filter(nik_hash__in=hashes).values_list("nik_hash", "disbursed_on")}
        changed_ids: list[int] = []
        for _n, clean in rows:
            scheme: Scheme = clean["scheme"]
            digest = nik_hash(clean["nik"])
            owner = owners.get(digest)
            business: Business | None = by_nib.get(clean["nib"]) if clean["nib"] else None
            if business is None and owner is not None:
                wanted = normalize_business_name(clean["business_name"]) if clean["business_name"] else ""
                candidates = by_owner.get(owner.pk, [])
                business = next((b for b in candidates if b.name_normalized == wanted), None)
                if business is None and len(candidates) == 1 and not wanted:
                    business = candidates[0]
            flags = list(clean["flags"])
            repeat = any(h == digest and d < clean["disbursed_on"] for h, d in earlier)
            if not repeat and clean["plafon"] > scheme.first_loan_ceiling:
                flags.append(
                    _("plafon %(p)s di atas batas pinjaman pertama %(b)s")
                    % {"p": rupiah(clean["plafon"]), "b": rupiah(scheme.first_loan_ceiling)}
                )
            if owner is None:
                flags.append(_("debitur belum cocok dengan registri UMKM"))
                self.unmatched.add(clean["account_number"])
            values = {
                "scheme_id": scheme.pk,
                "regency_id": clean["regency_id"],
                "district_id": clean["district_id"],
                "village_id": clean["village_id"],
                "region_code_text": clean["region_code_text"],
                "nik_hash": digest,
                "debtor_name": clean["debtor_name"],
                "gender": clean["gender"],
                "nib": clean["nib"],
                "business_name": clean["business_name"],
                "disbursed_on": clean["disbursed_on"],
                "plafon": clean["plafon"],
                "tenor_months": clean["tenor_months"],
                "flags": flags,
            }
            loan = existing.get(clean["account_number"])
            if loan is None:
                loan = Loan(account_number=clean["account_number"], **values)
                loan.set_nik(clean["nik"])
                loan.owner, loan.business = owner, business
                loan.save()
                existing[loan.account_number] = loan
                loan_schedule_generate(loan=loan)
                audit_log(
                    actor=self.actor,
                    action="pinjaman.impor",
                    obj=loan,
                    changes={"skema": scheme.code, "plafon": loan.plafon, "tanggal_pencairan": loan.disbursed_on},
                )
                earlier.add((digest, clean["disbursed_on"]))
                changed_ids.append(loan.pk)
                counts.created += 1
                continue
            changes = {
                name: [getattr(loan, name), value] for name, value in values.items() if getattr(loan, name) != value
            }
            if owner is not None and loan.owner_id is None:
                changes["owner_id"] = [None, owner.pk]
            if business is not None and loan.business_id is None:
                changes["business_id"] = [None, business.pk]
            if not changes:
                counts.unchanged += 1
                continue
            for name, (_before, after) in changes.items():
                setattr(loan, name, after)
            if "nik_hash" in changes:
                loan.set_nik(clean["nik"])
            loan.save()
            if SCHEDULE_FIELDS & changes.keys():
                loan_schedule_generate(loan=loan)
            audit_log(
                actor=self.actor,
                action="pinjaman.impor",
                obj=loan,
                changes={k: v for k, v in changes.items() if k != "nik_hash"}
                | ({"nik": [None, nik_mask(clean["nik"])]} if "nik_hash" in changes else {}),
            )
            changed_ids.append(loan.pk)
            counts.updated += 1
        loans_recompute(loan_ids=changed_ids)
        return counts


class _AccountImporter(Importer):
    """Rows that name an existing loan by its account number, within the uploader's regions."""

    roles = (*STAFF, Role.BANK)
    scope_note = (
        "loans are looked up only within the uploader's regencies in prepare(), so a row naming another "
        "regency's loan is refused in validate(); write_batch audits every repayment or write-off it writes"
    )

    def prepare(self) -> None:
        allowed = _allowed_regencies(self.actor)
        qs = Loan.objects.all()
        if allowed is not None:
            qs = qs.filter(regency_id__in=allowed)
        self.loans = {a: (pk, d) for a, pk, d in qs.values_list("account_number", "pk", "disbursed_on")}
        self.touched: set[int] = set()

    def _loan(self, account: str, errors: list[RowError]) -> tuple[int, date] | None:
        if not account:
            return None
        found = self.loans.get(account)
        if found is None:
            errors.append(
                RowError(
                    "nomor_rekening",
                    _("rekening %(a)s tidak dikenal (impor berkas pinjaman lebih dulu)") % {"a": account},
                )
            )
        return found


@register_importer
class AngsuranImporter(_AccountImporter):
    kind = "angsuran"
    label = gettext_lazy("Pembayaran angsuran Kredit Mawar (berkas bank)")  # type: ignore[assignment]
    columns = {"nomor_rekening": True, "nomor_transaksi": True, "tanggal_bayar": True, "jumlah": True}
    aliases = {"no rekening": "nomor_rekening", "no transaksi": "nomor_transaksi", "tanggal": "tanggal_bayar"}
    batch_size = 2000

    def validate(self, row: dict[str, str]) -> tuple[Any, list[RowError]]:
        errors: list[RowError] = []
        account = _account(row, errors)
        loan = self._loan(account, errors)
        number = " ".join(row.get("nomor_transaksi", "").split())
        if not number:
            errors.append(RowError("nomor_transaksi", _("nomor transaksi wajib diisi")))
        elif len(number) > 60:
            errors.append(RowError("nomor_transaksi", _("nomor transaksi paling panjang 60 karakter")))
        paid_on = _date(row, "tanggal_bayar", errors)
        amount = _amount(row, "jumlah", errors)
        return {"loan_id": loan[0] if loan else None, "number": number, "paid_on": paid_on, "amount": amount}, errors

    def write_batch(self, rows: list[tuple[int, Any]]) -> Counts:
        counts = Counts()
        # the same transaction twice in a file is one transaction: the later row wins
        latest: dict[tuple[int, str], dict[str, Any]] = {}
        for _n, clean in rows:
            latest[(clean["loan_id"], clean["number"])] = clean
        existing = {
            (r.loan_id, r.transaction_number): r
            for r in Repayment.objects.filter(
                loan_id__in={k[0] for k in latest}, transaction_number__in={k[1] for k in latest}
            ).select_related("loan")
        }
        loans = Loan.objects.in_bulk({k[0] for k in latest})
        counts.unchanged += len(rows) - len(latest)
        for key, clean in latest.items():
            repayment = existing.get(key)
            loan = loans[clean["loan_id"]]
            if repayment is None:
                repayment = Repayment.objects.create(
                    loan=loan, transaction_number=clean["number"], paid_on=clean["paid_on"], amount=clean["amount"]
                )
                counts.created += 1
                changes: dict[str, Any] = {"tanggal_bayar": clean["paid_on"], "jumlah": clean["amount"]}
            elif repayment.paid_on != clean["paid_on"] or repayment.amount != clean["amount"]:
                changes = {
                    "tanggal_bayar": [repayment.paid_on, clean["paid_on"]],
                    "jumlah": [repayment.amount, clean["amount"]],
                }
                repayment.paid_on, repayment.amount = clean["paid_on"], clean["amount"]
                repayment.save(update_fields=["paid_on", "amount"])
                counts.updated += 1
            else:
                counts.unchanged += 1
                continue
            audit_log(
                actor=self.actor,
                action="pinjaman.angsuran_impor",
                obj=loan,
                changes={"nomor_transaksi": clean["number"], **changes},
            )
            self.touched.add(loan.pk)
        loans_recompute(loan_ids=sorted({k[0] for k in latest}))
        return counts

    def finish(self, run: ImportRun) -> None:
        """List the repayments refused for exceeding what is left of their loan (decided over each
        loan's whole sequence, so a payment dated earlier in a later file is taken into account)."""
        if not self.touched:
            return
        messages = loans_recompute(loan_ids=sorted(self.touched))
        if messages:
            run.refresh_from_db()
            run.warnings = [*run.warnings, *messages[:200]]
            if len(messages) > 200:
                run.warnings.append(_("… dan %(n)s pembayaran lain ditolak") % {"n": len(messages) - 200})
            run.save(update_fields=["warnings"])


@register_importer
class HapusBukuImporter(_AccountImporter):
    kind = "hapus_buku"
    label = gettext_lazy("Hapus buku Kredit Mawar (berkas bank)")  # type: ignore[assignment]
    columns = {"nomor_rekening": True, "tanggal_hapus_buku": True}
    aliases = {"no rekening": "nomor_rekening", "tanggal": "tanggal_hapus_buku"}
    batch_size = 1000

    def validate(self, row: dict[str, str]) -> tuple[Any, list[RowError]]:
        errors: list[RowError] = []
        loan = self._loan(_account(row, errors), errors)
        written_off = _date(row, "tanggal_hapus_buku", errors)
        return {"loan_id": loan[0] if loan else None, "written_off_on": written_off}, errors

    def write_batch(self, rows: list[tuple[int, Any]]) -> Counts:
        counts = Counts()
        latest = {clean["loan_id"]: clean["written_off_on"] for _n, clean in rows}
        counts.unchanged += len(rows) - len(latest)
        loans = Loan.objects.in_bulk(list(latest))
        changed: list[int] = []
        for loan_id, written_off in latest.items():
            loan = loans[loan_id]
            if loan.written_off_on == written_off:
                counts.unchanged += 1
                continue
            before = loan.written_off_on
            loan.written_off_on = written_off
            loan.save(update_fields=["written_off_on", "updated_at"])
            audit_log(
                actor=self.actor,
                action="pinjaman.hapus_buku",
                obj=loan,
                changes={"tanggal_hapus_buku": [before, written_off]},
            )
            changed.append(loan_id)
            if before is None:
                counts.created += 1
            else:
                counts.updated += 1
        loans_recompute(loan_ids=changed)
        return counts
