"""Reading the leadership report's PDF and XLSX back: the numbers they carry."""

import re
from pathlib import Path
from typing import Any


def figure_numbers(figures: dict[str, Any]) -> list[tuple[str, int]]:
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


def xlsx_numbers(path: Path) -> set[int]:
    """Whole numbers held as number cells (not text) on any sheet."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        cells = {v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row}
    finally:
        wb.close()
    return {int(v) for v in cells if isinstance(v, (int, float)) and not isinstance(v, bool) and v == int(v)}


def pdf_numbers(path: Path) -> set[int]:
    """Numbers in the PDF's text, written 96.592, 96,592 or 96592 (Rp129.000.000 gives 129000000)."""
    from pypdf import PdfReader

    text = " ".join(page.extract_text() or "" for page in PdfReader(path).pages)
    found = re.findall(r"\d{1,3}(?:[.,]\d{3})+(?!\d)|\d+", text)
    return {int(s.replace(".", "").replace(",", "")) for s in found}


def missing_numbers(figures: dict[str, Any], numbers: set[int]) -> list[tuple[str, int]]:
    return [(k, v) for k, v in figure_numbers(figures) if v not in numbers]
