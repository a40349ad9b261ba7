"""Test data builders for cooperative development."""

from datetime import date
from decimal import Decimal
from typing import Any

from apps.pengembangan.models import Criterion, Manager, Scheme, Session, SessionAssessor, Unit

_counter = {"n": 0}

# Valid NIKs registered in Kecamatan 33.03.01 (women: day + 40).
NIK_A = "3303014506900001"
NIK_B = "3303011203850002"
NIK_C = "3303012511780003"


def nik(n: int) -> str:
    """A valid NIK of 33.03.01 with serial `n` (1..9999)."""
    return f"330301120385{n:04d}"


# The scheme of the rule table (test_ujikom_rules): two units, three criteria, pass mark 70.
SCHEME_UNITS: list[dict[str, Any]] = [
    {
        "kode": "U1",
        "judul": "Menyusun rencana kerja koperasi",
        "criteria": [("Rencana kerja sesuai AD/ART", "100", "40", "60"), ("Anggaran disusun", "10", "20", "5")],
    },
    {"kode": "U2", "judul": "Mengelola keuangan koperasi", "criteria": [("Laporan keuangan", "100", "40", "50")]},
]


def make_scheme(*, kode: str = "", nilai_lulus: str = "70", masa_berlaku_bulan: int = 36) -> Scheme:
    _counter["n"] += 1
    scheme = Scheme.objects.create(
        kode=kode or f"skema-{_counter['n']}",
        nama=f"Pengelola Koperasi {_counter['n']}",
        nilai_lulus=Decimal(nilai_lulus),
        masa_berlaku_bulan=masa_berlaku_bulan,
    )
    for i, u in enumerate(SCHEME_UNITS, start=1):
        unit = Unit.objects.create(scheme=scheme, urutan=i, kode=u["kode"], judul=u["judul"])
        for j, (uraian, maks, bobot, minimum) in enumerate(u["criteria"], start=1):
            Criterion.objects.create(
                unit=unit,
                nomor=j,
                uraian=uraian,
                maksimum=Decimal(maks),
                bobot=Decimal(bobot),
                minimum=Decimal(minimum),
            )
    return scheme


def make_session(
    *,
    scheme: Scheme | None = None,
    regency: str = "33.03",
    tanggal: date = date(2026, 3, 10),
    kuota: int = 10,
    assessors: tuple = (),
    status: str = "dibuka",
) -> Session:
    _counter["n"] += 1
    session = Session.objects.create(
        scheme=scheme or make_scheme(),
        regency_id=regency,
        nama=f"Sesi Uji {_counter['n']}",
        tanggal=tanggal,
        tempat="Aula Dinkop",
        kuota=kuota,
        status=status,
    )
    for user in assessors:
        SessionAssessor.objects.create(session=session, user=user)
    return session


def make_manager(koperasi: Any, *, nik_value: str = "", nama: str = "", jabatan: str = "ketua") -> Manager:
    _counter["n"] += 1
    m = Manager(koperasi=koperasi, nama=nama or f"Pengelola {_counter['n']}", jabatan=jabatan)
    m.set_nik(nik_value or nik(_counter["n"]))
    m.save()
    return m


def criteria_by_code(scheme: Scheme) -> dict[str, Criterion]:
    """`U1.1` → criterion."""
    return {f"{c.unit.kode}.{c.nomor}": c for c in Criterion.objects.filter(unit__scheme=scheme).select_related("unit")}
