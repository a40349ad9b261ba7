"""`import_data penjualan FILE --channel shopee|tokopedia|bukalapak [--regency 33.03]` (SPEC §6, §8).

One import kind reads three export layouts, chosen by the `channel` option: each marketplace has its
own canonical column names (those of SPEC §6), its own built-in header aliases, its "completed"
status, value rule and counting date. Operators add aliases on `/impor/penjualan/alias/`.

Each exported row updates one marketplace line keyed on (channel, order number, SKU or product name);
the ledger follows through `omzet_record_sale` / `omzet_record_return`, so overlapping exports and
re-imports never double count.
"""

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.selectors import user_can_see_regency, user_regency_codes
from apps.core.actors import Actor
from apps.imports.framework import Counts, Importer, RecordState, RowError, register_importer
from apps.imports.parsing import parse_datetime_wib, parse_int, parse_rupiah
from apps.imports.readers import FileUnreadable
from apps.omzet.models import MarketplaceLine, MarketplaceState, ProductMapping
from apps.omzet.services import channel_for, marketplace_line_apply
from apps.regions.models import Level, Region
from apps.store.models import Variant

# Statuses that end a line without a sale (before or after completion): cancelled, refused, returned.
_CANCELLED_RE = re.compile(r"batal|kembali|pengembalian|retur|refund|tolak|gagal|return|cancel", re.IGNORECASE)


# What exports write in a cell that has no value (e.g. the completion time of an order not completed).
_EMPTY = {"", "-", "–", "—"}


@dataclass(frozen=True)
class ExportFormat:
    """One marketplace's export: canonical columns (name → required), built-in aliases, and the
    name of each field the importer reads."""

    columns: dict[str, bool]
    aliases: dict[str, str]
    completed_status: str
    order: str
    status: str
    product: str
    quantity: str
    price: str
    date: str  # the counting date: completion, else payment or transaction date
    sku: tuple[str, ...] = ()  # matched against the catalogue in this order
    variation: str = ""
    returned: str = ""
    fallback_date: str = ""


