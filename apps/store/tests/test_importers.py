"""Bulk product upload from the Shopee / Tokopedia mass-upload templates."""

import csv

import pytest

from apps.imports.framework import run_import
from apps.store.models import Product, Variant
from apps.store.tests.factories import make_category, make_product, make_seller

pytestmark = pytest.mark.django_db

SHOPEE_HEADER = [
    "Kategori",
    "Nama Produk*",
    "Deskripsi Produk",
    "SKU Induk",
    "Nama Variasi 1",
    "Varian untuk Variasi 1",
    "Harga",
    "Stok",
    "Kode Variasi",
    "Berat",
    "Foto Sampul",
]
SHOPEE_ROWS = [
    [
        "Makanan & Minuman/Makanan",
        "Gula Kelapa Kristal",
        "Gula semut",
        "GK",
        "Ukuran",
        "250 g",
        "Rp12.500",
        "10",
        "GK-250",
        "250",
        "",
    ],
    [
        "Makanan & Minuman/Makanan",
        "Gula Kelapa Kristal",
        "Gula semut",
        "GK",
        "Ukuran",
        "500 g",
        "22500",
        "4",
        "GK-500",
        "500",
        "",
    ],
    ["Fashion/Tas", "Tas Rajutan", "Tas tangan", "TR", "", "", "85.000", "2", "TR-1", "300", ""],
    ["Fashion/Tas", "", "tanpa nama", "X", "", "", "1000", "1", "X-1", "", ""],
    ["Fashion/Tas", "Tas Murah", "", "TM", "", "", "0", "1", "TM-1", "", ""],
    ["Fashion/Tas", "Tas Lagi", "", "TL", "", "", "5000", "-1", "TL-1", "", ""],
    ["Fashion/Tas", "Tas Kembar", "", "TK", "", "", "5000", "1", "TR-1", "", ""],
    ["Fashion/Tas", "Tas Asing", "", "TA", "", "", "5000", "1", "FOREIGN", "", ""],
]


def write_csv(path, header, rows):
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.fixture
def seller(make_user):
    owner = make_user("bu_sri", role="mitra_umkm")
    make_category("Makanan")
    make_category("Tas")
    other = make_seller()
    make_product(seller=other, name="Milik toko lain")
    Variant.objects.filter(product__seller=other).update(sku="FOREIGN")
    return make_seller(owner=owner), owner


def test_shopee_upload_creates_drafts_grouped_by_parent_sku(tmp_path, seller):
    shop, owner = seller
    path = write_csv(tmp_path / "shopee.csv", SHOPEE_HEADER, SHOPEE_ROWS)
    result = run_import(kind="produk_shopee", path=path, options={"seller": shop.pk}, actor=owner)
    assert result.summary == "rows: 8, created: 3, updated: 0, unchanged: 0, rejected: 5"
    products = {p.name: p for p in Product.objects.filter(seller=shop)}
    gula = products["Gula Kelapa Kristal"]
    assert (gula.status, gula.parent_sku, gula.category.name, gula.min_price) == ("draf", "GK", "Makanan", 12_500)
    assert sorted(gula.variants.values_list("sku", "name", "price", "stock")) == [
        ("GK-250", "250 g", 12_500, 10),
        ("GK-500", "500 g", 22_500, 4),
    ]
    with result.errors_path.open(encoding="utf-8-sig") as fh:
        errors = list(csv.reader(fh))
    assert [(r[0], r[1], r[2]) for r in errors[1:]] == [
        ("5", "Nama Produk", "nama produk wajib diisi"),
        ("6", "Harga", "harga harus lebih dari Rp0"),
        ("7", "Stok", "tidak boleh kurang dari 0: -1"),
        ("8", "Kode Variasi", "SKU TR-1 muncul dua kali di berkas"),
        ("9", "Kode Variasi", "SKU FOREIGN sudah dipakai toko lain"),
    ]


