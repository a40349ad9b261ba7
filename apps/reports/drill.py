"""The records behind each number of the report page: one list per kind, filtered as the row it came from."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from apps.core.formatting import number_id, rupiah, wib
from apps.reports import breakdowns as bd

KELAS_ORDER = ["mikro", "kecil", "menengah", "besar"]


@dataclass
class Drill:
    title: str
    columns: list[str]
    queryset: QuerySet[Any]
    cells: Any  # fn(obj) -> list[str]
    sum_field: str = ""  # a money column whose total the page shows (it is the figure linked from)


def _area_filter(region_code: str, code: str) -> dict[str, Any]:
    field = bd.area_field(region_code)
    return {f"{field}__isnull": True} if code == bd.NO_SECTOR else {field: code}


def _sector_q(path: str, value: str) -> Q:
    if value == bd.NO_SECTOR:
        return Q(**{f"{path}__isnull": True}) | Q(**{path: ""})
    return Q(**{path: value})


def umkm_drill(region_code: str, codes: list[str], year: int, as_of: date, f: dict[str, str]) -> Drill:
    qs = bd.with_latest_kelas(bd.umkm_population(regency_codes=codes, year=year), year)
    if f.get("area"):
        qs = qs.filter(**_area_filter(region_code, f["area"]))
    if "sektor" in f:
        qs = qs.filter(_sector_q("sector", f["sektor"]))
    if f.get("jenis_kelamin"):
        qs = qs.filter(owner__gender=f["jenis_kelamin"])
    if f.get("kelas"):
        qs = qs.filter(kelas_terakhir=f["kelas"])
    qs = qs.select_related("owner", "district").order_by("district_id", "name", "pk")
    return Drill(
        _("UMKM terdaftar"),
        [_("Nama usaha"), _("Pemilik"), _("Jenis kelamin"), _("Sektor"), _("Kecamatan"), _("Kelas")],
        qs,
        lambda b: [b.name, b.owner.name, b.owner.get_gender_display(), b.sector, b.district.name, b.kelas_terakhir],
    )


def naik_kelas_drill(region_code: str, codes: list[str], year: int, as_of: date, f: dict[str, str]) -> Drill:
    qs = bd.naik_kelas_queryset(regency_codes=codes, year=year)
    if f.get("jenis") and "_" in f["jenis"]:
        before, after = f["jenis"].split("_", 1)
        qs = qs.filter(kelas_lalu=before, kelas_tahun=after)
    else:
        ups = Q(pk__in=[])
        for i, before in enumerate(KELAS_ORDER):
            for after in KELAS_ORDER[i + 1 :]:
                ups |= Q(kelas_lalu=before, kelas_tahun=after)
        qs = qs.filter(ups)
    if f.get("area"):
        qs = qs.filter(**_area_filter(region_code, f["area"]))
    qs = qs.select_related("owner", "district").order_by("district_id", "name", "pk")
    return Drill(
        _("UMKM naik kelas tahun %(year)s") % {"year": year},
        [
            _("Nama usaha"),
            _("Pemilik"),
            _("Kecamatan"),
            _("Kelas %(y)s") % {"y": year - 1},
            _("Kelas %(y)s") % {"y": year},
        ],
        qs,
        lambda b: [b.name, b.owner.name, b.district.name, b.kelas_lalu, b.kelas_tahun],
    )


def omzet_drill(region_code: str, codes: list[str], year: int, as_of: date, f: dict[str, str]) -> Drill:
    qs = bd.omzet_ledger(regency_codes=codes, as_of=as_of)
    if f.get("periode") == "tahun":
        qs = qs.filter(bd.in_year_q(year))
    if f.get("kanal"):
        qs = qs.filter(channel__code=f["kanal"])
    if f.get("area"):
        qs = qs.filter(**_area_filter(region_code, f["area"]))
    if "sektor" in f:
        qs = qs.filter(_sector_q("seller__business__sector", f["sektor"]))
    if f.get("bulan"):
        y, m = (int(x) for x in f["bulan"].split("-"))
        start = date(y, m, 1)
        end = date(y + (m == 12), m % 12 + 1, 1)
        qs = qs.filter(counted_at__gte=bd.wib_start(start), counted_at__lt=bd.wib_start(end))
    qs = qs.select_related("channel", "seller", "district").order_by("-counted_at", "-pk")
    return Drill(
        _("Baris omzet Tuka-Tuku"),
        [_("Tanggal"), _("Produk"), _("Penjual"), _("Kanal"), _("Kecamatan"), _("Jumlah"), _("Nilai")],
        qs,
        lambda line: [
            wib(line.counted_at),
            line.product_name,
            line.seller.shop_name if line.seller else "–",
            line.channel.name,
            line.district.name if line.district else "–",
            number_id(line.quantity),
            rupiah(line.amount),
        ],
        sum_field="amount",
    )


def koperasi_drill(region_code: str, codes: list[str], year: int, as_of: date, f: dict[str, str]) -> Drill:
    from apps.koperasi.models import Koperasi

    status = f.get("status", "")
    if status == "dibubarkan":
        qs = Koperasi.objects.filter(regency_id__in=codes, tanggal_pembubaran__lte=as_of)
        if f.get("tahun_bubar"):
            qs = qs.filter(tanggal_pembubaran__year=int(f["tahun_bubar"]))
    else:
        qs = koperasi_status_queryset(codes, year, as_of, status)
    if f.get("area"):
        qs = qs.filter(**_area_filter(region_code, f["area"]))
    if f.get("jenis_koperasi"):
        qs = qs.filter(jenis=f["jenis_koperasi"])
    qs = qs.select_related("district").order_by("nama", "pk")
    return Drill(
        _("Koperasi"),
        [
            _("Nomor badan hukum"),
            _("Nama"),
            _("Jenis"),
            _("Kecamatan"),
            _("Tanggal badan hukum"),
            _("Tanggal pembubaran"),
        ],
        qs,
        lambda k: [
            k.nomor_badan_hukum,
            k.nama,
            k.get_jenis_display(),
            k.district.name if k.district else "–",
            str(k.tanggal_badan_hukum),
            str(k.tanggal_pembubaran or "–"),
        ],
    )


def koperasi_status_queryset(codes: list[str], year: int, as_of: date, status: str) -> QuerySet[Any]:
    """Registered cooperatives, narrowed to a status of the report through the koperasi domain's own
    status selector (aktif, tidak_aktif, sehat, tidak_sehat, belum_dinilai)."""
    from apps.koperasi import selectors as ks

    qs = bd.koperasi_registered(regency_codes=codes, as_of=as_of)
    if not status:
        return qs
    qs = ks.with_status(qs, as_of=as_of, year=year)
    if status == "aktif":
        return qs.filter(aktif_pada=True)
    if status == "tidak_aktif":
        return qs.filter(aktif_pada=False)
    qs = qs.filter(aktif_pada=True)
    if status == "sehat":
        return qs.filter(sehat_tahun=True)
    if status == "tidak_sehat":
        return qs.filter(sehat_tahun=False)
    if status == "belum_dinilai":
        return qs.filter(sehat_tahun__isnull=True)
    return qs.none()


DRILLS = {
    "umkm": ("apps.umkm", umkm_drill),
    "naik_kelas": ("apps.umkm", naik_kelas_drill),
    "omzet": ("apps.omzet", omzet_drill),
    "koperasi": ("apps.koperasi", koperasi_drill),
}
FILTER_KEYS = (
    "area",
    "sektor",
    "jenis_kelamin",
    "kelas",
    "jenis",
    "periode",
    "kanal",
    "bulan",
    "status",
    "tahun_bubar",
    "jenis_koperasi",
)


def drill_available(kind: str) -> bool:
    return kind in DRILLS and apps.is_installed(DRILLS[kind][0])


def drill_for(kind: str, *, region_code: str, year: int, as_of: date, filters: dict[str, str]) -> Drill:
    from apps.regions.selectors import regency_codes_under

    codes = sorted(regency_codes_under({region_code}))
    return DRILLS[kind][1](region_code, codes, year, as_of, filters)
