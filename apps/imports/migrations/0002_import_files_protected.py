"""Uploaded import files (they hold plaintext NIK) and rejected-row files leave the public MEDIA_ROOT for
the protected storage; the paths kept by import runs and queued jobs follow them."""

import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations


def _move(registry, source_root: Path, target_root: Path) -> None:
    source, target = source_root / "imports", target_root / "imports"
    if not source.is_dir():
        return
    target.mkdir(parents=True, exist_ok=True)
    for folder in source.iterdir():
        if folder.is_dir() and not (target / folder.name).exists():
            shutil.move(str(folder), str(target / folder.name))
    old, new = str(source) + "/", str(target) + "/"
    ImportRun = registry.get_model("imports", "ImportRun")
    for run in ImportRun.objects.filter(errors_file__startswith=old).only("pk", "errors_file"):
        ImportRun.objects.filter(pk=run.pk).update(errors_file=new + run.errors_file[len(old) :])
    Job = registry.get_model("jobs", "Job")
    for job in Job.objects.filter(kind="import").only("pk", "params"):
        path = str(job.params.get("path", ""))
        if path.startswith(old):
            job.params["path"] = new + path[len(old) :]
            Job.objects.filter(pk=job.pk).update(params=job.params)


def to_protected(registry, schema_editor):
    _move(registry, Path(settings.MEDIA_ROOT), Path(settings.PROTECTED_MEDIA_ROOT))


def to_public(registry, schema_editor):
    _move(registry, Path(settings.PROTECTED_MEDIA_ROOT), Path(settings.MEDIA_ROOT))


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial"),
        ("jobs", "0001_initial"),
    ]

    operations = [migrations.RunPython(to_protected, to_public)]