FORMATS: dict[str, ExportFormat] = {
    "shopee": ExportFormat(
        columns={
            "No. Pesanan": True,
            "Status Pesanan": True,
            "Waktu Pesanan Dibuat": True,
            "Waktu Pesanan Selesai": False,
            "SKU Induk": False,
            "Nomor Referensi SKU": False,
            "Nama Produk": True,
            "Nama Variasi": False,
            "Harga Awal": False,
            "Harga Setelah Diskon": True,
            "Jumlah": True,
            "Returned quantity": False,
            "Total Harga Produk": False,
            "Ongkos Kirim Dibayar oleh Pembeli": False,
            "Total Pembayaran": False,
            "Kota/Kabupaten": False,
            "Provinsi": False,
        },
        aliases={
            "No Pesanan": "No. Pesanan",
            "Nomor Pesanan": "No. Pesanan",
            "Order ID": "No. Pesanan",
            "Order Status": "Status Pesanan",
            "Waktu Pembuatan Pesanan": "Waktu Pesanan Dibuat",
            "Order Creation Date": "Waktu Pesanan Dibuat",
            "Waktu Selesai": "Waktu Pesanan Selesai",
            "Order Complete Time": "Waktu Pesanan Selesai",
            "Parent SKU Reference No.": "SKU Induk",
            "SKU": "Nomor Referensi SKU",
            "SKU Reference No.": "Nomor Referensi SKU",
            "Product Name": "Nama Produk",
            "Variation Name": "Nama Variasi",
            "Deal Price": "Harga Setelah Diskon",
            "Harga Setelah Diskon (IDR)": "Harga Setelah Diskon",
            "Quantity": "Jumlah",
            "Jumlah Produk di Pesan": "Jumlah",
            "Jumlah Produk Dipesan": "Jumlah",
            "Jumlah Dikembalikan": "Returned quantity",
            "Jumlah Produk Dikembalikan": "Returned quantity",
        },
        completed_status="Selesai",
        order="No. Pesanan",
        status="Status Pesanan",
        product="Nama Produk",
        variation="Nama Variasi",
        quantity="Jumlah",
        returned="Returned quantity",
        price="Harga Setelah Diskon",
        date="Waktu Pesanan Selesai",
        fallback_date="Waktu Pesanan Dibuat",
        sku=("Nomor Referensi SKU", "SKU Induk"),
    ),
    "tokopedia": ExportFormat(
        columns={
            "Nomor Invoice": True,
            "Tanggal Pembayaran": True,
            "Status Terakhir": True,
            "Nama Barang": True,
            "Nomor SKU": False,
            "Jumlah Barang": True,
            "Harga Jual (IDR)": True,
            "Ongkos Kirim (IDR)": False,
            "Total Penjualan (IDR)": False,
        },
        aliases={
            "Invoice": "Nomor Invoice",
            "No. Invoice": "Nomor Invoice",
            "Nomor Pesanan": "Nomor Invoice",
            "Payment Date": "Tanggal Pembayaran",
            "Tanggal Bayar": "Tanggal Pembayaran",
            "Status": "Status Terakhir",
            "Status Pesanan": "Status Terakhir",
            "Nama Produk": "Nama Barang",
            "Product Name": "Nama Barang",
            "SKU": "Nomor SKU",
            "Jumlah Produk": "Jumlah Barang",
            "Quantity": "Jumlah Barang",
            "Harga Jual": "Harga Jual (IDR)",
            "Harga Produk (IDR)": "Harga Jual (IDR)",
        },
        completed_status="Pesanan Selesai",
        order="Nomor Invoice",
        status="Status Terakhir",
        product="Nama Barang",
        quantity="Jumlah Barang",
        price="Harga Jual (IDR)",
        date="Tanggal Pembayaran",
        sku=("Nomor SKU",),
    ),
    "bukalapak": ExportFormat(
        columns={
            "ID Transaksi": True,
            "Tanggal": True,
            "Status": True,
            "Nama Barang": True,
            "SKU": False,
            "Jumlah": True,
            "Harga Satuan": True,
            "Ongkos Kirim": False,
            "Total": False,
        },
        aliases={
            "No. Transaksi": "ID Transaksi",
            "Nomor Transaksi": "ID Transaksi",
            "Invoice": "ID Transaksi",
            "Tanggal Transaksi": "Tanggal",
            "Waktu Transaksi": "Tanggal",
            "Status Transaksi": "Status",
            "Nama Produk": "Nama Barang",
            "Kode SKU": "SKU",
            "Kuantitas": "Jumlah",
            "Qty": "Jumlah",
            "Harga": "Harga Satuan",
            "Harga Barang": "Harga Satuan",
        },
        completed_status="Selesai",
        order="ID Transaksi",
        status="Status",
        product="Nama Barang",
        quantity="Jumlah",
        price="Harga Satuan",
        date="Tanggal",
        sku=("SKU",),
    ),
}
MARKETPLACE_CODES = tuple(FORMATS)


def normalize_name(text: str) -> str:
    return " ".join(text.split()).casefold()


def marketplace_state(channel_code: str, status: str) -> MarketplaceState:
    """The status rule of SPEC §6: only the channel's own completed status counts."""
    if normalize_name(status) == normalize_name(FORMATS[channel_code].completed_status):
        return MarketplaceState.COMPLETED
    if _CANCELLED_RE.search(status):
        return MarketplaceState.CANCELLED
    return MarketplaceState.IN_PROCESS


def _key(channel_code: str, order: str, line_key: str) -> str:
    key = f"{channel_code}:{order}:{line_key}"
    if len(key) > 240:
        key = f"{channel_code}:{order}:#{hashlib.sha1(line_key.encode()).hexdigest()[:20]}"
    return key


