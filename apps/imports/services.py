import shutil
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from apps.audit.services import audit_log
from apps.core.actors import Actor, signed_in_user
from apps.imports.models import HeaderAlias
from apps.jobs.models import Job
from apps.jobs.services import job_enqueue

KNOWN_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls")


def import_upload(*, kind: str, upload: UploadedFile, options: dict[str, Any], actor: Actor) -> Job:
    """Keep the uploaded file in the protected storage (it may hold plaintext NIK; no URL serves it) under
    a random folder and a fixed name, and queue its import as a background job. The job deletes the file
    when the import ends; `import_files_purge` removes what is left after IMPORT_FILE_RETENTION_HOURS."""
    uploader = signed_in_user(actor)  # a web upload; the command line imports with `import_data`
    folder = imports_root() / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    name = Path(upload.name or "upload.csv").name
    suffix = Path(name).suffix.lower()
    target = folder / f"berkas{suffix if suffix in KNOWN_SUFFIXES else '.csv'}"
    with target.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    return job_enqueue(
        kind="import",
        params={"kind": kind, "path": str(target), "options": options, "actor_id": uploader.pk, "file_name": name},
        actor=actor,
    )


def imports_root() -> Path:
    return Path(settings.PROTECTED_MEDIA_ROOT) / "imports"


def import_file_discard(path: str | Path) -> None:
    """The uploaded file of a finished web import: deleted (its rejected-rows file stays until the purge)."""
    path = Path(path)
    root = imports_root().resolve()
    if root in path.resolve().parents:
        path.unlink(missing_ok=True)


def import_files_purge(*, older_than_hours: int | None = None) -> int:
    """Delete web import folders (uploaded file, rejected-rows file) older than the retention period.
    Runs as the worker's idle task; returns how many folders went."""
    hours = settings.IMPORT_FILE_RETENTION_HOURS if older_than_hours is None else older_than_hours
    root = imports_root()
    if not root.is_dir():
        return 0
    limit = time.time() - hours * 3600
    removed = 0
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


@transaction.atomic
def header_alias_create(*, kind: str, alias: str, column: str, actor: Actor) -> HeaderAlias:
    obj, _created = HeaderAlias.objects.update_or_create(kind=kind, alias=alias.strip(), defaults={"column": column})
    audit_log(actor=actor, action="import.alias", obj=obj, changes={"alias": alias, "column": column})
    return obj
