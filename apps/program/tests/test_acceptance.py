"""Acceptance: generated `peserta_program` files with traps, imported with the command, against a
reference count written separately from the importer (straight from SPEC §10's wording, over the rows
as plain dicts). The figures compared are those of `kpi_report --format json`."""

import csv
import json
import random
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.umkm.tests.factories import business_make, make_nik, owner_make

pytestmark = pytest.mark.django_db

HEADER = ",".join(
    ["kode_kegiatan", "jenis", "nama_kegiatan", "tanggal_mulai", "tanggal_selesai", "nik", "nama_pemilik"]
    + ["nib", "nama_usaha", "kode_wilayah", "status"]
)
STATUSES = {
    "pelatihan": ["terdaftar", "daftar_tunggu", "hadir", "lulus", "batal", "ditolak"],
    "bantuan_kemasan": ["terdaftar", "diterima", "ditolak", "diserahkan", "batal"],
    "festival": ["terdaftar", "diterima", "ditolak", "hadir", "batal"],
}
ALL_STATUSES = sorted({s for v in STATUSES.values() for s in v})
VILLAGES = ["33.03.01.2001", "33.03.02.2001", "33.03.03.2001"]


# -- the reference: SPEC §10 read literally -----------------------------------------------------------
def norm(name):
    return " ".join(re.sub(r"[^\w]+", " ", name.casefold()).split())


def ref_date(text):
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            from datetime import datetime

            return datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    return None


def reference(files, registry, year, as_of):
    """registry: list of dicts (id, nib, nik, norm). Returns the SPEC §8 `program` object."""
    by_nib = {b["nib"]: b["id"] for b in registry if b["nib"]}
    # a row without NIB: the owner's business of that name (with or without NIB); a row whose NIB the
    # registry does not know: the owner's business of that name that has no NIB yet (SPEC §4)
    by_nik_name = {(b["nik"], b["norm"]): b["id"] for b in registry}
    without_nib = {(b["nik"], b["norm"]): b["id"] for b in registry if not b["nib"]}
    activities = {}  # code -> (kind, title key, start, end)
    status = {}  # (code, business) -> status
    for rows in files:
        for r in rows:
            kind = r["jenis"].strip().lower()
            st = r["status"].strip().lower().replace(" ", "_")
            start, end = ref_date(r["tanggal_mulai"]), ref_date(r["tanggal_selesai"])
            if kind not in STATUSES or st not in STATUSES[kind] or start is None or end is None or end < start:
                continue
            if r["nib"]:
                business = by_nib.get(r["nib"]) or without_nib.get((r["nik"], norm(r["nama_usaha"])))
            else:
                business = by_nik_name.get((r["nik"], norm(r["nama_usaha"])))
            if business is None:
                continue
            title = " ".join(r["nama_kegiatan"].lower().split())
            definition = (kind, title, start, end)
            if r["kode_kegiatan"] in activities and activities[r["kode_kegiatan"]] != definition:
                continue
            activities.setdefault(r["kode_kegiatan"], definition)
            status[(r["kode_kegiatan"], business)] = st

    def counted(kind, wanted):
        return len(
            {
                b
                for (code, b), s in status.items()
                if s in wanted
                and activities[code][0] == kind
                and activities[code][2].year == year
                and activities[code][2] <= as_of
            }
        )

    def n_activities(kind):
        return sum(1 for d in activities.values() if d[0] == kind and d[2].year == year and d[2] <= as_of)

    return {
        "pelatihan": {
            "kegiatan": n_activities("pelatihan"),
            "peserta": counted("pelatihan", {"hadir", "lulus"}),
            "lulus": counted("pelatihan", {"lulus"}),
        },
        "bantuan_kemasan": {
            "kegiatan": n_activities("bantuan_kemasan"),
            "penerima": counted("bantuan_kemasan", {"diserahkan"}),
        },
        "festival": {"kegiatan": n_activities("festival"), "peserta": counted("festival", {"hadir"})},
    }


# -- the generator ----------------------------------------------------------------------------------
def build_registry(rng):
    registry = []
    for i in range(30):
        female = rng.random() < 0.5
        nik = make_nik(100 + i, female=female)
        owner = owner_make(nik=nik, name=f"Pemilik {i}", gender="P" if female else "L")
        nib = f"{2000000000000 + i}" if i % 3 else ""
        name = f"usaha nomor {i}"
        b = business_make(name=name, nib=nib, owner=owner, village=VILLAGES[i % 3])
        registry.append({"id": b.id, "nib": nib, "nik": nik, "norm": name, "name": name})
    return registry


