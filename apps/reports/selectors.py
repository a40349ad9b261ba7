"""The leadership report's figures (SPEC §7, §8). Each figure has one definition, in its domain's
selector; this module only gathers them, for the command, the page, the exports and the API alike."""

import importlib
from datetime import date
from typing import Any

# (module, function) of each domain's KPI selector; see docs/architecture.md for the definitions.
KPI_SOURCES = [
    ("apps.omzet.selectors", "omzet_kpi"),
    ("apps.umkm.selectors", "umkm_kpi"),
    ("apps.koperasi.selectors", "koperasi_kpi"),
    ("apps.program.selectors", "programme_kpi"),
    ("apps.pengembangan.selectors.ujikom", "ujikom_kpi"),
    ("apps.pinjaman.selectors", "pinjaman_kpi"),
]
# The UMKM figures are the sums of the selector's per-regency results, kept in roll-ups (`rollups.py`):
# the same definition, without re-scanning millions of yearly records on every page view.
PROVINCE_SOURCES = {("apps.umkm.selectors", "umkm_kpi"): "umkm_province_figures"}

EMPTY_FIGURES: dict[str, Any] = {
    "tukatuku_omzet_kumulatif": 0,
    "tukatuku_omzet_tahun": 0,
    "umkm_total": 0,
    "umkm_per_kelas": {"mikro": 0, "kecil": 0, "menengah": 0, "besar": 0},
    "naik_kelas": {"mikro_kecil": 0, "kecil_menengah": 0, "menengah_besar": 0},
    "koperasi_total": 0,
    "koperasi_aktif": 0,
    "koperasi_tidak_aktif": 0,
    "koperasi_sehat": 0,
    "koperasi_tidak_sehat": 0,
    "koperasi_belum_dinilai": 0,
    "koperasi_dibubarkan_per_tahun": {},
    "program": {
        "pelatihan": {"kegiatan": 0, "peserta": 0, "lulus": 0},
        "bantuan_kemasan": {"kegiatan": 0, "penerima": 0},
        "festival": {"kegiatan": 0, "peserta": 0},
    },
    "uji_kompetensi": {"peserta": 0, "kompeten": 0},
    "kredit_mawar_debitur_tahun": 0,
    "kredit_mawar_pencairan_tahun": 0,
    "kredit_mawar_baki_debet": 0,
    "kredit_mawar_kolektibilitas": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0},
    "kredit_mawar_subsidi_bunga_tahun": 0,
}


def kpi_figures(*, region_code: str, year: int, as_of: date) -> dict[str, Any]:
    """The SPEC §8 object for a regency (`33.03`) or a whole province (`33`)."""
    from apps.regions.selectors import regency_codes_under

    regency_codes = sorted(regency_codes_under({region_code}))
    figures: dict[str, Any] = {"regency": region_code, "year": year, "as_of": as_of.isoformat()}
    figures.update({k: (dict(v) if isinstance(v, dict) else v) for k, v in EMPTY_FIGURES.items()})
    for module_name, function_name in KPI_SOURCES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name and exc.name != module_name.rsplit(".", 1)[0]:
                raise
            continue
        function = getattr(module, function_name, None)
        if function is None:
            continue
        if (module_name, function_name) in PROVINCE_SOURCES:
            from apps.reports import rollups

            function = getattr(rollups, PROVINCE_SOURCES[(module_name, function_name)])
        figures.update(function(regency_codes=regency_codes, year=year, as_of=as_of))
    return figures
