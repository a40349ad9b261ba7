"""The assessment worksheet shows each scoring formula with the annual report's labels, not field names."""

import pytest

from apps.koperasi.views import formula_label


@pytest.mark.parametrize(
    ("rumus", "shown"),
    [
        ("modal_sendiri / total_aset", "modal sendiri / total aset"),
        ("modal_sendiri / atmr", "modal sendiri / ATMR"),
        ("pendapatan / (beban_usaha + beban_perkoperasian)", "pendapatan / (beban usaha + beban perkoperasian)"),
        ("shu_sebelum_pajak / total_aset", "SHU sebelum pajak / total aset"),
        ("skor_manajemen", "skor manajemen"),
        ("kas_bank / kewajiban_lancar", "kas dan bank / kewajiban lancar"),
        ("bukan_kolom_laporan", "bukan kolom laporan"),
    ],
)
def test_formula_label(rumus, shown):
    assert formula_label(rumus) == shown
