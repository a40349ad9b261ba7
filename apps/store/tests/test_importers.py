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
