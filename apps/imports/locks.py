"""One import at a time of the same file with the same template and options (issue #15, L6).

Two imports of the same file (uploaded twice, or the command and the web at once) resumed the same ImportRun
and wrote the same rows side by side; on PostgreSQL one of them died on a unique constraint with a traceback.
The second is now refused at once with a clear reason, before it reads a row. Imports of different files
still run in parallel (apps/reports/tests/test_rollups_concurrency.py: row locks in code order keep them from
deadlocking), so the lock is the run's own identity (template, file SHA-256, options), not the template.

The lock dies with its holder, so a crashed import never blocks the next one:
- PostgreSQL: a session-level advisory lock on the import's own connection (released by
  `pg_advisory_unlock`, or by PostgreSQL when the connection ends); it does not take part in the batches'
  transactions;
- SQLite (one machine, development and tests): an exclusive `flock` on a file in the temporary directory,
  named after the database and the run, released by the kernel when the process ends.
"""

import fcntl
import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection
from django.utils.translation import gettext as _

from apps.imports.readers import FileUnreadable


class ImportBusy(FileUnreadable):
    """The same file is being imported with the same template and options; nothing was read or written."""


def _busy(kind: str) -> ImportBusy:
    return ImportBusy(
        _("Berkas yang sama sedang diimpor dengan templat %(k)s; tunggu sampai impor itu selesai, lalu impor lagi.")
        % {"k": kind}
    )


@contextmanager
def import_lock(*, kind: str, run_key: str) -> Iterator[None]:
    """Hold the lock of (kind, run_key) for the block; raise ImportBusy at once when another holds it."""
    key = f"import:{kind}:{run_key}"
    if connection.vendor == "postgresql":
        number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [number])
            (taken,) = cursor.fetchone()
        if not taken:
            raise _busy(kind)
        try:
            yield
        finally:
            if connection.connection is not None:  # a connection that broke has released it already
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [number])
        return
    folder = Path(tempfile.gettempdir()) / "tukatuku-import-locks"
    folder.mkdir(parents=True, exist_ok=True)
    database = str(connection.settings_dict["NAME"])
    path = folder / (hashlib.sha256(f"{database}\n{key}".encode()).hexdigest()[:32] + ".lock")
    with path.open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _busy(kind)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
