"""The audit log as an inspector reads it: who (name and role), what (a sentence, not a key), which record
(its kind and name, not `umkm.owner#464`), and each change as "field: before → after" with labels and
formatted values (never a Python repr). Entries are stored as written; this only presents them.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.formatting import number_id, rupiah, tanggal, wib

# The verbs of `entity.verb` actions, as the past participle an inspector reads.
VERBS: dict[str, Any] = {
    "create": gettext_lazy("dibuat"),
    "update": gettext_lazy("diubah"),
    "approve": gettext_lazy("disetujui"),
    "reject": gettext_lazy("ditolak"),
    "submit": gettext_lazy("diajukan"),
    "delist": gettext_lazy("diturunkan"),
    "relist": gettext_lazy("ditayangkan kembali"),
    "verify": gettext_lazy("diverifikasi"),
    "suspend": gettext_lazy("ditangguhkan"),
    "reinstate": gettext_lazy("dipulihkan"),
    "apply": gettext_lazy("mendaftar"),
    "enrol": gettext_lazy("didaftarkan dinas"),
    "cancel": gettext_lazy("dibatalkan"),
    "expire": gettext_lazy("kedaluwarsa"),
    "ship": gettext_lazy("dikirim"),
    "process": gettext_lazy("diproses"),
    "complete": gettext_lazy("selesai"),
    "export": gettext_lazy("diekspor"),
    "reveal": gettext_lazy("dibuka (NIK lengkap dilihat)"),
    "map": gettext_lazy("dipetakan"),
    "record": gettext_lazy("dicatat"),
    "reverse": gettext_lazy("dibalik"),
}

# Whole actions whose sentence is not "<record kind> <verb>".
ACTIONS: dict[str, Any] = {
    "nik.reveal": gettext_lazy("NIK lengkap dilihat"),
    "payment.checkout": gettext_lazy("Pesanan dibuat dan menunggu pembayaran"),
    "payment.upload_proof": gettext_lazy("Bukti transfer diunggah"),
    "payment.reject_proof": gettext_lazy("Bukti transfer ditolak"),
    "payment.verify": gettext_lazy("Transfer diverifikasi"),
    "payment.gateway_paid": gettext_lazy("Dibayar lewat gerbang pembayaran"),
    "payment.paid_late": gettext_lazy("Dibayar setelah batas waktu"),
    "product.price_checked": gettext_lazy("Perubahan harga besar diperiksa kurator"),
    "product.photo_add": gettext_lazy("Foto produk ditambahkan"),
    "product.photo_delete": gettext_lazy("Foto produk dihapus"),
    "variant.set_stock": gettext_lazy("Stok varian diubah"),
    "seller.member_add": gettext_lazy("Pengguna toko ditambahkan"),
    "seller.member_remove": gettext_lazy("Pengguna toko dihapus"),
    "umkm.business_update": gettext_lazy("Data usaha diubah"),
    "umkm.business_year_update": gettext_lazy("Data tahunan usaha diubah"),
    "umkm.export": gettext_lazy("Registri UMKM diekspor"),
    "user.register": gettext_lazy("Akun pembeli didaftarkan"),
    "user.update_access": gettext_lazy("Peran atau wilayah pengguna diubah"),
    "import.alias": gettext_lazy("Alias kolom impor ditambahkan"),
    "job.enqueue": gettext_lazy("Tugas latar dimulai"),
    "koperasi.assessment_compute": gettext_lazy("Penilaian kesehatan dihitung"),
    "koperasi.laporan_accept": gettext_lazy("Laporan tahunan koperasi diterima"),
    "koperasi.laporan_return": gettext_lazy("Laporan tahunan koperasi dikembalikan"),
    "koperasi.laporan_submit": gettext_lazy("Laporan tahunan koperasi dikirim"),
    "koperasi.pembubaran_start": gettext_lazy("Proses pembubaran dimulai"),
    "koperasi.pembubaran_keberatan": gettext_lazy("Keberatan atas pembubaran dicatat"),
    "koperasi.pembubaran_keputusan_keberatan": gettext_lazy("Keputusan atas keberatan dicatat"),
    "koperasi.pembubaran_keputusan": gettext_lazy("Keputusan pembubaran dicatat"),
    "koperasi.pembubaran_hapus": gettext_lazy("Koperasi dihapus dari daftar umum"),
    "koperasi.pengurus_link": gettext_lazy("Pengurus koperasi dihubungkan"),
    "koperasi.scoring_table_change": gettext_lazy("Tabel penilaian diubah"),
    "koperasi.scoring_component_change": gettext_lazy("Komponen tabel penilaian diubah"),
    "koperasi.scoring_table_delete": gettext_lazy("Tabel penilaian dihapus"),
    "omzet.map": gettext_lazy("Produk marketplace dipetakan ke katalog"),
    "omzet.offline_record": gettext_lazy("Penjualan luring dicatat"),
    "omzet.offline_cancel": gettext_lazy("Penjualan luring dibatalkan"),
}

GUEST_NAMES = {"AnonymousUser", ""}
_MONEY_WORDS = ("harga", "omzet", "nilai", "jumlah_rp", "total", "ongkir", "ongkos", "modal", "plafon", "amount")


def _model(record_type: str) -> Any:
    try:
        return apps.get_model(record_type)
    except (LookupError, ValueError):
        return None


def record_kind(record_type: str) -> str:
    """`store.product` → `Produk`; an unknown type stays as it is."""
    model = _model(record_type)
    if model is None:
        return record_type
    return str(model._meta.verbose_name).capitalize()


def action_sentence(action: str, record_type: str = "") -> str:
    if action in ACTIONS:
        return str(ACTIONS[action])
    entity, _dot, verb = action.partition(".")
    if verb.startswith("import") or entity == "import":
        return _("Impor data: %(kind)s") % {"kind": verb or entity}
    verb_text = VERBS.get(verb.split("_")[-1]) if verb else None
    if verb_text is None:
        return action
    kind = record_kind(record_type) if record_type else entity
    return f"{kind} {verb_text}"


def _field(model: Any, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def field_label(model: Any, name: str) -> str:
    field = _field(model, name)
    if field is not None and getattr(field, "verbose_name", None):
        return str(field.verbose_name).capitalize()
    return name.replace("_", " ").capitalize()


def value_text(value: Any, *, field: Any = None, key: str = "") -> str:
    """A stored value as a person reads it: choices by their label, money as rupiah, dates long-form."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    choices = dict(getattr(field, "flatchoices", None) or []) if field is not None else {}
    if choices and value in choices:
        return str(choices[value])
    if isinstance(value, int):
        if any(word in key.lower() for word in _MONEY_WORDS):
            return rupiah(value)
        return number_id(value) if abs(value) >= 10_000 else str(value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {value_text(v, key=str(k))}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(value_text(v, key=key) for v in value)
    if isinstance(value, str) and len(value) in (10, 19, 25, 32) and value[:4].isdigit() and value[4:5] == "-":
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return value
        return tanggal(parsed.date()) if len(value) == 10 else wib(parsed)
    if isinstance(value, date):
        return tanggal(value)
    return str(value)


@dataclass(frozen=True)
class ChangeLine:
    label: str
    before: str | None  # None: a single value, not a change
    after: str


def change_lines(record_type: str, changes: dict[str, Any]) -> list[ChangeLine]:
    model = _model(record_type)
    lines = []
    for key, value in (changes or {}).items():
        field = _field(model, key)
        label = field_label(model, key)
        if isinstance(value, list) and len(value) == 2 and not isinstance(value[0], list | tuple):
            before, after = (value_text(v, field=field, key=key) for v in value)
            lines.append(ChangeLine(label, before, after))
        else:
            lines.append(ChangeLine(label, None, value_text(value, field=field, key=key)))
    return lines


def actor_text(entry: Any) -> str:
    """`Siti Rahayu (Operator dinas)`; a guest buyer is `Pembeli tamu`, the system `Sistem`."""
    user = entry.actor
    if user is not None:
        name = user.get_full_name() or user.get_username()
        role = user.get_role_display() if getattr(user, "role", "") else ""
        return f"{name} ({role})" if role else name
    if entry.actor_name in GUEST_NAMES:
        return _("Pembeli tamu (tidak masuk)")
    if entry.actor_name.lower() in ("sistem", "system"):
        return _("Sistem")
    return entry.actor_name


def origin_text(entry: Any) -> str:
    """`web · 10.0.0.5` (the browser's user-agent is kept in the record, not shown in the list)."""
    description = (entry.origin or "").split(" ")[0]
    label = {"web": _("web"), "sistem": _("sistem"), "cli": _("baris perintah")}.get(description, description)
    return " · ".join(p for p in (label, entry.origin_ip or "") if p)


def present(entry: Any) -> dict[str, Any]:
    return {
        "entry": entry,
        "actor": actor_text(entry),
        "action": action_sentence(entry.action, entry.record_type),
        "kind": record_kind(entry.record_type),
        "changes": change_lines(entry.record_type, entry.changes),
        "origin": origin_text(entry),
    }
