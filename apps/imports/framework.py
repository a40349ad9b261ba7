"""The import framework shared by every template (umkm, koperasi, laporan_koperasi, penjualan).

An importer declares its columns and implements `validate` (one row → clean data or errors) and
`write_batch` (clean rows → counts). The runner does the rest, the same way for the command line and
the web upload:

- reads CSV or XLSX as a stream; header names are case-insensitive and may be aliases;
- validates every row; rejected rows go to an error CSV with row number, column and reason;
- writes valid rows in batches, each batch in one transaction together with the run's checkpoint, so a
  crash leaves whole batches only, and importing the same file again resumes after the last one;
- an importer with `scans_first` sees every valid row once before anything is written (`scan`), so it
  can resolve duplicates over the whole file: a row it calls `superseded` (a later row of the file
  stands for the same record) is counted unchanged and never written, whichever batch it falls in;
- prints `rows: N, created: N, updated: N, unchanged: N, rejected: N`.

Bad input stays per row (issue #15): a cell holding a NUL character rejects its row ("karakter tidak sah (NUL)";
PostgreSQL cannot store it and would abort the whole batch); a file that turns out unreadable part-way ends its
run as failed with the reason, not "running"; one import at a time of the same file (`import_lock`).
"""

import hashlib
import importlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from django import forms
from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.selectors import user_regency_codes
from apps.audit.models import AuditEntry
from apps.audit.services import audit_entry, audit_log
from apps.core.actors import Actor, actor_user
from apps.core.roles import STAFF
from apps.core.spreadsheets import csv_writer
from apps.imports.locks import import_lock
from apps.imports.models import HeaderAlias, ImportRun, ImportStatus
from apps.imports.parsing import normalize_header
from apps.imports.readers import FileUnreadable, open_table
from apps.imports.workbook import ColumnDoc
from apps.jobs.progress import Progress

logger = logging.getLogger(__name__)


@dataclass
class RowError:
    column: str
    reason: str


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __iadd__(self, other: "Counts") -> "Counts":
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self


@dataclass
class RecordState:
    """A record an import row touches, as it is before the batch is written (existing records only) or
    after. The framework refuses rows touching a record outside the importer's scope and writes one audit
    entry per record the batch created or changed, with its fields before → after."""

    record_type: str  # model label, e.g. "koperasi.koperasi"
    record_id: str
    record_repr: str
    # the regencies the record belongs to (an owner: those of all his businesses)
    regency_codes: frozenset[str]
    values: dict[str, Any]
    # False: this row leaves the record as it is (an owner whose name, gender and phone already match),
    # so a record shared with another regency does not stop the row
    guarded: bool = True

    @property
    def key(self) -> tuple[str, str]:
        return (self.record_type, self.record_id)


def import_scope(actor: Actor | None) -> set[str] | None:
    """Regencies whose records a web import may change: the uploader's, as on the pages that edit those
    records; None = every regency (administrators; `import_data`, which acts as the system)."""
    if not getattr(actor, "is_authenticated", False):
        return None
    return user_regency_codes(actor)


def scope_error(column: str, regencies: Iterable[str]) -> RowError:
    return RowError(
        column,
        _(
            "data yang sudah ada untuk baris ini milik wilayah %(w)s, di luar wilayah tugas Anda; "
            "hanya petugas wilayah itu yang dapat mengubahnya"
        )
        % {"w": ", ".join(sorted(regencies))},
    )


@dataclass
class ImportResult:
    run: ImportRun
    errors_path: Path | None
    warnings: list[str] = field(default_factory=list)
    resumed_from: int = 0

    @property
    def summary(self) -> str:
        return self.run.summary


