"""Issue #7's check on the article scenario, scaled down (1% of the UMKM, every cooperative and sale):
the files of every domain imported in order give the leadership report's figures exactly. At scale 1
the same generator reproduces the article (see README "Acceptance data" for the full-size run)."""

import pytest

from .conftest import KOPERASI_KEYS, OMZET_KEYS, UMKM_KEYS, assert_summary, comparable, kpi, require, run_import
from .generate import ARTICLE, REGENCY, D, Y

pytestmark = pytest.mark.django_db


def test_article_scenario_scaled_down(article_small):
    require("umkm", "koperasi", "laporan_koperasi", "penjualan")  # a missing importer fails, never narrows the test
    keys: tuple[str, ...] = UMKM_KEYS + KOPERASI_KEYS + OMZET_KEYS
    imported = []
    for kinds in (("umkm",), ("koperasi", "laporan_koperasi"), ("penjualan",)):
        for f in article_small.files_of(*kinds):
            assert_summary(run_import(f), f)
            imported.append(f)
    got = comparable(kpi(REGENCY, Y, D), keys)
    assert got == comparable(article_small.figures_after(imported), keys)
    # every figure the article states and the scaling does not touch
    for key in ("tukatuku_omzet_kumulatif", "naik_kelas", *KOPERASI_KEYS):
        if key in keys:
            assert got[key] == comparable(ARTICLE, (key,))[key], key
