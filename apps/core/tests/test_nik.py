import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.audit.models import AuditEntry
from apps.core.nik import nik_birth_date, nik_decrypt, nik_encrypt, nik_errors, nik_gender, nik_hash, nik_mask

DISTRICTS = {"33.03.01", "33.03.18", "33.02.01"}


@pytest.mark.parametrize(
    ("nik", "errors"),
    [
        ("3303011708850001", []),  # man born 17-08-1985 in Kemangkon
        ("3303015708850002", []),  # woman: day 17 + 40 = 57
        ("3303014102000003", []),  # woman born 1 Feb 2000
        ("330301170885000", ["NIK harus 16 digit angka"]),
        ("33030117088500011", ["NIK harus 16 digit angka"]),
        ("33030117O8850001", ["NIK harus 16 digit angka"]),
        ("9999011708850001", ["6 digit pertama NIK (99.99.01) bukan kode kecamatan yang dikenal"]),
        ("3303013202850001", ["tanggal lahir dalam NIK tidak valid (perempuan: tanggal + 40)"]),  # day 32
        ("3303017202850001", ["tanggal lahir dalam NIK tidak valid (perempuan: tanggal + 40)"]),  # day 72-40=32
        ("3303013002850001", ["tanggal lahir dalam NIK tidak valid (perempuan: tanggal + 40)"]),  # 30 Feb
        ("3303011713850001", ["tanggal lahir dalam NIK tidak valid (perempuan: tanggal + 40)"]),  # month 13
        ("3303011708850000", ["nomor urut NIK tidak boleh 0000"]),
    ],
)
def test_nik_errors(nik, errors):
    assert nik_errors(nik, DISTRICTS) == errors


def test_nik_errors_looks_up_regions_without_a_set(db):
    assert nik_errors("3303011708850001") == []
    assert nik_errors("9999011708850001") != []


@pytest.mark.parametrize(
    ("nik", "gender", "born"),
    [
        ("3303011708850001", "L", "1985-08-17"),
        ("3303015708850002", "P", "1985-08-17"),
        ("3303014102000003", "P", "2000-02-01"),
    ],
)
def test_gender_and_birth_date(nik, gender, born):
    assert nik_gender(nik) == gender
    assert nik_birth_date(nik).isoformat() == born


def test_mask_shows_four_and_two():
    assert nik_mask("3303011708850012") == "3303**********12"


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_encryption_round_trips_and_hash_is_stable(nik):
    token = nik_encrypt(nik)
    assert nik not in token
    assert nik_decrypt(token) == nik
    assert nik_hash(nik) == nik_hash(nik)
    assert len(nik_hash(nik)) == 64


def test_hash_is_keyed(settings):
    before = nik_hash("3303011708850001")
    settings.NIK_HASH_KEY = "another-key"
    assert nik_hash("3303011708850001") != before


def test_reveal_is_audited(db, operator):
    from apps.audit.services import nik_reveal
    from apps.umkm.models import Owner

    owner = Owner(name="Sumiyati", gender="P", phone="")
    owner.set_nik("3303015708850002")
    owner.save()
    assert owner.nik_masked == "3303**********02"
    assert "3303015708850002" not in owner.nik_ciphertext
    assert nik_reveal(holder=owner, actor=operator, regency_code="33.03", reason="verifikasi") == "3303015708850002"
    entry = AuditEntry.objects.get(action="nik.reveal")
    assert (entry.actor, entry.record_id, entry.changes) == (operator, str(owner.pk), {"alasan": "verifikasi"})
    assert "3303015708850002" not in str(entry.changes)
