import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from apps.audit.services import audit_log
from apps.imports.models import HeaderAlias
from apps.jobs.models import Job
from apps.jobs.services import job_enqueue


def import_upload(*, kind: str, upload: UploadedFile, options: dict[str, Any], actor: Any) -> Job:
    """Keep the uploaded file and queue its import as a background job."""
    folder = Path(settings.MEDIA_ROOT) / "imports" / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    name = Path(upload.name or "upload.csv").name
    target = folder / name
    with target.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    return job_enqueue(
        kind="import",
        params={"kind": kind, "path": str(target), "options": options, "actor_id": actor.pk, "file_name": name},
        actor=actor,
    )


@transaction.atomic
def header_alias_create(*, kind: str, alias: str, column: str, actor: Any) -> HeaderAlias:
    obj, _created = HeaderAlias.objects.update_or_create(kind=kind, alias=alias.strip(), defaults={"column": column})
    audit_log(actor=actor, action="import.alias", obj=obj, changes={"alias": alias, "column": column})
    return obj
