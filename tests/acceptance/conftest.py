"""Fixtures and helpers of the acceptance suite: generate the independent files, import them exactly
as SPEC §8 spells the commands, read `kpi_report --format json` back."""

import contextlib
import dataclasses
import io
import json
import re
import shutil
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command

from .generate import Dataset, ImportFile, generate

SUMMARY_RE = re.compile(r"^rows: (\d+), created: (\d+), updated: (\d+), unchanged: (\d+), rejected: (\d+)$")
SUMMARY_KEYS = ("rows", "created", "updated", "unchanged", "rejected")

# SPEC §8 keys per domain (the ones the issues' checks compare)
OMZET_KEYS = ("tukatuku_omzet_kumulatif", "tukatuku_omzet_tahun")
UMKM_KEYS = ("umkm_total", "umkm_per_kelas", "naik_kelas", "naik_kelas_angka_tetap")
KOPERASI_KEYS = ("koperasi_total", "koperasi_aktif", "koperasi_tidak_aktif", "koperasi_sehat", "koperasi_tidak_sehat",
                 "koperasi_belum_dinilai", "koperasi_dibubarkan_per_tahun")  # fmt: skip
REQUIRED_NAIK = ("mikro_kecil", "kecil_menengah", "menengah_besar")


def require(*kinds: str) -> None:
    """Fail (never skip) when an importer of the contract is missing: a missing template is a failure."""
    from apps.imports.framework import importers

    missing = [k for k in kinds if k not in importers()]
    if missing:
        pytest.fail(f"importer not registered: {', '.join(missing)} (the acceptance tests need every SPEC §8 template)")


def run_import(f: ImportFile, *extra: str) -> dict[str, int]:
    """`manage.py import_data KIND FILE [options]`; returns the parsed one-line summary."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import_data", f.kind, str(f.path), *f.options, *extra, stdout=out, stderr=err)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    assert lines, f"no summary printed; stderr: {err.getvalue()}"
    match = SUMMARY_RE.match(lines[-1].strip())
    assert match, f"summary line not in the SPEC §8 format: {lines[-1]!r}"
    return dict(zip(SUMMARY_KEYS, map(int, match.groups()), strict=True))


def kpi(region: str, year: int, as_of: date | str) -> dict[str, Any]:
    """`manage.py kpi_report --regency R --year Y --as-of D --format json`, parsed."""
    as_of = as_of if isinstance(as_of, str) else as_of.isoformat()
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        call_command(
            "kpi_report", "--regency", region, "--year", str(year), "--as-of", as_of, "--format", "json", stdout=buf
        )
    return json.loads(buf.getvalue())


def comparable(figures: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """The keys compared, with zero counts of optional entries dropped (`{"2018": 0}` is no dissolution;
    a two-class jump key with 0 is no jump); SPEC §8 keys must be present."""
    out: dict[str, Any] = {}
    for key in keys:
        assert key in figures, f"kpi_report JSON lacks the SPEC §8 key {key!r}"
        value = figures[key]
        if key == "naik_kelas":
            for k in REQUIRED_NAIK:
                assert k in value, f"naik_kelas lacks {k!r}"
            value = {k: v for k, v in value.items() if v or k in REQUIRED_NAIK}
        elif key == "koperasi_dibubarkan_per_tahun":
            value = {str(k): v for k, v in value.items() if v}
        elif key == "umkm_per_kelas":
            value = dict(value)
        out[key] = value
    return out


def assert_figures(data: Dataset, files: list[ImportFile], keys: tuple[str, ...]) -> None:
    """kpi_report for every report of the dataset equals the reference figures for `files`."""
    from .generate import REPORTS

    for region, year, as_of in REPORTS:
        got = comparable(kpi(region, year, as_of), keys)
        want = comparable(data.figures_after(files, region, year, as_of), keys)
        assert got == want, f"kpi_report --regency {region} --year {year} --as-of {as_of}"


def error_rows(path) -> list[dict[str, str]]:
    """The error CSV's rows as dicts keyed by lower-case header."""
    import csv

    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = [h.strip().lower() for h in next(reader)]
        return [dict(zip(header, row, strict=False)) for row in reader]


def pick(row: dict[str, str], *names: str) -> str:
    for n in names:
        if n in row:
            return row[n]
    raise AssertionError(f"error CSV has none of the columns {names}: {sorted(row)}")


@pytest.fixture(scope="session")
def _edge_master(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("acceptance-edge"), scenario="edge", seed=20200309)


def _copy(master: Dataset, folder) -> Dataset:
    shutil.copytree(master.folder, folder, dirs_exist_ok=True)
    files = [dataclasses.replace(f, path=folder / f.path.name) for f in master.files]
    return dataclasses.replace(master, folder=folder, files=files)


@pytest.fixture
def edge(_edge_master, tmp_path) -> Dataset:
    """The edge-case dataset, in a folder of this test's own (error files are written beside inputs)."""
    return _copy(_edge_master, tmp_path)


@pytest.fixture(scope="session")
def _article_small_master(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("acceptance-article"), scenario="article", seed=9, scale=0.01)


@pytest.fixture
def article_small(_article_small_master, tmp_path) -> Dataset:
    return _copy(_article_small_master, tmp_path)


def assert_summary(summary: dict[str, int], f: ImportFile, *, reimport: bool = False) -> None:
    """rows and rejected exactly (an exact duplicate row may be refused as such: it is counted once
    either way); every other row created, updated or unchanged; a re-import creates and updates nothing."""
    allowed = {len(f.rejected), len(f.rejected) + len(f.duplicates)}
    assert summary["rows"] == f.rows, (f.path.name, summary)
    assert summary["rejected"] in allowed, (f.path.name, summary, f"expected rejected {sorted(allowed)}")
    assert summary["created"] + summary["updated"] + summary["unchanged"] == f.rows - summary["rejected"], summary
    if reimport:
        assert (summary["created"], summary["updated"]) == (0, 0), (f.path.name, summary)
    elif f.expected_counts:
        assert summary == f.expected_counts, f.path.name


def assert_error_file(f: ImportFile, path) -> None:
    """The error CSV lists exactly the rejected rows (row number as the spreadsheet shows it), the
    column at fault and a reason."""
    got = {int(pick(r, "baris", "row", "no_baris")): r for r in error_rows(path)}
    want = {n for n, _ in f.rejected}
    assert set(got) in (want, want | set(f.duplicates)), (f.path.name, sorted(got), sorted(want))
    for number, column in f.rejected:
        row = got[number]
        assert column.lower() in pick(row, "kolom", "column").lower(), (f.path.name, number, column, row)
        assert pick(row, "alasan", "reason").strip(), (f.path.name, number, row)


def new_files(folder, before: set[str]) -> list:
    return sorted(p for p in folder.iterdir() if p.name not in before)
