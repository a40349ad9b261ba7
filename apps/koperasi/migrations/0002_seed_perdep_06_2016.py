"""Seed the default health-scoring table, version `perdep-06-2016` (../shared/domain/penilaian-kesehatan-ksp.md)."""

from django.db import migrations

VERSI = "perdep-06-2016"
SUMBER = (
    "Peraturan Deputi Bidang Pengawasan Kementerian Koperasi dan UKM No. 06/Per/Dep.6/IV/2016 tentang "
    "Pedoman Penilaian Kesehatan KSP dan USP Koperasi, dengan aspek dan bobot Permenkop "
    "14/Per/M.KUKM/XII/2009 (berasal dari Permenkop 20/2008). Sebagian rentang komponen dari salinan "
    "sekunder tabel 2009."
)
PREDIKAT = [
    {"min": "80", "kode": "sehat", "label": "Sehat", "sehat": True},
    {"min": "66", "kode": "cukup_sehat", "label": "Cukup Sehat", "sehat": True},
    {"min": "51", "kode": "dalam_pengawasan", "label": "Dalam Pengawasan", "sehat": False},
    {"min": "0", "kode": "dalam_pengawasan_khusus", "label": "Dalam Pengawasan Khusus", "sehat": False},
]
RISIKO = [["pinjaman_kurang_lancar", "0.5"], ["pinjaman_diragukan", "0.75"], ["pinjaman_macet", "1"]]


def b(*pairs):
    """(bound, inclusive, nilai) ascending; the last pair has bound None."""
    return [{"batas": bound, "inklusif": inclusive, "nilai": nilai} for bound, inclusive, nilai in pairs]


def one(name):
    return [[name, "1"]]


