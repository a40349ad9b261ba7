"""Issue #15 H1 (and M4.3): every import row passes the scope rules of the page that edits the record it
touches, and every record an import creates or changes gets its own audit entry (who, what, before → after).
The reproductions of the security probe, one per template."""

import csv
from datetime import date
from pathlib import Path

import pytest

from apps.audit.models import AuditEntry
from apps.imports.framework import importers, run_import
from apps.koperasi.models import Koperasi, LaporanTahunan
from apps.koperasi.tests.factories import make_koperasi
from apps.omzet.models import MarketplaceLine
from apps.umkm.models import Business, Owner

pytestmark = pytest.mark.django_db

SCOPE_REASON = "di luar wilayah tugas Anda"
UMKM_HEADER = (
    "nik,nama_pemilik,jenis_kelamin,no_hp,nama_usaha,nib,kbli,sektor,kode_wilayah,alamat,tahun_berdiri,"
    "tahun_data,modal_usaha,omzet_tahunan,tenaga_kerja"
)
KOPERASI_HEADER = "nomor_badan_hukum,nama,jenis,tanggal_badan_hukum,kode_wilayah,alamat,tanggal_pembubaran"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def errors(result) -> list[dict[str, str]]:
    if result.errors_path is None:
        return []
    with result.errors_path.open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


# --- koperasi ---------------------------------------------------------------------------------------------


def test_koperasi_of_another_regency_cannot_be_moved_renamed_or_dissolved(tmp_path, operator):
    k = make_koperasi(
        nomor="SEC/3302/001", nama="KSP Banyumas", regency="33.02", district="33.02.01", village="33.02.01.2001"
    )
    path = write(
        tmp_path,
        "takeover.csv",
        f"{KOPERASI_HEADER}\nSEC/3302/001,DIAMBIL ALIH,KSP,2010-01-05,33.03.01.2001,x,2025-01-01\n"
        "BH-3303-1,KSP Purbalingga Baru,KSP,2010-01-05,33.03.01.2001,,\n",
    )
    result = run_import(kind="koperasi", path=path, actor=operator)
    assert result.summary == "rows: 2, created: 1, updated: 0, unchanged: 0, rejected: 1"
    [row] = errors(result)
    assert (row["baris"], row["kolom"]) == ("2", "nomor_badan_hukum") and SCOPE_REASON in row["alasan"]
    assert "33.02" in row["alasan"]
    k.refresh_from_db()
    assert (k.nama, k.regency_id, k.tanggal_pembubaran) == ("KSP Banyumas", "33.02", None)
    assert not AuditEntry.objects.filter(record_type="koperasi.koperasi", record_id=str(k.pk)).exists()


def test_koperasi_import_audits_each_record_with_before_and_after(tmp_path, operator):
    k = make_koperasi(nomor="BH-1", nama="KSP Lama")
    path = write(
        tmp_path,
        "k.csv",
        f"{KOPERASI_HEADER}\nBH-1,KSP Baru,KSP,2010-01-01,33.03.01.2001,Jl. Baru,\n"
        "BH-2,KSP Dua,KSU,2011-02-03,33.03.01.2001,,\n",
    )
    run_import(kind="koperasi", path=path, actor=operator)
    update = AuditEntry.objects.get(record_type="koperasi.koperasi", record_id=str(k.pk))
    assert (update.action, update.actor, update.regency_code) == ("koperasi.import_update", operator, "33.03")
    assert update.changes["nama"] == ["KSP Lama", "KSP Baru"]
    assert update.changes["alamat"][1] == "Jl. Baru"
    created = Koperasi.objects.get(nomor_badan_hukum="BH-2")
    entry = AuditEntry.objects.get(record_type="koperasi.koperasi", record_id=str(created.pk))
    assert entry.action == "koperasi.import_create" and entry.changes["jenis"] == [None, "KSU"]
    # a second import of the same file changes nothing and writes no record entry
    run_import(kind="koperasi", path=path, actor=operator)
    assert AuditEntry.objects.filter(record_type="koperasi.koperasi").count() == 2


def test_administrator_and_command_line_may_correct_any_regency(tmp_path, admin_user):
    k = make_koperasi(nomor="SEC/3302/002", regency="33.02", district="33.02.01", village="33.02.01.2001")
    path = write(tmp_path, "k.csv", f"{KOPERASI_HEADER}\nSEC/3302/002,KSP Dikoreksi,KSP,2010-01-01,33.02.01.2001,,\n")
    assert run_import(kind="koperasi", path=path, actor=admin_user).run.updated == 1
    k.refresh_from_db()
    assert k.nama == "KSP Dikoreksi"


