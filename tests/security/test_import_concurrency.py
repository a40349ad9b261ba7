"""The same file imported twice at once (issue #15, L6): on PostgreSQL both used to resume the same ImportRun
and one died with a UniqueViolation traceback. The second is now refused at once with one Indonesian reason,
before it reads a row; the first finishes; the lock dies with its holder. Other files of the same template
still import in parallel (apps/reports/tests/test_rollups_concurrency.py)."""

import threading

import pytest

from apps.core.actors import COMMAND_LINE
from apps.core.testing import POSTGRES_PARALLEL
from apps.imports.framework import importer_for, run_import
from apps.imports.locks import ImportBusy, import_lock
from apps.imports.models import ImportRun, ImportStatus

pytestmark = POSTGRES_PARALLEL

BUSY = "Berkas yang sama sedang diimpor dengan templat koperasi; tunggu sampai impor itu selesai, lalu impor lagi."
FILE = (
    "nomor_badan_hukum,nama,jenis,tanggal_badan_hukum,kode_wilayah,alamat\n"
    "SEC/C/001,KSP Satu,KSP,2010-01-05,33.03.01.2001,x\n"
    "SEC/C/002,KSP Dua,KSP,2010-01-05,33.03.01.2001,x\n"
)


def test_same_file_twice_at_once_refuses_the_second_with_a_reason(transactional_regions, tmp_path, monkeypatch):
    from apps.koperasi.models import Koperasi

    path = tmp_path / "koperasi.csv"
    path.write_text(FILE, encoding="utf-8")
    importer_cls = importer_for("koperasi")
    original = importer_cls.write_batch
    writing, release = threading.Event(), threading.Event()

    def slow_write(self, rows):  # the first import holds its lock mid-file until the second has tried
        writing.set()
        assert release.wait(60)
        return original(self, rows)

    monkeypatch.setattr(importer_cls, "write_batch", slow_write)
    outcome: dict[str, object] = {}

    def first() -> None:
        from django.db import connection

        try:
            outcome["first"] = run_import(kind="koperasi", path=path, actor=COMMAND_LINE).summary
        except Exception as exc:  # asserted below
            outcome["first"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert writing.wait(60)
        with pytest.raises(ImportBusy) as refused:
            run_import(kind="koperasi", path=path, actor=COMMAND_LINE)
        assert str(refused.value) == BUSY
    finally:
        release.set()
        thread.join(120)
    assert outcome["first"] == "rows: 2, created: 2, updated: 0, unchanged: 0, rejected: 0"
    assert list(ImportRun.objects.values_list("status", flat=True)) == [ImportStatus.DONE]
    assert Koperasi.objects.filter(nomor_badan_hukum__startswith="SEC/C/").count() == 2
    # released: the same file again is an ordinary re-import
    again = run_import(kind="koperasi", path=path, actor=COMMAND_LINE)
    assert again.summary == "rows: 2, created: 0, updated: 0, unchanged: 2, rejected: 0"


def test_another_file_or_template_is_not_blocked():
    with import_lock(kind="umkm", run_key="aaa:{}"):
        with import_lock(kind="umkm", run_key="bbb:{}"):
            pass
        with import_lock(kind="koperasi", run_key="aaa:{}"):
            pass


def test_a_dead_holder_releases_the_lock():
    """The lock belongs to the holder's connection: when it closes (a crashed worker), the lock is free."""
    from django.db import connections

    held = []

    def hold_and_die() -> None:
        lock = import_lock(kind="umkm", run_key="aaa:{}")
        held.append(lock)
        lock.__enter__()  # never exited: the thread's connection closes as a dying process's would
        connections["default"].close()

    thread = threading.Thread(target=hold_and_die)
    thread.start()
    thread.join(60)
    with import_lock(kind="umkm", run_key="aaa:{}"):
        pass
