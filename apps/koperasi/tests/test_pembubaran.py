"""The government dissolution procedure (UU 25/1992 art. 47, PP 17/1994): deadlines as tables,
the services with their PDF documents, the due/overdue list and page access."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.audit.models import AuditEntry
from apps.core.uploads import simple_pdf
from apps.koperasi import services
from apps.koperasi.models import PembubaranProses
from apps.koperasi.rules import (
    ProsesDates,
    batas_keberatan,
    batas_keputusan_keberatan,
    batas_keputusan_pembubaran,
    next_step,
)
from apps.koperasi.selectors import pembubaran_due
from apps.koperasi.tests.factories import make_koperasi

PDF = simple_pdf("Surat pemberitahuan rencana pembubaran")


def pdf(name="surat.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# received → (objection due, dissolution decision due)
DEADLINES = [
    (date(2019, 12, 31), date(2020, 2, 29), date(2020, 4, 30)),
    (date(2018, 12, 31), date(2019, 2, 28), date(2019, 4, 30)),
    (date(2019, 10, 31), date(2019, 12, 31), date(2020, 2, 29)),
    (date(2019, 8, 31), date(2019, 10, 31), date(2019, 12, 31)),
    (date(2019, 11, 30), date(2020, 1, 30), date(2020, 3, 30)),
    (date(2020, 3, 15), date(2020, 5, 15), date(2020, 7, 15)),
    (date(2019, 10, 29), date(2019, 12, 29), date(2020, 2, 29)),
    (date(2018, 10, 30), date(2018, 12, 30), date(2019, 2, 28)),
]


@pytest.mark.parametrize("received,objection_due,decision_due", DEADLINES)
def test_deadlines_counted_in_months_from_receipt(received, objection_due, decision_due):
    d = ProsesDates(tanggal_diterima=received)
    assert batas_keberatan(d) == objection_due
    assert batas_keputusan_pembubaran(d) == decision_due


@pytest.mark.parametrize(
    "objection,due",
    [
        (date(2020, 1, 31), date(2020, 2, 29)),
        (date(2019, 1, 31), date(2019, 2, 28)),
        (date(2020, 3, 31), date(2020, 4, 30)),
    ],
)
def test_decision_on_an_objection_is_due_one_month_later(objection, due):
    assert batas_keputusan_keberatan(ProsesDates(tanggal_diterima=date(2020, 1, 1), tanggal_keberatan=objection)) == due


R = date(2019, 12, 31)
NEXT = [
    # (dates, today, step, due, overdue, waiting for the cooperative)
    (ProsesDates(R), date(2020, 1, 15), "keputusan_pembubaran", date(2020, 4, 30), False, True),
    (ProsesDates(R), date(2020, 2, 29), "keputusan_pembubaran", date(2020, 4, 30), False, True),
    (ProsesDates(R), date(2020, 3, 1), "keputusan_pembubaran", date(2020, 4, 30), False, False),
    (ProsesDates(R), date(2020, 4, 30), "keputusan_pembubaran", date(2020, 4, 30), False, False),
    (ProsesDates(R), date(2020, 5, 1), "keputusan_pembubaran", date(2020, 4, 30), True, False),
    (ProsesDates(R, date(2020, 1, 31)), date(2020, 2, 29), "keputusan_keberatan", date(2020, 2, 29), False, False),
    (ProsesDates(R, date(2020, 1, 31)), date(2020, 3, 1), "keputusan_keberatan", date(2020, 2, 29), True, False),
    (
        ProsesDates(R, date(2020, 1, 31), date(2020, 2, 20), False),
        date(2020, 5, 1),
        "keputusan_pembubaran",
        date(2020, 4, 30),
        True,
        False,
    ),
    (ProsesDates(R, date(2020, 1, 31), date(2020, 2, 20), True), date(2020, 5, 1), "", None, False, False),
    (
        ProsesDates(R, None, None, None, date(2020, 4, 1)),
        date(2020, 9, 1),
        "penghapusan",
        date(2020, 4, 1),
        False,
        False,
    ),
    (ProsesDates(R, None, None, None, date(2020, 4, 1), date(2020, 4, 10)), date(2020, 9, 1), "", None, False, False),
]


@pytest.mark.parametrize("dates,today,step,due,overdue,waiting", NEXT)
def test_next_step_due_and_overdue(dates, today, step, due, overdue, waiting):
    s = next_step(dates, today)
    assert (s.langkah, s.batas, s.terlambat, s.menunggu_koperasi) == (step, due, overdue, waiting)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
def test_whole_procedure_sets_tanggal_pembubaran(media, operator, head):
    k = make_koperasi(tanggal_badan_hukum=date(2005, 1, 1))
    p = services.pembubaran_start(
        koperasi=k,
        alasan="Tidak RAT tiga tahun",
        tanggal_pemberitahuan=date(2019, 12, 20),
        tanggal_diterima=date(2019, 12, 31),
        dokumen=pdf(),
        actor=operator,
    )
    with pytest.raises(ValidationError, match="lewat batas 2 bulan"):
        services.pembubaran_keberatan(proses=p, tanggal=date(2020, 3, 1), dokumen=pdf(), catatan="", actor=operator)
    services.pembubaran_keberatan(
        proses=p, tanggal=date(2020, 2, 29), dokumen=pdf(), catatan="Masih aktif", actor=operator
    )
    with pytest.raises(ValidationError, match="Putuskan keberatan"):
        services.pembubaran_keputusan(proses=p, tanggal=date(2020, 3, 10), dokumen=pdf(), catatan="", actor=head)
    services.pembubaran_keputusan_keberatan(
        proses=p, tanggal=date(2020, 3, 20), diterima=False, dokumen=pdf(), catatan="", actor=head
    )
    services.pembubaran_keputusan(proses=p, tanggal=date(2020, 4, 30), dokumen=pdf(), catatan="", actor=head)
    services.pembubaran_hapus(proses=p, tanggal=date(2020, 5, 4), dokumen=pdf(), catatan="", actor=head)
    k.refresh_from_db()
    p.refresh_from_db()
    assert (k.tanggal_pembubaran, p.status) == (date(2020, 5, 4), "selesai")
    assert [s.jenis for s in p.langkah.order_by("tanggal")] == [
        "pemberitahuan",
        "keberatan",
        "keputusan_keberatan",
        "keputusan_pembubaran",
        "penghapusan",
    ]
    assert list(
        AuditEntry.objects.filter(action__startswith="koperasi.pembubaran")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "koperasi.pembubaran_start",
        "koperasi.pembubaran_keberatan",
        "koperasi.pembubaran_keputusan_keberatan",
        "koperasi.pembubaran_keputusan",
        "koperasi.pembubaran_hapus",
    ]
    assert AuditEntry.objects.get(action="koperasi.pembubaran_keputusan").changes["terlambat"] is False


@pytest.mark.django_db
def test_accepted_objection_ends_the_procedure(media, operator, head):
    k = make_koperasi()
    p = services.pembubaran_start(
        koperasi=k,
        alasan="x",
        tanggal_pemberitahuan=date(2020, 1, 2),
        tanggal_diterima=date(2020, 1, 3),
        dokumen=pdf(),
        actor=operator,
    )
    services.pembubaran_keberatan(proses=p, tanggal=date(2020, 1, 20), dokumen=pdf(), catatan="", actor=operator)
    services.pembubaran_keputusan_keberatan(
        proses=p, tanggal=date(2020, 2, 1), diterima=True, dokumen=pdf(), catatan="", actor=head
    )
    p.refresh_from_db()
    k.refresh_from_db()
    assert (p.status, k.tanggal_pembubaran) == ("dibatalkan", None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "upload,message",
    [
        (SimpleUploadedFile("a.pdf", b"GIF89a not a pdf"), "Dokumen harus berkas PDF."),
        (SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024)), "Dokumen paling besar 5 MB."),
    ],
)
def test_documents_must_be_pdf_by_magic_bytes_and_small(media, operator, upload, message):
    k = make_koperasi()
    with pytest.raises(ValidationError, match=message):
        services.pembubaran_start(
            koperasi=k,
            alasan="x",
            tanggal_pemberitahuan=date(2020, 1, 2),
            tanggal_diterima=date(2020, 1, 3),
            dokumen=upload,
            actor=operator,
        )
    assert not PembubaranProses.objects.exists()


@pytest.mark.django_db
def test_due_list_puts_overdue_first(media, operator):
    late = make_koperasi(nama="Lambat")
    waiting = make_koperasi(nama="Menunggu")
    other = make_koperasi(nama="Banyumas", regency="33.02", district=None, village=None)
    for k, received in [(late, date(2019, 1, 10)), (waiting, date(2020, 2, 1)), (other, date(2019, 1, 10))]:
        services.pembubaran_start(
            koperasi=k,
            alasan="x",
            tanggal_pemberitahuan=received,
            tanggal_diterima=received,
            dokumen=pdf(),
            actor=operator,
        )
    items = pembubaran_due(regency_codes={"33.03"}, today=date(2020, 3, 9))
    assert [(i.proses.koperasi.nama, i.batas, i.terlambat, i.menunggu_koperasi) for i in items] == [
        ("Lambat", date(2019, 5, 10), True, False),
        ("Menunggu", date(2020, 6, 1), False, True),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "user,status",
    [("anonymous", 302), ("buyer", 403), ("other_operator", 404), ("operator", 302)],
)
def test_starting_a_procedure_on_the_web(client, request, media, user, status):
    k = make_koperasi()
    if user != "anonymous":
        client.force_login(request.getfixturevalue(user))
    response = client.post(
        reverse("koperasi:pembubaran_start", args=[k.pk]),
        {
            "alasan": "Tidak RAT",
            "tanggal_pemberitahuan": "2020-01-02",
            "tanggal_diterima": "2020-01-03",
            "dokumen": pdf(),
        },
    )
    assert response.status_code == status
    assert PembubaranProses.objects.filter(koperasi=k).count() == (1 if user == "operator" else 0)


@pytest.mark.django_db
def test_web_form_rejects_a_non_pdf_and_operators_cannot_decide(client, media, operator):
    k = make_koperasi()
    client.force_login(operator)
    response = client.post(
        reverse("koperasi:pembubaran_start", args=[k.pk]),
        {
            "alasan": "x",
            "tanggal_pemberitahuan": "2020-01-02",
            "tanggal_diterima": "2020-01-03",
            "dokumen": SimpleUploadedFile("x.pdf", b"<html>"),
        },
    )
    assert "Dokumen harus berkas PDF." in response.content.decode()
    p = services.pembubaran_start(
        koperasi=k,
        alasan="x",
        tanggal_pemberitahuan=date(2020, 1, 2),
        tanggal_diterima=date(2020, 1, 3),
        dokumen=pdf(),
        actor=operator,
    )
    url = reverse("koperasi:pembubaran_step", args=[p.pk, "keputusan_pembubaran"])
    refused = client.post(url, {"tanggal": "2020-04-01", "dokumen": pdf()})
    assert refused.status_code == 403
    assert "Halaman ini hanya untuk: Kepala dinas / kabid, Administrator sistem." in refused.content.decode()
    detail = client.get(reverse("koperasi:detail", args=[k.pk])).content.decode()
    assert url not in detail  # the operator is not shown a link they cannot use
    assert "dicatat oleh kepala dinas" in detail
    p.refresh_from_db()
    assert p.tanggal_keputusan_pembubaran is None
    page = client.get(reverse("koperasi:pembubaran_list"))
    assert [i.proses.pk for i in page.context["due"]] == [p.pk]