def build_file(rng, registry, activities):
    rows = []
    for _ in range(160):
        code, kind, title, start, end = rng.choice(activities)
        b = rng.choice(registry)
        fmt = rng.choice(["%Y-%m-%d", "%d/%m/%Y"])
        row = {
            "kode_kegiatan": code,
            "jenis": kind if rng.random() < 0.9 else kind.upper(),
            "nama_kegiatan": title if rng.random() < 0.8 else f"  {title.upper()} ",
            "tanggal_mulai": start.strftime(fmt),
            "tanggal_selesai": end.strftime(fmt),
            "nik": b["nik"],
            "nama_pemilik": "x",
            "nib": b["nib"],
            "nama_usaha": rng.choice([b["name"], b["name"].upper() + ".", "Usaha, Nomor " + b["name"].split()[-1]]),
            "kode_wilayah": rng.choice(VILLAGES),
            "status": rng.choice(STATUSES[kind]) if rng.random() < 0.85 else rng.choice(ALL_STATUSES),
        }
        trap = rng.random()
        if trap < 0.05:
            row["nama_kegiatan"] = title + " lanjutan"  # contradicts the title
        elif trap < 0.10:
            row["tanggal_mulai"] = (start + timedelta(days=1)).strftime(fmt)  # contradicts the dates
        elif trap < 0.13:
            row["tanggal_selesai"] = (end + timedelta(days=2)).strftime(fmt)
        elif trap < 0.17:
            row["nib"], row["nik"] = "", make_nik(900 + rng.randrange(50))  # owner not in the registry
        elif trap < 0.20:
            row["nib"] = f"{3000000000000 + rng.randrange(99)}"  # NIB not in the registry...
            if rng.random() < 0.5:
                row["nik"] = ""  # ...and nothing else to go by
        elif trap < 0.22:
            row["nama_usaha"] = "usaha lain sama sekali"
            row["nib"] = ""
        elif trap < 0.24:
            row["status"] = "Daftar Tunggu"
        elif trap < 0.30:
            row["nib"] = ""  # identified by owner NIK + name although the business has an NIB
        elif trap < 0.33:
            row["nib"] = f"{3000000000000 + rng.randrange(99)}"  # an NIB the registry does not know yet
        if row["nib"]:
            row["nama_usaha"] = rng.choice([row["nama_usaha"], ""])
        rows.append(row)
    return rows


def write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER + "\n")
        w = csv.DictWriter(fh, fieldnames=HEADER.split(","))
        w.writerows(rows)
    return path


def kpi_program(tmp_path, year, as_of):
    target = tmp_path / f"kpi-{year}-{as_of}.json"
    call_command(
        "kpi_report", "--regency", "33.03", "--year", str(year), "--as-of", as_of.isoformat(), "--output", str(target)
    )
    return json.loads(Path(target).read_text(encoding="utf-8"))["program"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_files_match_the_reference_count(tmp_path, seed):
    rng = random.Random(seed)
    registry = build_registry(rng)
    activities = []
    for i in range(12):
        kind = rng.choice(list(STATUSES))
        start = date(rng.choice([2018, 2019, 2019, 2019, 2020]), rng.randint(1, 12), rng.randint(1, 28))
        if i == 0:
            start = date(2019, 12, 31)  # starts in Y, ends in Y+1
        elif i == 1:
            start = date(2020, 1, 1)
        activities.append(
            (f"KG-{seed}-{i:02d}", kind, f"Kegiatan {kind} {i}", start, start + timedelta(days=rng.randint(0, 4)))
        )
    files = [build_file(rng, registry, activities), build_file(rng, registry, activities)]
    for n, rows in enumerate(files):
        call_command(
            "import_data",
            "peserta_program",
            str(write(tmp_path / f"f{n}.csv", rows)),
            "--regency",
            "33.03",
            "--quiet-progress",
            verbosity=0,
        )
    for year, as_of in [(2019, date(2020, 3, 9)), (2018, date(2020, 3, 9)), (2020, date(2020, 3, 9))]:
        assert kpi_program(tmp_path, year, as_of) == reference(files, registry, year, as_of), (year, as_of)
    # a second run of both files changes nothing
    for n in range(2):
        call_command(
            "import_data",
            "peserta_program",
            str(tmp_path / f"f{n}.csv"),
            "--regency",
            "33.03",
            "--quiet-progress",
            verbosity=0,
        )
    assert kpi_program(tmp_path, 2019, date(2020, 3, 9)) == reference(files, registry, 2019, date(2020, 3, 9))


def test_an_interrupted_import_resumes_to_the_same_figures(tmp_path, monkeypatch):
    from apps.program import importers

    rng = random.Random(7)
    registry = build_registry(rng)
    activities = [
        (f"R{i}", k, f"Kegiatan {i}", date(2019, 5, i + 1), date(2019, 5, i + 2)) for i, k in enumerate(STATUSES)
    ]
    rows = build_file(rng, registry, activities)
    path = write(tmp_path / "r.csv", rows)
    monkeypatch.setattr(importers.PesertaProgramImporter, "batch_size", 20)
    original = importers.PesertaProgramImporter.write_batch
    calls = {"n": 0}

    def crash_on_third(self, batch):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("listrik padam")
        return original(self, batch)

    monkeypatch.setattr(importers.PesertaProgramImporter, "write_batch", crash_on_third)
    with pytest.raises(RuntimeError):
        call_command("import_data", "peserta_program", str(path), "--regency", "33.03", "--quiet-progress", verbosity=0)
    monkeypatch.setattr(importers.PesertaProgramImporter, "write_batch", original)
    call_command("import_data", "peserta_program", str(path), "--regency", "33.03", "--quiet-progress", verbosity=0)
    assert kpi_program(tmp_path, 2019, date(2020, 3, 9)) == reference([rows], registry, 2019, date(2020, 3, 9))
