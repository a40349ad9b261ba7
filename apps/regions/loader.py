"""Loads Kemendagri region codes from a `kode,nama` CSV (plain or gzip) into Region.

The project ships the national list (Kepmendagri 300.2.2-2138/2025, from the MIT-licensed
cahyadsn/wilayah dataset) as data/wilayah.csv.gz; the loader also takes a newer CSV in the same form.
"""

import csv
import gzip
import io
from collections.abc import Iterator
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent / "data" / "wilayah.csv.gz"


def read_rows(path: Path = SHIPPED, prefix: str = "") -> Iterator[tuple[str, str]]:
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:  # type: ignore[operator]
        reader = csv.reader(fh if isinstance(fh, io.TextIOBase) else fh)
        header = next(reader)
        if [h.strip().lower() for h in header[:2]] != ["kode", "nama"]:
            raise ValueError("Header berkas wilayah harus 'kode,nama'")
        for row in reader:
            if len(row) >= 2 and row[0].startswith(prefix):
                yield row[0].strip(), row[1].strip()


def load_regions(region_model, path: Path = SHIPPED, prefix: str = "", batch_size: int = 5000) -> int:
    """Insert or update every region of the file; returns how many rows were read.

    Takes the model as an argument so the data migration can pass its historical model.
    """
    rows = sorted(read_rows(path, prefix), key=lambda r: (r[0].count("."), r[0]))
    existing = set(region_model.objects.values_list("code", flat=True))
    new: list = []
    changed: list = []
    for code, name in rows:
        parent = code.rsplit(".", 1)[0] if "." in code else None
        obj = region_model(code=code, name=name, level=code.count(".") + 1, parent_id=parent)
        (changed if code in existing else new).append(obj)
    region_model.objects.bulk_create(new, batch_size=batch_size)
    if changed:
        region_model.objects.bulk_update(changed, ["name"], batch_size=batch_size)
    return len(rows)
