"""SPEC §8 contract of `import_data`, for every template that has landed: a file that cannot be read
as a whole stops the command with an error (non-zero exit); a file with rejected rows does not."""

import pytest
from django.core.management import CommandError

from .conftest import assert_summary, require, run_import
from .generate import ImportFile

pytestmark = pytest.mark.django_db

KINDS = [("umkm", []), ("koperasi", []), ("laporan_koperasi", []), ("penjualan", ["--channel", "shopee"]),
         ("penjualan", ["--channel", "tokopedia"]), ("penjualan", ["--channel", "bukalapak"])]  # fmt: skip


@pytest.mark.parametrize(("kind", "options"), KINDS)
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rusak.xlsx", b"PK\x03\x04 bukan arsip zip yang utuh"),
        ("kosong.csv", b""),
        ("salah_templat.csv", b"kolom_a,kolom_b\n1,2\n"),
    ],
)
def test_unreadable_file_stops_with_an_error(tmp_path, kind, options, name, content):
    require(kind)
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError):
        run_import(ImportFile(kind, path, options))


@pytest.mark.parametrize("kind", ["umkm", "koperasi", "laporan_koperasi", "penjualan"])
def test_file_with_rejected_rows_is_processed(edge, kind):
    """Exit 0 (no exception) and the summary line, even when rows are rejected."""
    require(kind)
    f = next(f for f in edge.files if f.kind == kind and (f.rejected or kind == "penjualan"))
    if kind == "laporan_koperasi":
        require("koperasi")
        run_import(edge.files_of("koperasi")[0])
    assert_summary(run_import(f), f)
