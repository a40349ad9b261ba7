"""Streaming readers for CSV and XLSX: memory does not grow with the file.

Rows come as (row_number, [cell text]) where row_number is what a spreadsheet user sees (the header is
row 1). XLSX cells are turned into the text an operator would have typed (dates as ISO, whole floats
without `.0`), so validation is the same for both formats.

What a hostile or broken file may do is bounded before and while it is read (issue #15, M2/M8/L7):
- an XLSX is a zip: its members' declared sizes (zipfile never inflates past them) are checked before
  openpyxl opens it: total, the shared strings (openpyxl holds them in memory) and the compression ratio
  of large members; more rows than IMPORT_MAX_ROWS are refused, by the sheet's dimension and while reading;
- XML entities (XXE, billion laughs) are refused by defusedxml, which openpyxl uses when it is installed;
  every parser error becomes one Indonesian reason (FileUnreadable), never a traceback;
- a CSV is read as UTF-8 (with or without BOM) when all of it is UTF-8; as Windows-1252 (Excel's "CSV" on
  Windows) with a warning naming the first line that is not UTF-8 when it is plain single-byte text; anything
  else (UTF-8 with broken bytes, mixed encodings) is refused rather than stored with wrong letters.
"""

import codecs
import csv
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException


class FileUnreadable(Exception):
    """The file as a whole cannot be read (wrong format, no header, missing required columns)."""


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    estimated_rows: int
    close: Callable[[], None] = lambda: None
    # said to the person who imports (the job page, the command's stderr), e.g. the encoding fallback
    warnings: list[str] = field(default_factory=list)


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_rows() -> int:
    return _limit("IMPORT_MAX_ROWS", 1_000_000)


def _too_many_rows() -> FileUnreadable:
    return FileUnreadable(
        _("Berkas terlalu besar: lebih dari %(n)s baris. Bagi menjadi beberapa berkas.") % {"n": f"{max_rows():,}"}
    )


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


def _scan_csv(path: Path) -> tuple[str, int, list[str]]:
    """One pass over the bytes: the encoding, the number of data lines, and the warnings.

    UTF-8 when every byte sequence is UTF-8. Windows-1252 (with a warning naming the first line that is not
    UTF-8) when the file is plain single-byte text: no valid UTF-8 letter before that line and every byte
    defined in Windows-1252. Anything else (UTF-8 with broken bytes, UTF-16, binary) is refused: read
    either way it would store wrong letters without anyone noticing."""
    utf8 = codecs.getincrementaldecoder("utf-8")()
    cp1252 = codecs.getincrementaldecoder("cp1252")()
    lines = 0
    first_bad_line = 0
    utf8_letters_before = False  # a non-ASCII byte that was valid UTF-8, before the first invalid one
    cp1252_ok = True
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            if not first_bad_line:
                try:
                    utf8.decode(chunk)
                    utf8_letters_before = utf8_letters_before or not chunk.isascii()
                except UnicodeDecodeError as exc:
                    first_bad_line = lines + chunk.count(b"\n", 0, exc.start) + 1
                    utf8_letters_before = utf8_letters_before or not chunk[: exc.start].isascii()
            if cp1252_ok:
                try:
                    cp1252.decode(chunk)
                except UnicodeDecodeError:
                    cp1252_ok = False
            lines += chunk.count(b"\n")
        if not first_bad_line:
            try:
                utf8.decode(b"", final=True)
            except UnicodeDecodeError:
                first_bad_line = lines + 1
    count = max(lines - 1, 0)
    if not first_bad_line:
        return "utf-8-sig", count, []
    if utf8_letters_before or not cp1252_ok:
        raise FileUnreadable(
            _(
                "Berkas CSV tidak dapat dibaca: baris %(n)s bukan teks UTF-8 yang sah (berkas rusak atau "
                'pengodean campuran). Simpan ulang sebagai "CSV UTF-8" lalu impor lagi.'
            )
            % {"n": first_bad_line}
        )
    warning = _(
        "Berkas bukan UTF-8 (mulai baris %(n)s); dibaca sebagai Windows-1252. Periksa huruf beraksen dan tanda "
        'khusus pada data yang tersimpan, atau simpan ulang sebagai "CSV UTF-8" lalu impor lagi.'
    ) % {"n": first_bad_line}
    return "cp1252", count, [warning]


