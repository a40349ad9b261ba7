"""The one writer of every CSV and XLSX the system produces, safe against spreadsheet formula injection.

A text cell that a spreadsheet would run as a formula (CWE-1236, OWASP "CSV injection": it starts with
`=`, `+`, `-`, `@`, a tab or a carriage return) is written with a leading apostrophe, so Excel, LibreOffice
and Google Sheets show it as text. Numbers, dates and text that is just a number (`-5000`, `+62812…`: a
spreadsheet reads it as that number and runs nothing) are written as they are.

Exports call `csv_writer` / `csv_lines` for CSV and `xlsx_append` for openpyxl sheets instead of
`csv.writer` and `Worksheet.append`; tests/security/test_formula_cells.py walks every export.
"""

import csv
import re
from collections.abc import Iterable, Iterator
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+([.,]\d+)*")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should receive it: text that could start a formula gets a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in row]


class _Echo:
    def write(self, value: str) -> str:
        return value


class SafeCsvWriter:
    """`csv.writer` whose rows pass through `safe_cell`; `writerow` returns what the file object's
    `write` returned (the line itself with `csv_lines`, for streaming responses)."""

    def __init__(self, fh: Any, **fmtparams: Any) -> None:
        self._writer = csv.writer(fh, **fmtparams)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(fh: Any, **fmtparams: Any) -> SafeCsvWriter:
    return SafeCsvWriter(fh, **fmtparams)


def csv_lines(rows: Iterable[Iterable[Any]], *, bom: bool = True) -> Iterator[str]:
    """The rows as CSV lines (UTF-8 with a BOM so Excel reads the text right), for a streaming response."""
    writer = SafeCsvWriter(_Echo())
    if bom:
        yield "\ufeff"
    for row in rows:
        yield writer.writerow(row)


def xlsx_append(ws: Any, row: Iterable[Any]) -> None:
    """`ws.append(row)` with every cell made safe (openpyxl writes any text starting with `=` as a formula)."""
    ws.append(safe_row(row))
