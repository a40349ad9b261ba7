"""Small data sets for the report tests, built through the domain models."""

import itertools
from datetime import date

from apps.regions.models import Level, Region

_seq = itertools.count(1)


def district_and_village(regency: str = "33.03", index: int = 0) -> tuple[str, str]:
    district = Region.objects.filter(level=Level.DISTRICT, parent_id=regency).order_by("code")[index]
    village = Region.objects.filter(level=Level.VILLAGE, parent_id=district.code).order_by("code").first()
    return district.code, village.code


def make_business(
    *,
    regency: str = "33.03",
    district_index: int = 0,
    sector: str = "Kuliner",
    gender: str = "P",
    years: dict[int, str] | None = None,
    status: str = "aktif",
    name: str = "",
):
    """A business with one yearly record per entry of `years` ({2019: "mikro"})."""
    from apps.umkm.models import Business, BusinessYear, Owner
    from apps.umkm.services import registry_revision_bump

    n = next(_seq)
    district, village = district_and_village(regency, district_index)
    owner = Owner(name=f"Pemilik {n}", gender=gender)
    day = 41 + n % 28 if gender == "P" else 1 + n % 28
    owner.set_nik(f"{district.replace('.', '')}{day:02d}0190{n:04d}")
    owner.save()
    business = Business.objects.create(
        owner=owner,
        name=name or f"Usaha {n}",
        name_normalized=(name or f"usaha {n}").lower(),
        sector=sector,
        regency_id=regency,
        district_id=district,
        village_id=village,
        status=status,
    )
    for year, kelas in (years if years is not None else {2019: "mikro"}).items():
        BusinessYear.objects.create(business=business, year=year, kelas=kelas, rule_set="UU 20/2008")
    registry_revision_bump(regency_codes=[regency])  # as every write to the registry does
    return business


AS_OF = date(2020, 3, 9)


def make_seller(business, slug: str = ""):
    from apps.store.tests.factories import make_seller as store_make_seller

    return store_make_seller(business=business, shop_name=f"Toko {business.name}", slug=slug or f"toko-{business.pk}")


def record_sale(*, key: str, channel: str, amount: int, when, seller=None, regency: str = "33.03", quantity: int = 1):
    from apps.omzet.services import omzet_record_sale

    return omzet_record_sale(
        source_key=key,
        channel_code=channel,
        regency_code=regency,
        seller=seller,
        product_name=f"Produk {key}",
        quantity=quantity,
        amount=amount,
        counted_at=when,
        actor=None,
    )


def make_koperasi(
    *,
    founded: date = date(2000, 1, 1),
    dissolved: date | None = None,
    rat: date | None = None,
    predikat: str = "",
    book_year: int = 2019,
    jenis: str = "KSP",
    regency: str = "33.03",
    district_index: int | None = 0,
):
    """A cooperative with, optionally, a RAT (an accepted annual report) and an assessment for `book_year`."""
    from apps.koperasi.models import Assessment, Koperasi, LaporanTahunan, ScoringTable

    n = next(_seq)
    district, village = district_and_village(regency, district_index) if district_index is not None else (None, None)
    k = Koperasi.objects.create(
        nomor_badan_hukum=f"BH/{n}",
        nama=f"Koperasi {n}",
        jenis=jenis,
        tanggal_badan_hukum=founded,
        regency_id=regency,
        district_id=district,
        village_id=village,
        tanggal_pembubaran=dissolved,
    )
    laporan = None
    if rat:
        laporan = LaporanTahunan.objects.create(koperasi=k, tahun_buku=rat.year - 1, tanggal_rat=rat, status="diterima")
    if predikat:
        table = ScoringTable.objects.get(berlaku=True)
        Assessment.objects.create(
            koperasi=k,
            tahun_buku=book_year,
            laporan=laporan,
            table=table,
            versi=table.versi,
            simpan_pinjam=True,
            masukan={},
            baris=[],
            total={"sehat": 85, "cukup_sehat": 70, "dalam_pengawasan": 55, "dalam_pengawasan_khusus": 40}[predikat],
            predikat=predikat,
            predikat_label=predikat,
            sehat=predikat in ("sehat", "cukup_sehat"),
        )
    return k


# --- the report, as the page, the exports and `kpi_report` build it ----------------------------------


def kpi_figures(*, region_code: str, year: int, as_of: date) -> dict:
    """The SPEC §8 object, as `kpi_report --format json` prints it."""
    from apps.reports.composer import build_report

    return build_report(region=region_code, year=year, as_of=as_of, breakdowns=False).figures


def flat_breakdowns(report) -> dict:
    """The report's breakdowns under their table keys (`omzet_per_kanal`, `umkm_per_sektor` …)."""
    from apps.core.reporting import area_label

    out: dict = {"area_label": area_label(report.region)}
    for domain, by_name in report.breakdowns.items():
        out.update({f"{domain}_per_{by}": rows for by, rows in by_name.items()})
    return out


def report_breakdowns(*, region_code: str, year: int, as_of: date) -> dict:
    from apps.reports.composer import build_report

    return flat_breakdowns(build_report(region=region_code, year=year, as_of=as_of))


def domain_breakdowns(domain: str, *, region_code: str, year: int, as_of: date) -> dict:
    """One domain's breakdowns only, under their table keys."""
    from apps.reports.composer import DOMAINS

    report = DOMAINS[domain]
    return {f"{domain}_per_{by}": report.breakdown(region_code, year, as_of, by) for by in report.BREAKDOWNS}


def report_of(figures: dict, breakdowns: dict | None = None):
    """A `Report` holding given figures and breakdowns (keyed `<domain>_per_<by>`), for the exports."""
    from apps.reports.composer import DOMAINS, Report

    nested: dict = {}
    for key, rows in (breakdowns or {}).items():
        domain, _sep, by = key.partition("_per_")
        if domain in DOMAINS:
            nested.setdefault(domain, {})[by] = rows
    return Report(
        region=figures["regency"],
        year=int(figures["year"]),
        as_of=date.fromisoformat(figures["as_of"]),
        figures=figures,
        breakdowns=nested,
    )