def test_reimport_changes_nothing_and_price_change_updates(tmp_path, seller):
    shop, owner = seller
    rows = SHOPEE_ROWS[:3]
    path = write_csv(tmp_path / "a.csv", SHOPEE_HEADER, rows)
    run_import(kind="produk_shopee", path=path, options={"seller": shop.pk}, actor=owner)
    again = run_import(
        kind="produk_shopee",
        path=write_csv(tmp_path / "b.csv", SHOPEE_HEADER, rows),
        options={"seller": shop.pk},
        actor=owner,
    )
    assert again.summary == "rows: 3, created: 0, updated: 0, unchanged: 3, rejected: 0"
    rows[1] = [*rows[1][:6], "23000", "4", *rows[1][8:]]
    changed = run_import(
        kind="produk_shopee",
        path=write_csv(tmp_path / "c.csv", SHOPEE_HEADER, rows),
        options={"seller": shop.pk},
        actor=owner,
    )
    assert changed.summary == "rows: 3, created: 0, updated: 1, unchanged: 2, rejected: 0"
    assert Variant.objects.get(sku="GK-500").price == 23_000
    assert Product.objects.filter(seller=shop).count() == 2


def test_tokopedia_upload(tmp_path, seller):
    shop, owner = seller
    header = [
        "Nama Produk*",
        "Deskripsi Produk",
        "Kategori Kode*",
        "Berat* (Gram)",
        "SKU Name",
        "Jumlah Stok*",
        "Harga (Rp)*",
    ]
    path = write_csv(tmp_path / "t.csv", header, [["Nopia Bawang", "Khas", "Makanan", "300", "NB-1", "7", "25000"]])
    result = run_import(kind="produk_tokopedia", path=path, options={"seller": shop.pk}, actor=owner)
    assert result.summary == "rows: 1, created: 1, updated: 0, unchanged: 0, rejected: 0"
    product = Product.objects.get(name="Nopia Bawang")
    assert (product.weight_grams, product.min_price, product.parent_sku) == (300, 25_000, "NB-1")


def test_stranger_cannot_import_into_a_shop(tmp_path, seller, make_user):
    shop, _owner = seller
    path = write_csv(tmp_path / "s.csv", SHOPEE_HEADER, SHOPEE_ROWS[:1])
    result = run_import(
        kind="produk_shopee", path=path, options={"seller": shop.pk}, actor=make_user("x", role="mitra_umkm")
    )
    assert result.summary == "rows: 1, created: 0, updated: 0, unchanged: 0, rejected: 1"
    with result.errors_path.open(encoding="utf-8-sig") as fh:
        assert list(csv.reader(fh))[1][:3] == ["2", "Nama Produk", "Anda bukan pengelola toko ini"]
    assert Product.objects.filter(seller=shop).count() == 0


# --- command line: manage.py import_data produk_shopee|produk_tokopedia FILE --toko SLUG -------------------

TOKOPEDIA_HEADER = [
    "Nama Produk*",
    "Deskripsi Produk",
    "Kategori Kode*",
    "Berat* (Gram)",
    "SKU Name",
    "Jumlah Stok*",
    "Harga (Rp)*",
]
TOKOPEDIA_ROWS = [["Nopia Bawang", "Khas", "Makanan", "300", "NB-1", "7", "25000"]]

COMMAND_CASES = [
    # (kind, options, outcome: the summary line, or the error of a refused command)
    ("produk_shopee", ["--toko", "{slug}"], "rows: 3, created: 3, updated: 0, unchanged: 0, rejected: 0"),
    ("produk_shopee", ["--seller", "{slug}"], "rows: 3, created: 3, updated: 0, unchanged: 0, rejected: 0"),
    ("produk_shopee", ["--toko={slug}"], "rows: 3, created: 3, updated: 0, unchanged: 0, rejected: 0"),
    ("produk_tokopedia", ["--toko", "{slug}"], "rows: 1, created: 1, updated: 0, unchanged: 0, rejected: 0"),
    ("produk_shopee", [], "Toko tujuan belum dipilih: tulis --toko <alamat toko> di baris perintah"),
    ("produk_shopee", ["--toko", " "], "Toko tujuan belum dipilih"),
    ("produk_tokopedia", [], "Toko tujuan belum dipilih"),
    ("produk_shopee", ["--toko", "toko-tidak-ada"], "Toko tidak dikenal: toko-tidak-ada."),
    ("produk_shopee", ["--toko", "{other_id}"], "Toko tidak dikenal: {other_id}."),  # an id is not an address
]


