"""`import_data penjualan` per SPEC §6: formats, counting rules, overlapping exports, attribution."""

import csv
import json
import tempfile
from datetime import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from apps.audit.models import AuditEntry
from apps.core.formatting import WIB
from apps.imports.framework import run_import
from apps.imports.models import HeaderAlias
from apps.imports.readers import FileUnreadable
from apps.omzet.importers import FORMATS, marketplace_state
from apps.omzet.models import MarketplaceLine, MarketplaceState, OmzetLine, ProductMapping
from apps.omzet.services import product_mapping_set
from apps.omzet.tests.factories import make_seller, make_variant

pytestmark = pytest.mark.django_db

SHOPEE = list(FORMATS["shopee"].columns)
TOKOPEDIA = list(FORMATS["tokopedia"].columns)
BUKALAPAK = list(FORMATS["bukalapak"].columns)


def shopee_row(order, status, done, sku, name, price, qty, returned="0", created="2019-11-01 10:00", variation=""):
    return [order, status, created, done, "", sku, name, variation, price, price, qty, returned, "", "", "", "", ""]


def write_csv(path, header, rows):
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def write_xlsx(path, header, rows):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Laporan")
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def imp(path, channel, regency=None):
    options = {"channel": channel} | ({"regency": regency} if regency else {})
    return run_import(kind="penjualan", path=path, options=options).run.summary