class Importer:
    """Subclass per template. Instances live for one run, so they may cache lookups in `prepare`."""

    # templates receive the class itself (upload page): do not let them call it with no arguments
    do_not_call_in_templates: ClassVar[bool] = True
    kind: ClassVar[str]
    label: ClassVar[str]
    # canonical column name -> required?
    columns: ClassVar[dict[str, bool]]
    aliases: ClassVar[dict[str, str]] = {}
    batch_size: ClassVar[int] = 2000
    # roles that may upload this template on the web
    roles: ClassVar[tuple[str, ...]] = STAFF
    # extra options for the web form (the command line has its own flags)
    options_form: ClassVar[type[forms.Form] | None] = None
    # read the file twice: `scan` every valid row first, then write the rows not `superseded`
    scans_first: ClassVar[bool] = False

    # Scope and per-record audit (issue #15): an importer implements `records_touched`, or, when every record it
    # writes is already checked and audited elsewhere (through services), says why here.
    scope_note: ClassVar[str] = ""
    # True when write_batch already writes its own per-record audit entries (records_touched then serves the
    # scope check only)
    audits_records: ClassVar[bool] = False
    # the column named in the rejection of a row outside the scope
    scope_column: ClassVar[str] = ""
    # column name -> ColumnDoc (meaning, accepted formats, example value) for the downloadable template
    # (`apps.imports.workbook`); names shared by several importers are described there once
    column_docs: ClassVar[dict[str, ColumnDoc]] = {}

    def __init__(self, *, options: dict[str, Any], actor: Actor | None) -> None:
        self.options = options
        self.actor = actor
        self.expected_rows = 0  # the reader's estimate, known before `prepare`
        self.scope: set[str] | None = import_scope(actor)

    def records_touched(self, rows: list[tuple[int, Any]]) -> dict[int, list[RecordState]] | None:
        """The existing records each row would change, as they are now (row number → states); called
        before and after the batch's write in its transaction. None: not implemented (see scope_note)."""
        return None

    def record_scope(self) -> set[str] | None:
        """Regencies whose existing records this run may change (None = all)."""
        return self.scope

    def prepare(self) -> None:
        """Load what validation needs (lookup sets) once per run."""

    def validate(self, row: dict[str, str]) -> tuple[Any, list[RowError]]:
        raise NotImplementedError

    def scan(self, row_number: int, clean: Any) -> None:
        """First pass (`scans_first`): see one valid row; keep only what `superseded` needs, compactly."""

    def superseded(self, row_number: int, clean: Any) -> bool:
        """Second pass (`scans_first`): True when a later row of the file stands for the same record."""
        return False

    def write_batch(self, rows: list[tuple[int, Any]]) -> Counts:
        """Write (row_number, clean) pairs; runs inside the batch's transaction."""
        raise NotImplementedError

    def finish(self, run: ImportRun) -> None:
        """After the last batch (inside a transaction): recompute derived data if needed."""

    def after_commit(self, run: ImportRun, progress: Progress) -> None:
        """After the run is committed and before it reports itself done: bring derived data that may
        lag behind (report roll-ups) up to date, with the progress shown. A failure here is logged and
        loses nothing (the import is kept; the derived data catches up when next read)."""

    def options_key(self) -> str:
        return json.dumps(self.options, sort_keys=True, default=str)[:200]


_registry: dict[str, type[Importer]] = {}


def register_importer(cls: type[Importer]) -> type[Importer]:
    _registry[cls.kind] = cls
    return cls


def importers() -> dict[str, type[Importer]]:

    for config in apps.get_app_configs():
        try:
            importlib.import_module(f"{config.name}.importers")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.importers":
                raise
    return dict(sorted(_registry.items()))