@pytest.mark.parametrize(("kind", "options", "outcome"), COMMAND_CASES)
def test_command_line_names_the_shop(tmp_path, seller, kind, options, outcome):
    import io

    from django.core.management import CommandError, call_command

    shop, _owner = seller
    other = Product.objects.exclude(seller=shop).get().seller
    fill = {"slug": shop.slug, "other_id": str(other.pk)}
    header, rows = (SHOPEE_HEADER, SHOPEE_ROWS[:3]) if kind == "produk_shopee" else (TOKOPEDIA_HEADER, TOKOPEDIA_ROWS)
    path = write_csv(tmp_path / "produk.csv", header, rows)
    args = [kind, str(path), "--quiet-progress", *(o.format(**fill) for o in options)]
    out = io.StringIO()
    if outcome.startswith("rows:"):
        call_command("import_data", *args, stdout=out, stderr=io.StringIO())
        assert out.getvalue() == outcome + "\n"
        drafts = Product.objects.filter(seller=shop)
        assert set(drafts.values_list("status", flat=True)) == {"draf"}
        assert drafts.count() == (2 if kind == "produk_shopee" else 1)  # rows with one SKU Induk: one product
    else:
        with pytest.raises(CommandError) as refused:
            call_command("import_data", *args, stdout=out, stderr=io.StringIO())
        assert str(refused.value).startswith(outcome.format(**fill))
        assert Product.objects.filter(seller=shop).count() == 0
        assert not (tmp_path / "produk.galat.csv").exists()


def test_command_line_import_is_audited_as_the_system_and_resumes_a_web_upload(tmp_path, seller):
    import io

    from django.core.management import call_command

    from apps.audit.models import AuditEntry
    from apps.imports.models import ImportRun

    shop, owner = seller
    path = write_csv(tmp_path / "shopee.csv", SHOPEE_HEADER, SHOPEE_ROWS[:3])
    run_import(kind="produk_shopee", path=path, options={"seller": str(shop.pk)}, actor=owner)
    out = io.StringIO()
    call_command("import_data", "produk_shopee", str(path), "--toko", shop.slug, stdout=out, stderr=io.StringIO())
    assert out.getvalue() == "rows: 3, created: 0, updated: 0, unchanged: 3, rejected: 0\n"
    edited = SHOPEE_ROWS[2][:6] + ["90.000"] + SHOPEE_ROWS[2][7:]
    path = write_csv(tmp_path / "shopee2.csv", SHOPEE_HEADER, [*SHOPEE_ROWS[:2], edited])
    call_command("import_data", "produk_shopee", str(path), "--toko", shop.slug, stdout=out, stderr=io.StringIO())
    assert Variant.objects.get(sku="TR-1").price == 90_000
    last = AuditEntry.objects.filter(action="product.update").get()
    assert (last.actor_id, last.actor_name) == (None, "sistem")
    assert list(ImportRun.objects.order_by("id").values_list("actor__username", "options_key")) == [
        ("bu_sri", f"seller:{shop.pk}"),
        (None, f"seller:{shop.pk}"),
        (None, f"seller:{shop.pk}"),
    ]


def test_reimport_with_a_large_price_change_of_a_listed_product_is_flagged(tmp_path, seller):
    from apps.store.models import PriceChangeFlag, ProductStatus

    shop, owner = seller
    rows = [list(r) for r in SHOPEE_ROWS[2:3]]
    run_import(
        kind="produk_shopee",
        path=write_csv(tmp_path / "a.csv", SHOPEE_HEADER, rows),
        options={"seller": shop.pk},
        actor=owner,
    )
    Product.objects.filter(seller=shop).update(status=ProductStatus.APPROVED, listed=True)
    rows[0][6] = "85"  # "85.000" lost its dots in a spreadsheet
    result = run_import(
        kind="produk_shopee",
        path=write_csv(tmp_path / "b.csv", SHOPEE_HEADER, rows),
        options={"seller": shop.pk},
        actor=owner,
    )
    assert result.summary == "rows: 1, created: 0, updated: 1, unchanged: 0, rejected: 0"
    flag = PriceChangeFlag.objects.get()
    assert (flag.variant.sku, flag.old_price, flag.new_price, flag.checked_at) == ("TR-1", 85_000, 85, None)
