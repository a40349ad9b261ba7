"""Test data for Kredit Mawar: the bank's three files as CSV, and loans made through the importer."""

import csv
from pathlib import Path
from typing import Any

from django.core.management import call_command

PINJAMAN_HEADER = [
    "nomor_rekening",
    "skema",
    "nik",
    "nama_debitur",
    "jenis_kelamin",
    "nib",
    "nama_usaha",
    "kode_wilayah",
    "tanggal_pencairan",
    "plafon",
    "jangka_waktu_bulan",
]
ANGSURAN_HEADER = ["nomor_rekening", "nomor_transaksi", "tanggal_bayar", "jumlah"]
HAPUS_BUKU_HEADER = ["nomor_rekening", "tanggal_hapus_buku"]


def write_csv(path: Path, header: list[str], rows: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in header])
    return path


def nik_for(serial: int, district: str = "330301", female: bool = False) -> str:
    return f"{district}{12 + (40 if female else 0):02d}0485{serial:04d}"


def loan_row(account: str, serial: int, disbursed: str, plafon: Any, **extra: Any) -> dict[str, Any]:
    row = {
        "nomor_rekening": account,
        "skema": "MAWAR-2019",
        "nik": nik_for(serial),
        "nama_debitur": f"Debitur {serial}",
        "jenis_kelamin": "L",
        "nib": "",
        "nama_usaha": f"Usaha {serial}",
        "kode_wilayah": "33.03.01.2001",
        "tanggal_pencairan": disbursed,
        "plafon": plafon,
        "jangka_waktu_bulan": 12,
    }
    row.update(extra)
    return row


def import_file(kind: str, path: Path) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_data", kind, str(path), stdout=out, stderr=StringIO())
    return out.getvalue()


def owner_with_shop(user: Any, serial: int = 501, village: str = "33.03.01.2001") -> Any:
    """A registry business with a valid NIK whose shop has `user` as its owner (the applicant)."""
    from apps.store.tests.factories import make_seller
    from apps.umkm.tests.factories import business_make, owner_make

    business = business_make(
        name=f"Keripik {serial}", village=village, owner=owner_make(nik=nik_for(serial), name=f"Bu Sri {serial}")
    )
    make_seller(business=business, shop_name=business.name, slug=f"toko-{serial}", owner=user)
    return business


def bank_officer(make_user: Any, username: str = "bank1", bank_code: str = "bpr-artha-perwira") -> Any:
    from apps.pinjaman.models import Bank, BankOfficer

    user = make_user(username, role="bank", regions=["33.03"])
    BankOfficer.objects.create(user=user, bank=Bank.objects.get(code=bank_code))
    return user