def importer_for(kind: str) -> type[Importer]:
    found = importers().get(kind)
    if found is None:
        raise FileUnreadable(_("Jenis impor tidak dikenal: %(k)s") % {"k": kind})
    return found


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def map_header(importer: Importer | type[Importer], header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Column positions by canonical name, and warnings for extra columns. Raises for missing ones.

    Given an instance, its own `columns`/`aliases` apply, so one kind may read several layouts chosen
    by an option (penjualan: one per marketplace); operator aliases apply to the columns it reads.
    """
    aliases = {normalize_header(k): v for k, v in importer.aliases.items()}
    aliases.update(
        {
            normalize_header(a): c
            for a, c in HeaderAlias.objects.filter(kind=importer.kind).values_list("alias", "column")
            if c in importer.columns
        }
    )
    canonical = {normalize_header(c): c for c in importer.columns}
    positions: dict[str, int] = {}
    extra: list[str] = []
    for i, name in enumerate(header):
        key = normalize_header(name)
        if not key:
            continue
        column = canonical.get(key) or aliases.get(key)
        if column and column not in positions:
            positions[column] = i
        else:
            extra.append(name)
    missing = [c for c, required in importer.columns.items() if required and c not in positions]
    if missing:
        raise FileUnreadable(
            _("Kolom wajib tidak ditemukan: %(cols)s. Judul kolom di berkas: %(found)s")
            % {"cols": ", ".join(missing), "found": ", ".join(h for h in header if h)}
        )
    warnings = [_("Kolom tambahan diabaikan: %(cols)s") % {"cols": ", ".join(extra)}] if extra else []
    return positions, warnings


def _nul_errors(cells: list[str], header: list[str]) -> list[RowError]:
    return [
        RowError(header[i] if i < len(header) and header[i] else str(i + 1), _("karakter tidak sah (NUL)"))
        for i, c in enumerate(cells)
        if "\x00" in c
    ]


def _without_nul(cells: list[str]) -> list[str]:
    return [c.replace("\x00", "") for c in cells]


def run_import(
    *,
    kind: str,
    path: str | Path,
    options: dict[str, Any] | None = None,
    actor: Actor | None = None,
    progress: Progress | None = None,
    errors_path: str | Path | None = None,
    file_name: str = "",
) -> ImportResult:
    """Import one file. Raises FileUnreadable when the file as a whole cannot be read, ImportBusy (one) when
    the same file is being imported with the same template and options (it would resume the same run)."""
    path = Path(path)
    importer = importer_for(kind)(options=options or {}, actor=actor)
    digest = _sha256(path) if path.is_file() else ""
    with import_lock(kind=kind, run_key=f"{digest}:{importer.options_key()}"):
        return _run_import(
            importer,
            path=path,
            digest=digest,
            actor=actor,
            progress=progress or Progress(),
            errors_path=errors_path,
            file_name=file_name,
        )


def _run_import(
    importer: Importer,
    *,
    path: Path,
    digest: str,
    actor: Actor | None,
    progress: Progress,
    errors_path: str | Path | None,
    file_name: str,
) -> ImportResult:
    kind = importer.kind
    table = open_table(path)
    try:
        positions, warnings = map_header(importer, table.header)
    except FileUnreadable:
        table.close()
        raise
    warnings = table.warnings + warnings
    key = importer.options_key()
    run = (
        ImportRun.objects.filter(kind=kind, file_sha256=digest, options_key=key, status=ImportStatus.RUNNING)
        .order_by("-started_at")
        .first()
    )
    resumed_from = run.checkpoint_row if run else 0
    if run is None:
        run = ImportRun.objects.create(
            kind=kind,
            file_name=(file_name or path.name)[:255],
            file_sha256=digest,
            options_key=key,
            actor=actor_user(actor),
            warnings=warnings,
        )
    errors_path = Path(errors_path) if errors_path else path.with_name(path.stem + ".galat.csv")
    try:
        return _read_and_write(
            importer, run, table, path=path, positions=positions, warnings=warnings, actor=actor,
            progress=progress, errors_path=errors_path, resumed_from=resumed_from,
        )  # fmt: skip
    except FileUnreadable as exc:
        # unreadable part-way (a broken row, a hostile part of an XLSX): the same file will fail the same way,
        # so the run ends as failed with the reason instead of waiting "running" for a resume
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportStatus.FAILED, finished_at=timezone.now(), warnings=[*run.warnings, str(exc)]
        )
        raise


def _read_and_write(
    importer: Importer,
    run: ImportRun,
    table: Any,
    *,
    path: Path,
    positions: dict[str, int],
    warnings: list[str],
    actor: Actor | None,
    progress: Progress,
    errors_path: Path,
    resumed_from: int,
) -> ImportResult:
    importer_cls = type(importer)
    kind = importer.kind
    importer.expected_rows = table.estimated_rows
    importer.prepare()
    offset = 0
    if importer_cls.scans_first:
        progress.start(2 * table.estimated_rows, _("mencari baris ganda"))
        try:
            offset = _scan(importer, table.rows, positions, progress)
        finally:
            table.close()
        table = open_table(path)
        progress.update(offset, _("memeriksa dan menyimpan"))
    else:
        progress.start(table.estimated_rows, _("memeriksa dan menyimpan"))

    rows = rejected = superseded = 0
    batch: list[tuple[int, Any]] = []
    batch_cells: dict[int, list[str]] = {}

    def commit() -> int:
        nonlocal superseded
        refused = _commit_batch(importer, run, batch, superseded=superseded)
        superseded = 0
        for number, errors in sorted(refused.items()):
            error_writer.writerow(
                [number, ", ".join(e.column for e in errors), "; ".join(e.reason for e in errors), *batch_cells[number]]
            )
        batch.clear()
        batch_cells.clear()
        return len(refused)

    error_fh = errors_path.open("w", encoding="utf-8-sig", newline="")
    error_writer = csv_writer(error_fh)
    error_writer.writerow(["baris", "kolom", "alasan", *table.header])
    try:
        for row_number, cells in table.rows:
            if not any(cells):
                continue
            rows += 1
            errors = _nul_errors(cells, table.header)
            if not errors:
                row = {c: (cells[i] if i < len(cells) else "") for c, i in positions.items()}
                clean, errors = importer.validate(row)
            if errors:
                rejected += 1
                error_writer.writerow(
                    [
                        row_number,
                        ", ".join(e.column for e in errors),
                        "; ".join(e.reason for e in errors),
                        *_without_nul(cells),
                    ]
                )
            elif row_number > resumed_from:
                if importer.superseded(row_number, clean):
                    superseded += 1
                else:
                    batch.append((row_number, clean))
                    batch_cells[row_number] = cells
                    if len(batch) >= importer_cls.batch_size:
                        rejected += commit()
            progress.update(offset + rows)
        if batch:
            rejected += commit()
        with transaction.atomic():
            importer.finish(run)
            run.refresh_from_db()
            run.unchanged += superseded
            run.rows, run.rejected, run.status, run.finished_at = rows, rejected, ImportStatus.DONE, timezone.now()
            run.errors_file = str(errors_path) if rejected else ""
            run.save()
            audit_log(
                actor=actor,
                action=f"import.{kind}",
                obj=run,
                changes={"ringkasan": run.summary},
                regency_code=str(importer.options.get("regency", ""))[:5],
            )
    finally:
        error_fh.close()
        table.close()
    if not rejected:
        errors_path.unlink(missing_ok=True)
    try:
        importer.after_commit(run, progress)
    except Exception:  # the import is done and kept; derived data catches up when next read
        logger.exception("follow-up (after_commit) of import run %s failed", run.pk)
    progress.finish(run.ringkasan)
    return ImportResult(
        run=run, errors_path=errors_path if rejected else None, warnings=warnings, resumed_from=resumed_from
    )


def _scan(
    importer: Importer, rows: Iterable[tuple[int, list[str]]], positions: dict[str, int], progress: Progress
) -> int:
    """The first pass of a `scans_first` importer: validate every row and show the valid ones to `scan`.
    Nothing is written and no error is reported (the second pass does both). Returns the rows read."""
    read = 0
    for row_number, cells in rows:
        if not any(cells):
            continue
        read += 1
        if _nul_errors(cells, []):
            continue  # rejected in the second pass
        clean, errors = importer.validate({c: (cells[i] if i < len(cells) else "") for c, i in positions.items()})
        if not errors:
            importer.scan(row_number, clean)
        progress.update(read)
    return read


def _commit_batch(
    importer: Importer, run: ImportRun, batch: list[tuple[int, Any]], *, superseded: int = 0
) -> dict[int, list[RowError]]:
    """Write one batch with the run's checkpoint and counts in one transaction; `superseded` rows met
    since the previous batch (never written: a later row stands for them) count as unchanged. Returns the
    rows refused because they touch a record outside the importer's scope (they are not written)."""
    last_row = batch[-1][0]
    with transaction.atomic():
        before = importer.records_touched(batch)
        refused: dict[int, list[RowError]] = {}
        allowed = importer.record_scope()
        if before is not None and allowed is not None:
            for number, states in before.items():
                outside = {code for s in states if s.guarded for code in s.regency_codes} - allowed
                if outside:
                    refused[number] = [scope_error(importer.scope_column, outside)]
        kept = [(n, clean) for n, clean in batch if n not in refused]
        counts = importer.write_batch(kept) if kept else Counts()
        if before is not None and kept and (counts.created or counts.updated) and not importer.audits_records:
            after = importer.records_touched(kept) or {}
            _audit_records(importer, before, after)
        run.checkpoint_row = last_row
        run.created += counts.created
        run.updated += counts.updated
        run.unchanged += counts.unchanged + superseded
        run.save(update_fields=["checkpoint_row", "created", "updated", "unchanged"])
    return refused


def _merged(states_by_row: dict[int, list[RecordState]]) -> dict[tuple[str, str], RecordState]:
    """One state per record: rows of one record (a business's several data years) add their fields."""
    merged: dict[tuple[str, str], RecordState] = {}
    for states in states_by_row.values():
        for state in states:
            if state.key in merged:
                merged[state.key].values.update(state.values)
            else:
                merged[state.key] = RecordState(**{**state.__dict__, "values": dict(state.values)})
    return merged


def _audit_records(
    importer: Importer, before: dict[int, list[RecordState]], after: dict[int, list[RecordState]]
) -> None:
    """One audit entry per record the batch created or changed: who (the importer's actor), what (the
    record), before → after of each changed field. Written in bulk, in the batch's transaction."""

    old, new = _merged(before), _merged(after)
    entries: list[AuditEntry] = []
    for key, state in new.items():
        previous = old.get(key)
        if previous is None:
            changes = {f: [None, v] for f, v in state.values.items() if v not in (None, "")}
            verb = "import_create"
        else:
            changes = {f: [previous.values.get(f), v] for f, v in state.values.items() if previous.values.get(f) != v}
            verb = "import_update"
        if not changes:
            continue
        entries.append(
            audit_entry(
                actor=importer.actor,
                action=f"{state.record_type.rsplit('.', 1)[-1]}.{verb}",
                record_type=state.record_type,
                record_id=state.record_id,
                record_repr=state.record_repr,
                changes={"impor": importer.kind, **changes},
                regency_code=min(state.regency_codes) if state.regency_codes else "",
            )
        )
    AuditEntry.objects.bulk_create(entries, batch_size=1000)


def chunked(items: Iterable[Any], size: int) -> Iterable[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
