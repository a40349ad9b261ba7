"""Issue #7's check on the article scenario, scaled down (1% of the UMKM, every cooperative and sale):
the files of every domain imported in order give the leadership report's figures exactly. At scale 1
the same generator reproduces the article (see README "Acceptance data" for the full-size run)."""

import pytest

from .conftest import KOPERASI_KEYS, OMZET_KEYS, UMKM_KEYS, assert_summary, comparable, kpi, run_import
from .generate import ARTICLE, REGENCY, D, Y

pytestmark = pytest.mark.django_db


def test_article_scenario_scaled_down(article_small):
    from apps.imports.framework import importers

    landed = importers()
    keys: tuple[str, ...] = ()
    imported = []
    for kinds, domain_keys in ((("umkm",), UMKM_KEYS), (("koperasi", "laporan_koperasi"), KOPERASI_KEYS),
                               (("penjualan",), OMZET_KEYS)):  # fmt: skip
        if all(k in landed for k in kinds):
            keys += domain_keys
            for f in article_small.files_of(*kinds):
                assert_summary(run_import(f), f)
                imported.append(f)
    if not keys:
        pytest.skip("no importer registered on this branch yet")
    got = comparable(kpi(REGENCY, Y, D), keys)
    assert got == comparable(article_small.figures_after(imported), keys)
    # every figure the article states and the scaling does not touch
    for key in ("tukatuku_omzet_kumulatif", "naik_kelas", *KOPERASI_KEYS):
        if key in keys:
            assert got[key] == comparable(ARTICLE, (key,))[key], key