# nomor, aspek, nama, jenis, pembilang, penyebut, bobot, bands, nilai bila penyebut nol, hanya simpan pinjam
COMPONENTS = [
    (
        1,
        "Permodalan",
        "Modal sendiri / total aset",
        "band",
        one("modal_sendiri"),
        one("total_aset"),
        "6",
        b(("20", True, "25"), ("40", True, "50"), ("60", True, "100"), ("80", True, "50"), (None, False, "25")),
        None,
        False,
    ),
    (
        2,
        "Permodalan",
        "Modal sendiri / pinjaman berisiko",
        "persen",
        one("modal_sendiri"),
        one("pinjaman_berisiko"),
        "6",
        [],
        "100",
        True,
    ),
    (
        3,
        "Permodalan",
        "Kecukupan modal (modal sendiri / ATMR)",
        "band",
        one("modal_sendiri"),
        one("atmr"),
        "3",
        b(("4", False, "0"), ("6", False, "50"), ("8", False, "75"), (None, False, "100")),
        None,
        True,
    ),
    (
        4,
        "Kualitas aktiva produktif",
        "Pinjaman anggota / pinjaman diberikan",
        "band",
        one("pinjaman_anggota"),
        one("pinjaman_diberikan"),
        "10",
        b(("25", True, "25"), ("50", True, "50"), ("75", True, "75"), (None, False, "100")),
        None,
        True,
    ),
    (
        5,
        "Kualitas aktiva produktif",
        "Risiko pinjaman bermasalah / pinjaman diberikan",
        "band",
        RISIKO,
        one("pinjaman_diberikan"),
        "5",
        b(
            ("0", True, "100"),
            ("10", True, "80"),
            ("20", True, "60"),
            ("30", True, "40"),
            ("40", True, "20"),
            ("45", True, "10"),
            (None, False, "0"),
        ),
        None,
        True,
    ),
    (
        6,
        "Kualitas aktiva produktif",
        "Cadangan risiko / pinjaman bermasalah",
        "persen",
        one("cadangan_risiko"),
        RISIKO,
        "5",
        [],
        "100",
        True,
    ),
    (
        7,
        "Kualitas aktiva produktif",
        "Pinjaman berisiko / pinjaman diberikan",
        "band",
        one("pinjaman_berisiko"),
        one("pinjaman_diberikan"),
        "5",
        b(("20", True, "100"), ("25", True, "75"), ("30", True, "50"), (None, False, "25")),
        None,
        True,
    ),
    (
        8,
        "Manajemen",
        "Manajemen (kuesioner: umum, kelembagaan, permodalan, aktiva, likuiditas)",
        "skala",
        one("skor_manajemen"),
        [],
        "15",
        [],
        None,
        False,
    ),
    (
        9,
        "Efisiensi",
        "Beban operasional pelayanan / partisipasi bruto",
        "band",
        one("beban_operasional_pelayanan"),
        one("partisipasi_bruto"),
        "4",
        b(("70", False, "100"), ("85", False, "75"), ("100", False, "50"), (None, False, "25")),
        None,
        False,
    ),
    (
        10,
        "Efisiensi",
        "Aktiva tetap / total aset",
        "band",
        one("aktiva_tetap"),
        one("total_aset"),
        "4",
        b(("25", True, "100"), ("50", True, "75"), ("75", True, "50"), (None, False, "25")),
        None,
        False,
    ),
    (
        11,
        "Efisiensi",
        "Efisiensi pelayanan (biaya karyawan / pinjaman diberikan)",
        "band",
        one("biaya_karyawan"),
        one("pinjaman_diberikan"),
        "2",
        b(("5", False, "100"), ("10", False, "75"), ("15", False, "50"), (None, False, "25")),
        None,
        True,
    ),
    (
        12,
        "Likuiditas",
        "Kas dan bank / kewajiban lancar",
        "band",
        one("kas_bank"),
        one("kewajiban_lancar"),
        "10",
        b(("10", False, "25"), ("15", True, "100"), ("20", True, "50"), (None, False, "25")),
        None,
        False,
    ),
    (
        13,
        "Likuiditas",
        "Pinjaman diberikan / dana diterima",
        "band",
        one("pinjaman_diberikan"),
        one("dana_diterima"),
        "5",
        b(("50", False, "25"), ("75", False, "50"), ("100", False, "75"), (None, False, "100")),
        None,
        True,
    ),
    (
        14,
        "Kemandirian dan pertumbuhan",
        "Rentabilitas aset (SHU sebelum pajak / total aset)",
        "band",
        one("shu_sebelum_pajak"),
        one("total_aset"),
        "3",
        b(("5", False, "25"), ("7.5", False, "50"), ("10", False, "75"), (None, False, "100")),
        None,
        False,
    ),
    (
        15,
        "Kemandirian dan pertumbuhan",
        "Rentabilitas modal sendiri (SHU bagian anggota / modal sendiri)",
        "band",
        one("shu_bagian_anggota"),
        one("modal_sendiri"),
        "3",
        b(("3", False, "25"), ("4", False, "50"), ("5", False, "75"), (None, False, "100")),
        None,
        False,
    ),
    (
        16,
        "Kemandirian dan pertumbuhan",
        "Kemandirian operasional pelayanan",
        "band",
        one("pendapatan"),
        [["beban_usaha", "1"], ["beban_perkoperasian", "1"]],
        "4",
        b(("100", True, "25"), ("125", True, "75"), (None, False, "100")),
        None,
        False,
    ),
    (
        17,
        "Jatidiri",
        "Rasio partisipasi bruto",
        "band",
        one("partisipasi_bruto"),
        [["partisipasi_bruto", "1"], ["pendapatan", "1"]],
        "7",
        b(("25", False, "25"), ("50", False, "50"), ("75", False, "75"), (None, False, "100")),
        None,
        False,
    ),
    (
        18,
        "Jatidiri",
        "Promosi ekonomi anggota / simpanan pokok dan wajib",
        "band",
        one("promosi_ekonomi_anggota"),
        one("simpanan_pokok_wajib"),
        "3",
        b(("5", False, "25"), ("7.5", False, "50"), ("10", False, "75"), (None, False, "100")),
        None,
        False,
    ),
]


def seed(apps, schema_editor):
    ScoringTable = apps.get_model("koperasi", "ScoringTable")
    ScoringComponent = apps.get_model("koperasi", "ScoringComponent")
    table = ScoringTable.objects.create(
        versi=VERSI,
        nama="Penilaian kesehatan KSP/USP (Perdep KUKM 06/2016)",
        sumber=SUMBER,
        berlaku=True,
        skala_manajemen=15,
        predikat=PREDIKAT,
    )
    for nomor, aspek, nama, jenis, pembilang, penyebut, bobot, bands, zero, lending in COMPONENTS:
        ScoringComponent.objects.create(
            table=table,
            nomor=nomor,
            aspek=aspek,
            nama=nama,
            jenis=jenis,
            pembilang=pembilang,
            penyebut=penyebut,
            bobot=bobot,
            bands=bands,
            nilai_penyebut_nol=zero,
            hanya_simpan_pinjam=lending,
        )


def unseed(apps, schema_editor):
    ScoringTable = apps.get_model("koperasi", "ScoringTable")
    ScoringTable.objects.filter(versi=VERSI).delete()


class Migration(migrations.Migration):
    dependencies = [("koperasi", "0001_registry_reports_scoring")]
    operations = [migrations.RunPython(seed, unseed)]
