"""Streaming readers for CSV and XLSX: memory does not grow with the file.

Rows come as (row_number, [cell text]) where row_number is what a spreadsheet user sees (the header is
row 1). XLSX cells are turned into the text an operator would have typed (dates as ISO, whole floats
without `.0`), so validation is the same for both formats.
"""

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from django.utils.translation import gettext as _


class FileUnreadable(Exception):
    """The file as a whole cannot be read (wrong format, no header, missing required columns)."""


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    estimated_rows: int
    close: Callable[[], None] = lambda: None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if value.time() != time(0) else value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def _detect_encoding(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    for enc in ("utf-8-sig", "cp1252"):
        try:
            head.decode(enc)
            return enc
        except UnicodeDecodeError as exc:
            if enc == "utf-8-sig" and exc.start > len(head) - 4:  # a multibyte char cut at the buffer end
                return enc
    return "latin-1"


def _count_lines(path: Path) -> int:
    n = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            n += chunk.count(b"\n")
    return max(n - 1, 0)


def _open_csv(path: Path) -> Table:
    encoding = _detect_encoding(path)
    fh = path.open("r", encoding=encoding, newline="")
    sample = fh.read(1 << 14)
    fh.seek(0)
    first_line = sample.splitlines()[0] if sample else ""
    delimiter = max([",", ";", "\t", "|"], key=first_line.count) if first_line else ","
    reader = csv.reader(fh, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        fh.close()
        raise FileUnreadable(_("Berkas kosong: tidak ada baris judul kolom."))
    except csv.Error as exc:
        fh.close()
        raise FileUnreadable(_("Berkas CSV tidak dapat dibaca: %(e)s") % {"e": exc})

    def rows() -> Iterator[tuple[int, list[str]]]:
        with fh:
            try:
                for row in reader:
                    yield reader.line_num, [c.strip() for c in row]
            except csv.Error as exc:
                raise FileUnreadable(_("Berkas CSV rusak di baris %(n)s: %(e)s") % {"n": reader.line_num, "e": exc})

    return Table(header=[c.strip() for c in header], rows=rows(), estimated_rows=_count_lines(path), close=fh.close)


def _open_xlsx(path: Path) -> Table:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    # a file object, not a name: openpyxl judges names by extension, we judge by content
    fh = path.open("rb")
    try:
        wb = load_workbook(fh, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, InvalidFileException) as exc:
        fh.close()
        raise FileUnreadable(_("Berkas XLSX tidak dapat dibuka: %(e)s") % {"e": exc})
    ws = wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    header_row = None
    header_number = 0
    for values in it:  # skip leading blank rows (some exports have a title)
        header_number += 1
        if any(v not in (None, "") for v in values):
            header_row = values
            break

    def close() -> None:
        wb.close()
        fh.close()

    if header_row is None:
        close()
        raise FileUnreadable(_("Berkas kosong: tidak ada baris judul kolom."))
    header = [_cell_text(v) for v in header_row]
    width = len(header)

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for n, values in enumerate(it, start=header_number + 1):
                cells = [_cell_text(v) for v in values[:width]]
                yield n, cells
        finally:
            close()

    estimated = max((ws.max_row or 0) - header_number, 0)
    return Table(header=header, rows=rows(), estimated_rows=estimated, close=close)


def open_table(path: str | Path) -> Table:
    path = Path(path)
    if not path.exists():
        raise FileUnreadable(_("Berkas tidak ditemukan: %(p)s") % {"p": path})
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic == b"PK\x03\x04" or path.suffix.lower() in (".xlsx", ".xlsm"):
        return _open_xlsx(path)
    if path.suffix.lower() == ".xls":
        raise FileUnreadable(_("Format .xls lama tidak didukung; simpan sebagai .xlsx atau .csv."))
    return _open_csv(path)
