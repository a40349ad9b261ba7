"""Issue #15 H3/item 4: uploaded import files (plaintext NIK) live in the protected storage, are deleted when
the import ends, and rejected-row files are served only to their uploader and purged after retention."""

import os
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.imports.models import ImportRun
from apps.imports.services import import_files_purge
from apps.jobs.services import job_run_pending

KOPERASI = (
    b"nomor_badan_hukum,nama,jenis,tanggal_badan_hukum,kode_wilayah,alamat,tanggal_pembubaran\n"
    b"BH-1,KSP Purbalingga,KSP,2010-01-01,33.03.01.2001,,\n"
    b"BH-2,KSP Salah,KSP,bukan-tanggal,33.03.01.2001,,\n"
)


def files_under(root) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


pytestmark = pytest.mark.django_db


def test_upload_is_private_deleted_at_the_end_and_errors_served_only_to_the_uploader(
    client, settings, operator, other_operator
):
    client.force_login(operator)
    response = client.post(
        reverse("imports:upload", args=["koperasi"]), {"file": SimpleUploadedFile("../../koperasi.csv", KOPERASI)}
    )
    assert response.status_code == 302
    uploaded = files_under(settings.PROTECTED_MEDIA_ROOT)
    assert [p.name for p in uploaded] == ["berkas.csv"] and files_under(settings.MEDIA_ROOT) == []
    job_run_pending()
    run = ImportRun.objects.get(kind="koperasi")
    assert run.file_name == "koperasi.csv" and (run.created, run.rejected) == (1, 1)
    # the uploaded file is gone; only the rejected-rows file is left, still private
    assert [p.name for p in files_under(settings.PROTECTED_MEDIA_ROOT)] == ["berkas.galat.csv"]
    url = reverse("imports:errors", args=[run.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="koperasi-ditolak-{run.pk}.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"BH-2" in response.content
    assert client.get(reverse("imports:errors_xlsx", args=[run.pk]))["X-Content-Type-Options"] == "nosniff"
    client.force_login(other_operator)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_unreadable_upload_is_deleted_too(client, settings, operator):
    client.force_login(operator)
    client.post(reverse("imports:upload", args=["koperasi"]), {"file": SimpleUploadedFile("x.csv", b"a,b\n1,2\n")})
    job_run_pending()
    assert files_under(settings.PROTECTED_MEDIA_ROOT) == []


def test_purge_removes_folders_older_than_the_retention(settings):
    root = Path(settings.PROTECTED_MEDIA_ROOT) / "imports"
    old, new = root / "a", root / "b"
    for folder in (old, new):
        folder.mkdir(parents=True)
        (folder / "berkas.galat.csv").write_text("baris,kolom,alasan\n")
    past = time.time() - (settings.IMPORT_FILE_RETENTION_HOURS + 1) * 3600
    os.utime(old, (past, past))
    assert import_files_purge() == 1
    assert [p.parent.name for p in files_under(settings.PROTECTED_MEDIA_ROOT)] == ["b"]
    assert import_files_purge(older_than_hours=0) == 1
