"""Issue #7: `kpi_report --format pdf|xlsx --output FILE` carries the same numbers as the JSON, for the
independent data of every domain that has landed (the XLSX as real numbers, the PDF as text)."""

import io
import re

import pytest
from django.core.management import call_command

from .conftest import kpi, run_import
from .generate import REGENCY, D, Y

pytestmark = pytest.mark.django_db


def _numbers(figures):
    """Every non-zero count and amount of the SPEC §8 object."""
    out = []
    for key, value in figures.items():
        if key in ("regency", "year", "as_of"):
            continue
        if isinstance(value, dict):
            out += [(f"{key}.{k}", v) for k, v in value.items() if isinstance(v, int) and v]
        elif isinstance(value, int) and value:
            out.append((key, value))
    return out


@pytest.fixture
def imported(edge):
    from apps.imports.framework import importers

    landed = importers()
    for f in edge.files:
        if f.kind in landed:
            run_import(f)
    figures = kpi(REGENCY, Y, D)
    if not _numbers(figures):
        pytest.skip("no importer registered on this branch yet")
    return figures


def _export(fmt, tmp_path):
    target = tmp_path / f"laporan.{fmt}"
    args = ["--regency", REGENCY, "--year", str(Y), "--as-of", D.isoformat(), "--format", fmt, "--output", str(target)]
    call_command("kpi_report", *args, stdout=io.StringIO(), stderr=io.StringIO())
    return target


def test_xlsx_carries_the_json_numbers_as_numbers(imported, tmp_path):
    from openpyxl import load_workbook

    wb = load_workbook(_export("xlsx", tmp_path), read_only=True, data_only=True)
    cells = {v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row}
    numbers = {int(v) for v in cells if isinstance(v, (int, float)) and not isinstance(v, bool) and v == int(v)}
    missing = [(k, v) for k, v in _numbers(imported) if v not in numbers]
    assert missing == []


def test_pdf_carries_the_json_numbers(imported, tmp_path):
    from pypdf import PdfReader

    text = " ".join(page.extract_text() or "" for page in PdfReader(_export("pdf", tmp_path)).pages)
    found = set(re.findall(r"\d[\d.,]*", text))
    spelled = {s.replace(".", "").replace(",", "") for s in found if re.fullmatch(r"\d{1,3}([.,]\d{3})*|\d+", s)}
    missing = [(k, v) for k, v in _numbers(imported) if str(v) not in spelled]
    assert missing == []
