"""Demo cooperatives of Purbalingga (33.03), deterministic for a seed.

At scale 1 it reproduces the article's figures for book year 2019 as of 9 March 2020: 239 registered
cooperatives, 171 active and 68 inactive; of the active, 129 healthy and 42 unhealthy; 29 dissolved in
2018. Active ones keep holding RATs up to book year 2024, so the pages are lively today as well; two
dissolution procedures are open (one overdue). The demo user `koperasi` is the officer of one KSP.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from apps.core.actors import COMMAND_LINE
from apps.core.uploads import simple_pdf
from apps.koperasi.models import (
    Jenis,
    Keanggotaan,
    Koperasi,
    LangkahJenis,
    LaporanTahunan,
    PembubaranLangkah,
    PembubaranProses,
    ReportSource,
    ReportStatus,
)
from apps.koperasi.scoring import assess
from apps.koperasi.selectors import scoring_table_current, table_def
from apps.koperasi.services import assessments_recompute
from apps.regions.models import Level, Region

REGENCY = "33.03"
ACTIVE_HEALTHY, ACTIVE_UNHEALTHY, INACTIVE, DISSOLVED_2018 = 129, 42, 68, 29
NAMA_DEPAN = ["Sejahtera", "Makmur", "Sentosa", "Mandiri", "Bina Usaha", "Artha", "Tunas", "Mekar", "Jaya", "Sido"]
NAMA_DEPAN += ["Rukun", "Guyub", "Karya", "Budi", "Maju", "Sri Rejeki", "Harapan", "Amanah", "Berkah", "Gotong Royong"]
PREFIX: dict[str, str] = {
    Jenis.KSP: "KSP",
    Jenis.KSU: "KSU",
    Jenis.PRODUSEN: "Koperasi Produsen",
    Jenis.KONSUMEN: "Koperasi Konsumen",
    Jenis.JASA: "Koperasi Jasa",
    Jenis.PEMASARAN: "Koperasi Pemasaran",
}


def _jenis(rng: Any) -> str:
    x = rng.random()
    if x < 0.62:
        return Jenis.KSP
    if x < 0.80:
        return Jenis.KSU
    return rng.choice([Jenis.PRODUSEN, Jenis.KONSUMEN, Jenis.JASA, Jenis.PEMASARAN])


def _figures(rng: Any, healthy: bool) -> dict[str, Any]:
    """Plausible statements: ratios drawn from the ranges a healthy or a weak cooperative shows."""
    aset = rng.randrange(80, 20_000) * 1_000_000

    def part(lo: float, hi: float, base: int) -> int:
        return int(base * rng.uniform(lo, hi)) // 1000 * 1000

    g = healthy
    modal = part(0.35, 0.58, aset) if g else part(0.05, 0.18, aset)
    diberikan = part(0.60, 0.80, aset) if g else part(0.30, 0.85, aset)
    macet = part(0.0, 0.03, diberikan) if g else part(0.08, 0.30, diberikan)
    pendapatan = part(0.12, 0.20, aset) if g else part(0.05, 0.10, aset)
    bruto = part(0.9, 1.6, pendapatan)
    return {
        "total_aset": aset,
        "modal_sendiri": modal,
        "aktiva_tetap": part(0.05, 0.2, aset) if g else part(0.3, 0.8, aset),
        "kas_bank": 0,  # set below from kewajiban_lancar
        "kewajiban_lancar": part(0.15, 0.4, aset),
        "dana_diterima": part(0.6, 0.9, diberikan) if g else part(1.2, 2.5, diberikan),
        "simpanan_pokok_wajib": part(0.1, 0.3, aset),
        "pinjaman_diberikan": diberikan,
        "pinjaman_anggota": part(0.8, 1.0, diberikan) if g else part(0.2, 0.6, diberikan),
        "pinjaman_kurang_lancar": part(0.0, 0.04, diberikan) if g else part(0.05, 0.2, diberikan),
        "pinjaman_diragukan": part(0.0, 0.02, diberikan) if g else part(0.05, 0.15, diberikan),
        "pinjaman_macet": macet,
        "cadangan_risiko": part(0.6, 1.2, macet) if g else part(0.0, 0.3, macet),
        "pinjaman_berisiko": part(0.05, 0.18, diberikan) if g else part(0.3, 0.6, diberikan),
        "atmr": part(1.5, 3.0, aset),
        "pendapatan": pendapatan,
        "partisipasi_bruto": bruto,
        "beban_operasional_pelayanan": part(0.4, 0.75, bruto) if g else part(0.9, 1.3, bruto),
        "beban_usaha": part(0.5, 0.7, pendapatan) if g else part(0.8, 1.1, pendapatan),
        "beban_perkoperasian": part(0.05, 0.12, pendapatan),
        "biaya_karyawan": part(0.01, 0.05, diberikan) if g else part(0.1, 0.2, diberikan),
        "shu_sebelum_pajak": part(0.06, 0.12, aset) if g else part(-0.02, 0.03, aset),
        "shu_bagian_anggota": part(0.04, 0.08, modal) if g else part(0.0, 0.03, modal),
        "promosi_ekonomi_anggota": part(0.06, 0.12, part(0.1, 0.3, aset)) if g else 0,
        "volume_usaha": part(0.8, 2.5, aset) if g else part(0.0, 0.4, aset),
    }


def _complete(rng: Any, figures: dict[str, Any], healthy: bool) -> dict[str, Any]:
    lancar = figures["kewajiban_lancar"]
    figures["kas_bank"] = int(lancar * rng.uniform(0.1, 0.15)) if healthy else int(lancar * rng.uniform(0.01, 0.08))
    return figures


def _rat(rng: Any, book_year: int) -> date:
    return date(book_year + 1, rng.randint(1, 5), rng.randint(1, 28))


def build(ctx: Any) -> None:
    rng = ctx.rng
    scale = max(int(getattr(ctx, "scale", 1)), 1)
    users = ctx.get("users", {})
    if Koperasi.objects.filter(nomor_badan_hukum__startswith="DEMO/").exists():
        _link_officer(users)
        return
    villages = list(Region.objects.filter(level=Level.VILLAGE, code__startswith=REGENCY + ".").order_by("code"))
    table = scoring_table_current()
    tdef = table_def(table)
    with transaction.atomic():
        plan = (
            [("sehat", i) for i in range(ACTIVE_HEALTHY * scale)]
            + [("tidak_sehat", i) for i in range(ACTIVE_UNHEALTHY * scale)]
            + [("tidak_aktif", i) for i in range(INACTIVE * scale)]
            + [("bubar", i) for i in range(DISSOLVED_2018 * scale)]
        )
        rng.shuffle(plan)
        koperasi: list[tuple[Koperasi, str]] = []
        for n, (kind, _i) in enumerate(plan, start=1):
            village = rng.choice(villages)
            jenis = Jenis.KSP if n == 1 else _jenis(rng)
            founded_year = rng.randint(1995, 2008) if kind in ("bubar", "tidak_aktif") else rng.randint(1998, 2014)
            founded = date(founded_year, rng.randint(1, 12), rng.randint(1, 28))
            k = Koperasi(
                nomor_badan_hukum=f"DEMO/{n:04d}/BH/XIV.21/{founded_year}",
                nama=f"{PREFIX[jenis]} {rng.choice(NAMA_DEPAN)} {village.name}",
                jenis=jenis,
                tanggal_badan_hukum=founded,
                regency_id=REGENCY,
                district_id=village.code[:8],
                village_id=village.code,
                alamat=f"{village.name} RT {rng.randint(1, 9):02d}/RW {rng.randint(1, 5):02d}",
                tanggal_pembubaran=date(2018, rng.randint(1, 12), rng.randint(1, 28)) if kind == "bubar" else None,
            )
            koperasi.append((k, kind))
        Koperasi.objects.bulk_create([k for k, _kind in koperasi])

        reports: list[LaporanTahunan] = []
        for k, kind in koperasi:
            start = max(k.tanggal_badan_hukum.year, 2010)
            if kind in ("sehat", "tidak_sehat"):
                years = range(max(start, 2014), 2025)
            elif kind == "tidak_aktif":
                years = range(start, 2016)
            else:
                years = range(start, 2014)
            for year in years:
                healthy = kind == "sehat" if year == 2019 else rng.random() < (0.8 if kind == "sehat" else 0.4)
                figures, skor = _until(rng, tdef, k.is_lending, healthy)
                reports.append(
                    LaporanTahunan(
                        koperasi=k,
                        tahun_buku=year,
                        tanggal_rat=_rat(rng, year),
                        jumlah_anggota=rng.randint(25, 2500),
                        skor_manajemen=skor,
                        status=ReportStatus.DITERIMA,
                        sumber=ReportSource.IMPOR,
                        **figures,
                    )
                )
            if kind == "tidak_aktif" and rng.random() < 0.5:
                # Reports without a RAT and without business: candidates for dissolution on both counts.
                for year in (2018, 2019):
                    reports.append(
                        LaporanTahunan(
                            koperasi=k, tahun_buku=year, tanggal_rat=None, volume_usaha=0, status=ReportStatus.DITERIMA
                        )
                    )
        LaporanTahunan.objects.bulk_create(reports, batch_size=500)
        for i in range(0, len(reports), 500):
            assessments_recompute(laporan_list=reports[i : i + 500], actor=COMMAND_LINE, table=table)

        _procedures(koperasi, users)
    _link_officer(users)
    ctx.stdout.write(
        f"Koperasi demo: {len(koperasi)} koperasi, {len(reports)} laporan tahunan "
        "(per 9-3-2020, tahun buku 2019: 239 terdaftar, 171 aktif, 129 sehat, 29 bubar 2018)."
    )


def _until(rng: Any, tdef: Any, lending: bool, healthy: bool) -> tuple[dict[str, Any], Decimal]:
    """Draw statements until their assessment falls on the wanted side (sehat or not)."""
    while True:
        figures = _complete(rng, _figures(rng, healthy), healthy)
        skor = Decimal(rng.randint(10, 15) if healthy else rng.randint(2, 9))
        result = assess(tdef, {**figures, "skor_manajemen": skor}, simpan_pinjam=lending)
        if result.predikat.sehat == healthy:
            return figures, skor


def _procedures(koperasi: list[tuple[Koperasi, str]], users: dict[str, Any]) -> None:
    """Two open dissolution procedures against inactive cooperatives: one awaiting the overdue
    dissolution decision, one with an objection waiting for the department's decision."""
    actor = users.get("operator")
    inactive = [k for k, kind in koperasi if kind == "tidak_aktif"][:2]
    plans = [
        (date(2025, 9, 1), date(2025, 9, 4), None),
        (date(2025, 10, 6), date(2025, 10, 8), date(2025, 11, 20)),
    ]
    for k, (sent, received, objection) in zip(inactive, plans, strict=False):
        proses = PembubaranProses.objects.create(
            koperasi=k,
            alasan="Tidak mengadakan RAT tiga tahun berturut-turut dan tidak ada kegiatan usaha.",
            tanggal_pemberitahuan=sent,
            tanggal_diterima=received,
            tanggal_keberatan=objection,
        )
        steps = [(LangkahJenis.PEMBERITAHUAN, sent)] + ([(LangkahJenis.KEBERATAN, objection)] if objection else [])
        for jenis, tanggal in steps:
            step = PembubaranLangkah(proses=proses, jenis=jenis, tanggal=tanggal, actor=actor)
            letter = simple_pdf(f"{LangkahJenis(jenis).label}", k.nama, tanggal.isoformat())
            step.dokumen.save(f"{jenis}.pdf", ContentFile(letter), save=False)
            step.save()


def _link_officer(users: dict[str, Any]) -> None:
    officer = users.get("koperasi")
    if officer is None:
        return
    target = (
        Koperasi.objects.filter(nomor_badan_hukum__startswith="DEMO/", jenis=Jenis.KSP, tanggal_pembubaran__isnull=True)
        .filter(laporan__tahun_buku=2024)
        .order_by("nomor_badan_hukum")
        .first()
    )
    if target is not None:
        Keanggotaan.objects.get_or_create(user=officer, koperasi=target, defaults={"jabatan": "Ketua"})