def test_laporan_of_another_regency_is_refused_and_own_reports_are_audited(tmp_path, operator):
    own = make_koperasi(nomor="BH-OWN")
    make_koperasi(nomor="BH-OTHER", regency="33.02", district="33.02.01", village="33.02.01.2001")
    path = write(
        tmp_path,
        "lap.csv",
        "nomor_badan_hukum,tahun_buku,tanggal_rat,jumlah_anggota\nBH-OWN,2019,2020-02-01,120\n"
        "BH-OTHER,2019,2020-02-01,999\n",
    )
    result = run_import(kind="laporan_koperasi", path=path, actor=operator)
    assert (result.run.created, result.run.rejected) == (1, 1)
    assert not LaporanTahunan.objects.filter(koperasi__nomor_badan_hukum="BH-OTHER").exists()
    lap = LaporanTahunan.objects.get(koperasi=own)
    entry = AuditEntry.objects.get(record_type="koperasi.laporantahunan", record_id=str(lap.pk))
    assert entry.changes["jumlah_anggota"] == [None, 120] and entry.regency_code == "33.03"


# --- umkm -------------------------------------------------------------------------------------------------


def seed_banyumas(tmp_path):
    """The probe's 33.02 records: business with NIB 1234567890123, and an owner with a business there."""
    path = write(
        tmp_path,
        "3302.csv",
        f"{UMKM_HEADER}\n"
        "3302014507800021,Pemilik Banyumas,P,081200000009,Getuk Goreng Sokaraja,1234567890123,10799,Makanan,"
        "33.02.01.2001,x,2010,2018,1000000,2000000,1\n"
        "3302011203750012,Darmo,L,081200000002,Gula Darmo,,10799,Makanan,33.02.01.2001,x,2010,2019,1000000,"
        "2000000,1\n",
    )
    run_import(kind="umkm", path=path, options={"regency": "33.02"})


def test_umkm_row_cannot_take_over_another_regencys_business_or_rename_its_owner(tmp_path, operator):
    seed_banyumas(tmp_path)
    before = list(Business.objects.order_by("pk").values_list("name", "regency_id", "owner__name", "owner__gender"))
    path = write(
        tmp_path,
        "nib.csv",
        f"{UMKM_HEADER}\n"
        "3303014507800021,Penyerobot,L,081200000000,Getuk Goreng Sokaraja,1234567890123,10799,Makanan,"
        "33.03.01.2001,x,2010,2018,1000000,2000000,1\n"
        "3302011203750012,NAMA DIUBAH OLEH 33.03,P,081200000001,Usaha Baru 3303,,10799,Makanan,33.03.01.2002,x,"
        "2010,2019,1000000,2000000,1\n",
    )
    result = run_import(kind="umkm", path=path, options={"regency": "33.03"}, actor=operator)
    assert (result.run.created, result.run.updated, result.run.rejected) == (0, 0, 2)
    assert [r["baris"] for r in errors(result)] == ["2", "3"]
    assert all(SCOPE_REASON in r["alasan"] and "33.02" in r["alasan"] for r in errors(result))
    after = list(Business.objects.order_by("pk").values_list("name", "regency_id", "owner__name", "owner__gender"))
    assert after == before
    assert not Owner.objects.filter(name="Penyerobot").exists()


def test_umkm_row_for_a_shared_owner_is_kept_when_it_leaves_the_owner_as_he_is(tmp_path, operator):
    seed_banyumas(tmp_path)
    path = write(
        tmp_path,
        "own.csv",
        f"{UMKM_HEADER}\n"
        "3302011203750012,Darmo,L,081200000002,Warung Darmo Purbalingga,,10799,Makanan,33.03.01.2001,x,2015,2019,"
        "1000000,2000000,1\n",
    )
    result = run_import(kind="umkm", path=path, options={"regency": "33.03"}, actor=operator)
    assert (result.run.created, result.run.rejected) == (1, 0)
    business = Business.objects.get(name="Warung Darmo Purbalingga")
    assert business.regency_id == "33.03" and business.owner.name == "Darmo"
    entry = AuditEntry.objects.get(record_type="umkm.business", record_id=str(business.pk))
    assert (entry.action, entry.actor, entry.regency_code) == ("business.import_create", operator, "33.03")
    assert entry.changes["2019.modal_usaha"] == [None, 1000000] and entry.changes["name"][1] == business.name
    assert "3302011203750012" not in str(entry.changes)  # never a NIK in the log