def _open_csv(path: Path) -> Table:
    encoding, estimated, warnings = _scan_csv(path)
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
        limit = max_rows() + 1  # the header is line 1
        with fh:
            try:
                for row in reader:
                    if reader.line_num > limit:
                        raise _too_many_rows()
                    yield reader.line_num, [c.strip() for c in row]
            except csv.Error as exc:
                raise FileUnreadable(_("Berkas CSV rusak di baris %(n)s: %(e)s") % {"n": reader.line_num, "e": exc})

    return Table(
        header=[_header_text(c) for c in header],
        rows=rows(),
        estimated_rows=estimated,
        close=fh.close,
        warnings=warnings,
    )


def _header_text(name: str) -> str:
    return name.replace("\x00", "").strip()  # a NUL is never part of a column name (and PostgreSQL refuses it)


def _xlsx_unopenable(exc: Exception) -> FileUnreadable:
    # the parser's own (English) words help nobody at a desk; the job's log keeps them (the cause)
    error = FileUnreadable(_("Berkas XLSX rusak atau bukan XLSX; simpan ulang dari Excel sebagai .xlsx atau .csv."))
    error.__cause__ = exc
    return error


def _check_zip(path: Path) -> None:
    """Refuse an XLSX whose parts would inflate beyond the bounds before any XML is parsed."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _xlsx_unopenable(exc)
    refuse = _("Berkas XLSX ditolak: isinya saat dibuka terlalu besar (%(why)s). Simpan ulang atau bagi berkasnya.")
    if len(members) > _limit("IMPORT_XLSX_MAX_MEMBERS", 10_000):
        raise FileUnreadable(refuse % {"why": _("%(n)s bagian") % {"n": len(members)}})
    total = sum(m.file_size for m in members)
    if total > _limit("IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES", 1 << 30):
        raise FileUnreadable(refuse % {"why": _("%(mb)s MB") % {"mb": total >> 20}})
    ratio_limit = _limit("IMPORT_XLSX_MAX_RATIO", 200)
    for member in members:
        if member.filename.lower().endswith("sharedstrings.xml") and member.file_size > _limit(
            "IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES", 100 << 20
        ):
            raise FileUnreadable(refuse % {"why": _("teks bersama %(mb)s MB") % {"mb": member.file_size >> 20}})
        if member.file_size > (1 << 20) and member.file_size > ratio_limit * max(member.compress_size, 1):
            raise FileUnreadable(
                refuse % {"why": _("rasio pemadatan %(r)s:1") % {"r": member.file_size // max(member.compress_size, 1)}}
            )


def _xml_refused() -> FileUnreadable:
    return FileUnreadable(
        _(
            "Berkas XLSX ditolak: isinya bukan lembar kerja yang sah (XML rusak atau memuat definisi entitas/DTD, "
            "yang tidak diizinkan). Buka di aplikasi lembar kerja lalu simpan ulang sebagai .xlsx."
        )
    )


def _xml_refusal(exc: BaseException) -> bool:
    """True when the error (or what it wraps: openpyxl re-raises parser errors as ValueError) is the XML's."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, DefusedXmlException | ParseError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _open_xlsx(path: Path) -> Table:
    _check_zip(path)
    # a file object, not a name: openpyxl judges names by extension, we judge by content
    fh = path.open("rb")
    try:
        wb = load_workbook(fh, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, InvalidFileException, ParseError) as exc:
        fh.close()
        if _xml_refusal(exc):
            raise _xml_refused()
        raise _xlsx_unopenable(exc)

    def close() -> None:
        wb.close()
        fh.close()

    try:
        if not wb.worksheets:
            raise FileUnreadable(_("Berkas XLSX tidak berisi lembar kerja."))
        ws = wb.worksheets[0]
        if (ws.max_row or 0) > max_rows() + 1:  # the sheet's own dimension; checked again while reading
            raise _too_many_rows()
        it = ws.iter_rows(values_only=True)
        header_row = None
        header_number = 0
        for values in it:  # skip leading blank rows (some exports have a title)
            header_number += 1
            if any(v not in (None, "") for v in values):
                header_row = values
                break
        if header_row is None:
            raise FileUnreadable(_("Berkas kosong: tidak ada baris judul kolom."))
    except (DefusedXmlException, ParseError):
        close()
        raise _xml_refused()
    except FileUnreadable:
        close()
        raise
    header = [_header_text(_cell_text(v)) for v in header_row]
    width = len(header)

    def rows() -> Iterator[tuple[int, list[str]]]:
        limit = max_rows() + header_number
        try:
            for n, values in enumerate(it, start=header_number + 1):
                if n > limit:
                    raise _too_many_rows()
                cells = [_cell_text(v) for v in values[:width]]
                yield n, cells
        except (DefusedXmlException, ParseError):
            raise _xml_refused()
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
