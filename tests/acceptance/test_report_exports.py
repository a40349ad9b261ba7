"""Issue #7: `kpi_report --format pdf|xlsx --output FILE` carries the same numbers as the JSON, for the
independent data of every domain (the XLSX as real numbers, the PDF as text)."""

import io

import pytest
from django.core.management import call_command

from .conftest import kpi, require, run_import
from .exports import figure_numbers, missing_numbers, pdf_numbers, xlsx_numbers
from .generate import REGENCY, D, Y

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(edge):
    require(*sorted({f.kind for f in edge.files}))  # a missing importer fails, never narrows the test
    for f in edge.files:
        run_import(f)
    figures = kpi(REGENCY, Y, D)
    assert figure_numbers(figures)
    return figures


def _export(fmt, tmp_path):
    target = tmp_path / f"laporan.{fmt}"
    args = ["--regency", REGENCY, "--year", str(Y), "--as-of", D.isoformat(), "--format", fmt, "--output", str(target)]
    call_command("kpi_report", *args, stdout=io.StringIO(), stderr=io.StringIO())
    return target


def test_xlsx_carries_the_json_numbers_as_numbers(imported, tmp_path):
    assert missing_numbers(imported, xlsx_numbers(_export("xlsx", tmp_path))) == []


def test_pdf_carries_the_json_numbers(imported, tmp_path):
    assert missing_numbers(imported, pdf_numbers(_export("pdf", tmp_path))) == []