def test_umkm_update_is_audited_per_business_before_and_after(tmp_path, operator):
    line = "3303014507800021,Sri,P,0812,Keripik Sri,,10799,Makanan,33.03.01.2001,x,2010,2019,{modal},2000000,1\n"
    run_import(
        kind="umkm",
        path=write(tmp_path, "a.csv", UMKM_HEADER + "\n" + line.format(modal=1000000)),
        options={"regency": "33.03"},
        actor=operator,
    )
    run_import(
        kind="umkm",
        path=write(tmp_path, "b.csv", UMKM_HEADER + "\n" + line.format(modal=1500000)),
        options={"regency": "33.03"},
        actor=operator,
    )
    business = Business.objects.get()
    entries = AuditEntry.objects.filter(record_type="umkm.business", record_id=str(business.pk)).order_by("pk")
    assert [e.action for e in entries] == ["business.import_create", "business.import_update"]
    assert entries[1].changes == {"impor": "umkm", "2019.modal_usaha": [1000000, 1500000]}


# --- penjualan (marketplace omzet) ------------------------------------------------------------------------


SHOPEE_HEADER = "No. Pesanan,Status Pesanan,Waktu Pesanan Dibuat,Nama Produk,Harga Setelah Diskon,Jumlah"


def test_marketplace_line_of_another_regency_is_neither_moved_nor_inflated(tmp_path, operator, other_operator):
    first = write(tmp_path, "s1.csv", f"{SHOPEE_HEADER}\nSEC3302ORDER1,Selesai,2020-01-10 10:00,Getuk Goreng,30000,1\n")
    run_import(kind="penjualan", path=first, options={"channel": "shopee", "regency": "33.02"}, actor=other_operator)
    line = MarketplaceLine.objects.get()
    attack = write(
        tmp_path, "s2.csv", f"{SHOPEE_HEADER}\nSEC3302ORDER1,Selesai,2020-01-10 10:00,Getuk Goreng,9999999,100\n"
    )
    result = run_import(
        kind="penjualan", path=attack, options={"channel": "shopee", "regency": "33.03"}, actor=operator
    )
    assert (result.run.updated, result.run.rejected) == (0, 1)
    line.refresh_from_db()
    assert (line.regency_id, line.unit_price, line.quantity) == ("33.02", 30000, 1)


def test_marketplace_lines_are_audited_per_line(tmp_path, operator):
    path = write(tmp_path, "s.csv", f"{SHOPEE_HEADER}\nORD-1,Selesai,2020-01-10 10:00,Nopia,12500,2\n")
    run_import(kind="penjualan", path=path, options={"channel": "shopee", "regency": "33.03"}, actor=operator)
    line = MarketplaceLine.objects.get()
    entry = AuditEntry.objects.get(record_type="omzet.marketplaceline", record_id=str(line.pk))
    assert entry.action == "marketplaceline.import_create" and entry.changes["amount"] == [None, 25000]


# --- every template ---------------------------------------------------------------------------------------


def test_every_import_template_checks_scope_and_audits_records():
    """A new template must implement `records_touched` (scope check and per-record audit by the framework) or
    state why every record it writes is already checked and audited (`scope_note`)."""
    from apps.imports.framework import Importer

    missing = [
        kind
        for kind, cls in importers().items()
        if cls.records_touched is Importer.records_touched and not cls.scope_note and ".tests." not in cls.__module__
    ]
    assert missing == []
    assert {"umkm", "koperasi", "laporan_koperasi", "penjualan", "produk_shopee", "produk_tokopedia"} <= set(
        importers()
    )


def test_dates_are_audited_as_text(tmp_path, operator):
    make_koperasi(nomor="BH-9", tanggal_badan_hukum=date(2010, 1, 1))
    path = write(tmp_path, "k.csv", f"{KOPERASI_HEADER}\nBH-9,KSP,KSP,2012-05-06,33.03.01.2001,,\n")
    run_import(kind="koperasi", path=path, actor=operator)
    entry = AuditEntry.objects.get(action="koperasi.import_update")
    assert entry.changes["tanggal_badan_hukum"] == ["2010-01-01", "2012-05-06"]
