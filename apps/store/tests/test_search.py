"""Indonesian search: the same table of queries → products on SQLite and PostgreSQL."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.store import search
from apps.store.selectors import CatalogueFilters, catalogue_products
from apps.store.tests.factories import make_category, make_product, make_seller

CATALOGUE = [
    ("Tas Rajutan Benang Nilon", "Kerajinan", "Tas tangan dirajut tangan oleh ibu-ibu desa."),
    ("Gula Kelapa Kristal", "Makanan", "Gula semut dari nira kelapa, tanpa pengawet."),
    ("Gula Aren Cetak", "Makanan", "Gula merah cetak dari nira aren."),
    ("Keripik Tempe Sagu", "Makanan", "Renyah, gurih, khas Purbalingga."),
    ("Bulu Mata Palsu Alami", "Kecantikan", "Bulu mata buatan perajin Purbalingga."),
    ("Knalpot Racing Stainless", "Otomotif", "Knalpot buatan bengkel Purbalingga."),
    ("Nopia Bawang Merah", "Makanan", "Nopia khas Purbalingga, dipanggang di tungku."),
    ("Kopi Robusta Bubuk", "Minuman", "Kopi dari lereng Gunung Slamet."),
]

QUERIES = [
    # query, expected product names in rank order
    ("rajut", ["Tas Rajutan Benang Nilon"]),
    ("rajutan", ["Tas Rajutan Benang Nilon"]),
    ("gula kelapa", ["Gula Kelapa Kristal"]),
    ("gula", ["Gula Aren Cetak", "Gula Kelapa Kristal"]),
    ("kripik tempe", ["Keripik Tempe Sagu"]),
    ("keripik", ["Keripik Tempe Sagu"]),
    ("knalpott", ["Knalpot Racing Stainless"]),
    ("bulu mata", ["Bulu Mata Palsu Alami"]),
    ("tas dari rajutan", ["Tas Rajutan Benang Nilon"]),
    ("kemangkon nopia", ["Nopia Bawang Merah"]),
    ("KOPI", ["Kopi Robusta Bubuk"]),
    ("sepatu", []),
    ("gula sepatu", []),
]


@pytest.fixture
def catalogue(db):
    seller = make_seller(shop_name="Sari Rasa", village="33.03.01.2001")  # Kemangkon
    for name, category, description in CATALOGUE:
        make_product(seller=seller, name=name, category=make_category(category), description=description)
    return seller


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_query_finds_expected_products(catalogue, query, expected):
    found = [p.name for p in catalogue_products(CatalogueFilters(q=query))]
    if query == "gula":  # equal rank: newest first
        assert sorted(found) == sorted(expected)
    else:
        assert found == expected


def test_name_match_ranks_above_description_match(catalogue):
    seller = catalogue
    make_product(
        seller=seller, name="Tas Anyaman Pandan", category=make_category("Kerajinan"), description="Bukan tas rajutan."
    )
    found = [p.name for p in catalogue_products(CatalogueFilters(q="rajutan"))]
    assert found == ["Tas Rajutan Benang Nilon", "Tas Anyaman Pandan"]


def test_search_text_holds_words_and_stems():
    assert search.search_text_for("Tas Rajutan", "Keripik") == " tas rajutan rajut keripik ripik "


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [("kripik", "keripik", 0.5), ("rajut", "rajut", 1.0), ("kopi", "madu", 0.0)],
)
def test_trigram_similarity_matches_pg_trgm(a, b, expected):
    assert search.similarity(a, b) == expected


@given(st.text(max_size=40))
def test_words_are_lowercase_ascii_alphanumerics(text):
    for w in search.words(text):
        assert w.isascii() and w.isalnum() and w == w.lower()