def kpi(year=2019, as_of="2020-03-09", regency="33.03"):
    """The omzet figures exactly as `manage.py kpi_report --format json` prints them."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "kpi.json"
        call_command("kpi_report", regency=regency, year=year, as_of=as_of, format="json", output=str(target))
        data = json.loads(target.read_text(encoding="utf-8"))
    return data["tukatuku_omzet_kumulatif"], data["tukatuku_omzet_tahun"]


# --- rules as tables ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [("Rp12.500", 12500), ("12.500", 12500), ("12500", 12500), ("12500.0", 12500), ("Rp 1.250.000", 1250000)],
)
def test_amount_formats(tmp_path, text, value):
    path = write_csv(tmp_path / "b.csv", BUKALAPAK, [["BL1", "2019-11-02 14:05", "Selesai", "Gula", "", "2", text]])
    imp(path, "bukalapak")
    assert OmzetLine.objects.get().amount == 2 * value


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2019-11-02 14:05", datetime(2019, 11, 2, 14, 5, tzinfo=WIB)),
        ("02-11-2019 14:05", datetime(2019, 11, 2, 14, 5, tzinfo=WIB)),
        ("02/11/2019", datetime(2019, 11, 2, 0, 0, tzinfo=WIB)),
    ],
)
def test_date_formats(tmp_path, text, expected):
    path = write_csv(tmp_path / "b.csv", BUKALAPAK, [["BL1", text, "Selesai", "Gula", "", "1", "1000"]])
    imp(path, "bukalapak")
    assert OmzetLine.objects.get().counted_at == expected


@pytest.mark.parametrize(
    "channel, status, state",
    [
        ("shopee", "Selesai", MarketplaceState.COMPLETED),
        ("shopee", " selesai ", MarketplaceState.COMPLETED),
        ("shopee", "Sedang Dikirim", MarketplaceState.IN_PROCESS),
        ("shopee", "Perlu Dikirim", MarketplaceState.IN_PROCESS),
        ("shopee", "Batal", MarketplaceState.CANCELLED),
        ("shopee", "Pengembalian Barang/Dana", MarketplaceState.CANCELLED),
        ("tokopedia", "Pesanan Selesai", MarketplaceState.COMPLETED),
        ("tokopedia", "Selesai", MarketplaceState.IN_PROCESS),
        ("tokopedia", "Pesanan Dikirim", MarketplaceState.IN_PROCESS),
        ("tokopedia", "Pesanan Dibatalkan", MarketplaceState.CANCELLED),
        ("bukalapak", "Selesai", MarketplaceState.COMPLETED),
        ("bukalapak", "Dikirim", MarketplaceState.IN_PROCESS),
        ("bukalapak", "Dibatalkan", MarketplaceState.CANCELLED),
        ("bukalapak", "Refund", MarketplaceState.CANCELLED),
    ],
)
def test_status_rules(channel, status, state):
    assert marketplace_state(channel, status) == state


@pytest.mark.parametrize(
    "row, column",
    [
        (["BL1", "2019-13-45", "Selesai", "Gula", "", "1", "1000"], "Tanggal"),
        (["BL1", "2019-11-02", "Selesai", "Gula", "", "0", "1000"], "Jumlah"),
        (["BL1", "2019-11-02", "Selesai", "Gula", "", "1", "12.5"], "Harga Satuan"),
        (["BL1", "2019-11-02", "Selesai", "Gula", "", "1", ""], "Harga Satuan"),
        (["", "2019-11-02", "Selesai", "Gula", "", "1", "1000"], "ID Transaksi"),
        (["BL1", "", "Selesai", "Gula", "", "1", "1000"], "Tanggal"),
    ],
)
def test_bad_rows_rejected_with_row_and_column(tmp_path, row, column):
    path = write_csv(tmp_path / "b.csv", BUKALAPAK, [row, ["BL2", "2019-11-02", "Selesai", "Teh", "", "1", "500"]])
    assert imp(path, "bukalapak") == "rows: 2, created: 1, updated: 0, unchanged: 0, rejected: 1"
    with (tmp_path / "b.galat.csv").open(encoding="utf-8-sig") as fh:
        errors = list(csv.reader(fh))
    assert errors[1][:2] == ["2", column]
    assert OmzetLine.objects.get().amount == 500


def test_shopee_value_is_discounted_price_times_kept_quantity(tmp_path):
    path = write_csv(
        tmp_path / "s.csv",
        SHOPEE,
        [shopee_row("S1", "Selesai", "2019-11-05 09:00", "K-1", "Keripik", "Rp12.500", "4", returned="1")],
    )
    imp(path, "shopee")
    assert sorted(OmzetLine.objects.values_list("source_key", "amount", "quantity")) == [
        ("shopee:S1:K-1", 50000, 4),
        ("shopee:S1:K-1:retur", -12500, -1),
    ]
    assert kpi() == (37500, 37500)


def test_dash_means_no_completion_time(tmp_path):
    rows = [
        shopee_row("S1", "Sedang Dikirim", "-", "K-1", "Keripik", "1000", "1"),
        shopee_row("S2", "Selesai", "-", "K-1", "Keripik", "1000", "1", created="02/11/2019"),
    ]
    assert imp(write_csv(tmp_path / "s.csv", SHOPEE, rows), "shopee") == (
        "rows: 2, created: 2, updated: 0, unchanged: 0, rejected: 0"
    )
    assert kpi() == (1000, 1000)


def test_shopee_completed_without_completion_time_counts_on_creation(tmp_path):
    path = write_csv(
        tmp_path / "s.csv",
        SHOPEE,
        [shopee_row("S1", "Selesai", "", "K-1", "Keripik", "1000", "1", created="2019-12-31 23:30")],
    )
    imp(path, "shopee")
    assert OmzetLine.objects.get().counted_at == datetime(2019, 12, 31, 23, 30, tzinfo=WIB)
    assert kpi(year=2020) == (1000, 0)


# --- the scenarios of the issue -----------------------------------------------------------------


def test_overlapping_shopee_exports_count_once_when_completed(tmp_path):
    file1 = write_csv(
        tmp_path / "shopee-1.csv",
        SHOPEE,
        [
            shopee_row("A1", "Selesai", "2019-11-05 09:00", "K-1", "Keripik", "Rp12.500", "2"),
            shopee_row("A2", "Sedang Dikirim", "", "", "Batik Tulis", "250.000", "1", variation="Merah"),
            shopee_row("A3", "Selesai", "2019-12-01 08:00", "T-1", "Tas Rajut", "75000", "1"),
        ],
    )
    file2 = write_csv(
        tmp_path / "shopee-2.csv",
        SHOPEE,
        [
            # shipped in file 1, completed here (in 2020)
            shopee_row("A2", "Selesai", "02-01-2020 14:05", "", "Batik Tulis", "250000.0", "1", variation="Merah"),
            # in both files, unchanged
            shopee_row("A1", "Selesai", "2019-11-05 09:00", "K-1", "Keripik", "12500", "2"),
            # completed in file 1, returned afterwards
            shopee_row("A3", "Pengembalian Barang/Dana", "2019-12-01 08:00", "T-1", "Tas Rajut", "75000", "1"),
            shopee_row("A4", "Batal", "", "K-1", "Keripik", "12500", "3"),
        ],
    )
    assert imp(file1, "shopee") == "rows: 3, created: 3, updated: 0, unchanged: 0, rejected: 0"
    assert kpi() == (25000 + 75000, 25000 + 75000)
    assert imp(file2, "shopee") == "rows: 4, created: 1, updated: 2, unchanged: 1, rejected: 0"
    assert kpi() == (25000 + 250000, 25000)
    assert kpi(year=2020) == (275000, 250000)
    ledger = sorted(OmzetLine.objects.values_list("source_key", "amount"))
    assert ledger == [
        ("shopee:A1:K-1", 25000),
        ("shopee:A2:batik tulis (merah)", 250000),
        ("shopee:A3:T-1", 75000),
        ("shopee:A3:T-1:retur", -75000),
    ]
    # re-importing both, in either order, changes nothing
    entries = AuditEntry.objects.filter(action__startswith="omzet.").count()
    assert imp(file1, "shopee") == "rows: 3, created: 0, updated: 0, unchanged: 3, rejected: 0"
    assert imp(file2, "shopee") == "rows: 4, created: 0, updated: 0, unchanged: 4, rejected: 0"
    assert sorted(OmzetLine.objects.values_list("source_key", "amount")) == ledger
    assert AuditEntry.objects.filter(action__startswith="omzet.").count() == entries
    assert kpi() == (275000, 25000)


def test_tokopedia_xlsx_report(tmp_path):
    rows = [
        [
            "INV/20191102/XIX/XI/1",
            datetime(2019, 11, 2, 14, 5),
            "Pesanan Selesai",
            "Gula Kelapa 1kg",
            "GK-1",
            3,
            18000.0,
            9000,
            63000,
        ],
        ["INV/20191103/XIX/XI/2", "03-11-2019 08:00", "Pesanan Selesai", "Nopia", "", "2", "Rp7.500", "0", "15000"],
        ["INV/20191104/XIX/XI/3", "2019-11-04 10:00", "Pesanan Dibatalkan", "Nopia", "", 5, 7500, 0, 37500],
        ["INV/20200305/XX/III/4", "2020-03-09 23:59", "Pesanan Selesai", "Nopia", "", 1, 7500, 0, 7500],
        ["INV/20200310/XX/III/5", "2020-03-10 00:00", "Pesanan Selesai", "Nopia", "", 1, 7500, 0, 7500],
        ["INV/20200311/XX/III/6", "", "Pesanan Dikirim", "Nopia", "", 1, 7500, 0, 7500],
    ]
    path = write_xlsx(tmp_path / "tokopedia.xlsx", TOKOPEDIA, rows)
    assert imp(path, "tokopedia") == "rows: 6, created: 6, updated: 0, unchanged: 0, rejected: 0"
    assert kpi() == (54000 + 15000 + 7500, 54000 + 15000)
    assert OmzetLine.objects.get(source_key="tokopedia:INV/20191102/XIX/XI/1:GK-1").counted_at == datetime(
        2019, 11, 2, 14, 5, tzinfo=WIB
    )


def test_historical_bukalapak_csv_with_renamed_headers(tmp_path):
    header = [
        "No. Transaksi",
        "Tanggal Transaksi",
        "Status",
        "Nama Barang",
        "SKU",
        "Kuantitas",
        "Harga",
        "Ongkos Kirim",
        "Total",
    ]
    rows = [
        ["BL19-001", "02/11/2019", "Selesai", "Sale Pisang", "", "10", "Rp15.000", "10000", "160000"],
        ["BL19-002", "2019-06-15 11:00", "Selesai", "Kopi Bubuk", "KP-1", "4", "35.000", "0", "140000"],
        ["BL19-003", "2019-06-16 11:00", "Dibatalkan", "Kopi Bubuk", "KP-1", "4", "35000", "0", "140000"],
        ["BL18-004", "30-12-2018 20:00", "Selesai", "Kopi Bubuk", "KP-1", "1", "35000.0", "0", "35000"],
    ]
    path = write_csv(tmp_path / "bukalapak-2019.csv", header, rows)
    assert imp(path, "bukalapak") == "rows: 4, created: 4, updated: 0, unchanged: 0, rejected: 0"
    assert kpi() == (150000 + 140000 + 35000, 150000 + 140000)


def test_mixed_formats_in_one_file_and_default_regency(tmp_path, settings):
    settings.TUKATUKU_DEFAULT_REGENCY = "33.02"
    rows = [
        ["BL1", "2019-11-02 14:05", "Selesai", "A", "", "1", "Rp12.500"],
        ["BL2", "02-11-2019 14:05", "Selesai", "B", "", "1", "12.500"],
        ["BL3", "02/11/2019", "Selesai", "C", "", "1", "12500"],
        ["BL4", "2019-11-02", "Selesai", "D", "", "1", "12500.0"],
    ]
    imp(write_csv(tmp_path / "m.csv", BUKALAPAK, rows), "bukalapak")
    assert kpi(regency="33.02") == (50000, 50000)
    assert kpi() == (0, 0)


def test_all_three_channels_add_up_in_the_kpi(tmp_path):
    imp(
        write_csv(tmp_path / "s.csv", SHOPEE, [shopee_row("S1", "Selesai", "2019-11-05", "", "A", "10000", "1")]),
        "shopee",
    )
    imp(
        write_xlsx(tmp_path / "t.xlsx", TOKOPEDIA, [["T1", "2019-11-06", "Pesanan Selesai", "B", "", 2, 20000, 0, 0]]),
        "tokopedia",
    )
    imp(write_csv(tmp_path / "b.csv", BUKALAPAK, [["B1", "2018-11-07", "Selesai", "C", "", "3", "30000"]]), "bukalapak")
    assert kpi() == (10000 + 40000 + 90000, 50000)
    assert kpi(regency="33") == (140000, 50000)


def test_same_order_number_on_two_channels_are_two_lines(tmp_path):
    imp(
        write_csv(tmp_path / "s.csv", SHOPEE, [shopee_row("X1", "Selesai", "2019-11-05", "", "A", "1000", "1")]),
        "shopee",
    )
    imp(write_csv(tmp_path / "b.csv", BUKALAPAK, [["X1", "2019-11-05", "Selesai", "A", "", "1", "1000"]]), "bukalapak")
    assert kpi() == (2000, 2000)


# --- header mapping ------------------------------------------------------------------------------


def test_missing_column_or_wrong_channel_refuses_the_file(tmp_path):
    path = write_csv(tmp_path / "s.csv", SHOPEE, [shopee_row("S1", "Selesai", "2019-11-05", "", "A", "1000", "1")])
    with pytest.raises(FileUnreadable, match="Kolom wajib tidak ditemukan: Nomor Invoice"):
        imp(path, "tokopedia")
    with pytest.raises(FileUnreadable, match="--channel"):
        imp(path, "lazada")
    with pytest.raises(FileUnreadable, match="--channel"):
        run_import(kind="penjualan", path=path, options={})
    assert MarketplaceLine.objects.count() == 0


def test_operator_alias_extends_the_headers(tmp_path):
    header = ["Kode Transaksi", *BUKALAPAK[1:]]
    path = write_csv(tmp_path / "b.csv", header, [["B1", "2019-11-07", "Selesai", "C", "", "1", "30000"]])
    with pytest.raises(FileUnreadable):
        imp(path, "bukalapak")
    HeaderAlias.objects.create(kind="penjualan", alias="kode transaksi", column="ID Transaksi")
    assert imp(path, "bukalapak") == "rows: 1, created: 1, updated: 0, unchanged: 0, rejected: 0"


def test_command_line_contract(tmp_path, capsys):
    path = write_csv(tmp_path / "b.csv", BUKALAPAK, [["B1", "2019-11-07", "Selesai", "C", "", "1", "30000"]])
    call_command(
        "import_data", "penjualan", str(path), "--channel", "bukalapak", "--regency", "33.03", "--quiet-progress"
    )
    assert capsys.readouterr().out.strip() == "rows: 1, created: 1, updated: 0, unchanged: 0, rejected: 0"


# --- attribution -----------------------------------------------------------------------------------


def test_sku_matching_the_catalogue_is_attributed_to_its_seller(tmp_path):
    seller = make_seller(district="33.03.05")
    variant = make_variant(seller=seller, sku="KP-1", name="Kopi Bubuk")
    other_regency = make_seller(regency="33.02", district="33.02.01")
    make_variant(seller=other_regency, sku="KP-2")
    rows = [
        ["B1", "2019-11-07", "Selesai", "Kopi", "KP-1", "2", "30000"],
        ["B2", "2019-11-07", "Selesai", "Kopi lain", "KP-2", "1", "30000"],
    ]
    imp(write_csv(tmp_path / "b.csv", BUKALAPAK, rows), "bukalapak")
    b1 = OmzetLine.objects.get(source_key="bukalapak:B1:KP-1")
    assert (b1.seller_id, b1.district_id, b1.variant_id, b1.product_id) == (
        seller.pk,
        "33.03.05",
        variant.pk,
        variant.product_id,
    )
    b2 = OmzetLine.objects.get(source_key="bukalapak:B2:KP-2")
    assert (b2.seller_id, b2.district_id, b2.channel.code, b2.regency_id) == (None, None, "bukalapak", "33.03")


def test_mapping_reattributes_the_ledger_and_applies_to_later_imports(tmp_path, operator):
    seller = make_seller(district="33.03.09")
    variant = make_variant(seller=seller, sku="SP-1", name="Sale Pisang")
    rows = [
        ["B1", "2019-11-07", "Selesai", "Sale  Pisang", "", "2", "15000"],
        ["B2", "2019-11-08", "Selesai", "Sale Pisang", "", "1", "15000"],
    ]
    imp(write_csv(tmp_path / "b1.csv", BUKALAPAK, rows), "bukalapak")
    line = MarketplaceLine.objects.get(order_number="B1")
    assert line.match_key == "nama:sale pisang"
    moved = product_mapping_set(channel=line.channel, match_key=line.match_key, variant=variant, actor=operator)
    assert moved == 2
    assert set(OmzetLine.objects.values_list("seller_id", "district_id")) == {(seller.pk, "33.03.09")}
    assert AuditEntry.objects.filter(action="omzet.map").count() == 1
    assert AuditEntry.objects.filter(action="omzet.update").count() == 2
    imp(
        write_csv(tmp_path / "b2.csv", BUKALAPAK, [["B3", "2019-11-09", "Selesai", "SALE PISANG", "", "1", "15000"]]),
        "bukalapak",
    )
    assert OmzetLine.objects.get(source_key="bukalapak:B3:sale pisang").seller_id == seller.pk
    assert ProductMapping.objects.count() == 1
    # re-importing the first file keeps the mapping
    assert imp(tmp_path / "b1.csv", "bukalapak") == "rows: 2, created: 0, updated: 0, unchanged: 2, rejected: 0"
    assert set(OmzetLine.objects.values_list("seller_id", flat=True)) == {seller.pk}