class PenjualanOptionsForm(forms.Form):
    channel = forms.ChoiceField(
        label=gettext_lazy("Marketplace"),
        choices=[("shopee", "Shopee"), ("tokopedia", "Tokopedia"), ("bukalapak", "Bukalapak (riwayat)")],
        help_text=gettext_lazy(
            "Setiap marketplace memakai kolom ekspornya sendiri; kolom wajib — Shopee: No. Pesanan, Status "
            "Pesanan, Waktu Pesanan Dibuat, Nama Produk, Harga Setelah Diskon, Jumlah. Tokopedia: Nomor Invoice, "
            "Tanggal Pembayaran, Status Terakhir, Nama Barang, Jumlah Barang, Harga Jual (IDR). Bukalapak: ID "
            "Transaksi, Tanggal, Status, Nama Barang, Jumlah, Harga Satuan."
        ),
    )
    regency = forms.ChoiceField(label=gettext_lazy("Kabupaten/kota"), required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

        codes = user_regency_codes(user) if user is not None else None
        qs = Region.objects.filter(level=Level.REGENCY).order_by("code")
        if codes is not None:
            qs = qs.filter(code__in=codes)
        choices = [(r.code, f"{r.code} {r.name}") for r in qs]
        field = self.fields["regency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        if len(choices) == 1:
            field.initial = choices[0][0]
            field.required = True


@register_importer
class PenjualanImporter(Importer):
    kind = "penjualan"
    label = gettext_lazy("Penjualan marketplace (Shopee, Tokopedia, Bukalapak)")  # type: ignore[assignment]
    # Every layout's columns, for the alias page; an instance reads only its channel's.
    columns: ClassVar[dict[str, bool]] = {c: False for fmt in FORMATS.values() for c in fmt.columns}

    @classmethod
    def template_layouts(cls) -> list[tuple[str, dict[str, bool]]]:
        """One sheet per marketplace: the columns of its own export, which is uploaded as it is."""
        return [(code.capitalize(), dict(fmt.columns)) for code, fmt in FORMATS.items()]

    options_form = PenjualanOptionsForm
    batch_size = 500

    def __init__(self, *, options: dict[str, Any], actor: Actor | None) -> None:
        super().__init__(options=options, actor=actor)
        code = str(options.get("channel") or "").strip().lower()
        if code not in FORMATS:
            raise FileUnreadable(
                _("Pilih marketplace dengan --channel: %(codes)s") % {"codes": "|".join(MARKETPLACE_CODES)}
            )
        regency = str(options.get("regency") or settings.TUKATUKU_DEFAULT_REGENCY)
        if not Region.objects.filter(code=regency, level=Level.REGENCY).exists():
            raise FileUnreadable(_("Kode kabupaten/kota tidak dikenal: %(c)s") % {"c": regency})
        if getattr(actor, "is_authenticated", False) and not user_can_see_regency(actor, regency):
            raise FileUnreadable(_("Anda tidak ditugaskan di wilayah %(c)s.") % {"c": regency})
        self.channel_code = code
        self.regency_code = regency
        self.format = FORMATS[code]
        self.columns = self.format.columns  # type: ignore[misc]
        self.aliases = self.format.aliases  # type: ignore[misc]

    def options_key(self) -> str:
        return f"{self.channel_code}:{self.regency_code}"

    scope_column = "nomor pesanan"
    AUDITED = ("regency_id", "status", "state", "quantity", "returned_quantity", "unit_price", "counted_at")

    def record_scope(self) -> set[str] | None:
        """Lines are written into the run's regency: a line another regency already holds (the same
        order line exported by another regency's shop, or a forged one) is never moved or changed."""
        return {self.regency_code} if self.scope is None else {self.regency_code} & self.scope

    def records_touched(self, rows: list[tuple[int, Any]]) -> dict[int, list[RecordState]]:
        keys = {clean["source_key"]: n for n, clean in rows}
        return {
            keys[line.source_key]: [
                RecordState(
                    record_type="omzet.marketplaceline",
                    record_id=str(line.pk),
                    record_repr=f"{line.order_number} {line.line_key}"[:200],
                    regency_codes=frozenset([line.regency_id]),
                    values={
                        **{f: getattr(line, f) for f in self.AUDITED},
                        "variant_id": line.variant_id,
                        "amount": line.unit_price * (line.quantity - line.returned_quantity),
                    },
                )
            ]
            for line in MarketplaceLine.objects.filter(source_key__in=list(keys))
        }

    def prepare(self) -> None:
        self.channel = channel_for(regency_code=self.regency_code, code=self.channel_code, actor=self.actor)

    def validate(self, row: dict[str, str]) -> tuple[Any, list[RowError]]:
        fmt = self.format
        errors: list[RowError] = []

        def need(column: str) -> str:
            value = (row.get(column) or "").strip()
            if not value:
                errors.append(RowError(column, _("wajib diisi")))
            return value

        def parsed(column: str, parse: Callable[[str], Any], *, default: Any = None) -> Any:
            text = (row.get(column) or "").strip()
            if text in _EMPTY:
                return default
            try:
                return parse(text)
            except ValueError as exc:
                errors.append(RowError(column, str(exc)))
                return default

        order = need(fmt.order)
        status = need(fmt.status)
        name = need(fmt.product)
        variation = (row.get(fmt.variation) or "").strip() if fmt.variation else ""
        skus = [s for s in ((row.get(c) or "").strip() for c in fmt.sku) if s]
        quantity = parsed(fmt.quantity, lambda t: parse_int(t, minimum=1))
        if quantity is None and not any(e.column == fmt.quantity for e in errors):
            errors.append(RowError(fmt.quantity, _("wajib diisi")))
        returned = parsed(fmt.returned, lambda t: parse_int(t, minimum=0), default=0) if fmt.returned else 0
        price = parsed(fmt.price, parse_rupiah)
        if price is None and not any(e.column == fmt.price for e in errors):
            errors.append(RowError(fmt.price, _("wajib diisi")))
        elif price is not None and price < 0:
            errors.append(RowError(fmt.price, _("harga tidak boleh negatif")))
        if quantity is not None and returned is not None and returned > quantity:
            errors.append(RowError(fmt.returned, _("jumlah dikembalikan melebihi jumlah")))
        counted_at: datetime | None = parsed(fmt.date, parse_datetime_wib)
        if counted_at is None and fmt.fallback_date:
            counted_at = parsed(fmt.fallback_date, parse_datetime_wib)
        state = marketplace_state(self.channel_code, status) if status else MarketplaceState.IN_PROCESS
        if state == MarketplaceState.COMPLETED and counted_at is None and not errors:
            errors.append(RowError(fmt.date, _("pesanan selesai tanpa tanggal")))
        if errors:
            return None, errors
        product_name = f"{name} ({variation})" if variation else name
        line_key = skus[0] if fmt.sku and (row.get(fmt.sku[0]) or "").strip() else normalize_name(product_name)
        return {
            "order_number": order[:80],
            "line_key": line_key[:300],
            "source_key": _key(self.channel_code, order, line_key),
            "match_key": (f"sku:{skus[0]}" if skus else f"nama:{normalize_name(product_name)}")[:300],
            "skus": skus,
            "sku": (skus[0] if skus else "")[:100],
            "product_name": product_name[:255],
            "status": status[:100],
            "state": state,
            "quantity": quantity,
            "returned_quantity": returned,
            "unit_price": price,
            "counted_at": counted_at,
        }, []

    def write_batch(self, rows: list[tuple[int, Any]]) -> Counts:
        cleans = [clean for _n, clean in rows]
        skus = {s for c in cleans for s in c["skus"]}
        catalogue = {
            v.sku: v
            for v in Variant.objects.filter(sku__in=skus, product__seller__regency_id=self.regency_code).select_related(
                "product__seller"
            )
        }
        mapped = {
            m.match_key: m.variant
            for m in ProductMapping.objects.filter(
                channel=self.channel, match_key__in={c["match_key"] for c in cleans}
            ).select_related("variant__product__seller")
        }
        existing = {
            line.source_key: line
            for line in MarketplaceLine.objects.filter(source_key__in=[c["source_key"] for c in cleans]).select_related(
                "channel", "variant__product__seller"
            )
        }
        counts = Counts()
        for clean in cleans:
            variant = next((catalogue[s] for s in clean["skus"] if s in catalogue), None) or mapped.get(
                clean["match_key"]
            )
            values = {k: v for k, v in clean.items() if k != "skus"}
            values.update({"regency_id": self.regency_code, "variant": variant})
            line, outcome = marketplace_line_apply(
                existing=existing.get(clean["source_key"]), channel=self.channel, values=values, actor=self.actor
            )
            existing[line.source_key] = line
            setattr(counts, outcome, getattr(counts, outcome) + 1)
        return counts
