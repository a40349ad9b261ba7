"""Seats are never overbooked: registrations and cancellations racing on real parallel connections."""

from datetime import date

from apps.core.testing import POSTGRES_PARALLEL, run_parallel
from apps.program import services
from apps.program.models import Kind, Participant, Programme

pytestmark = POSTGRES_PARALLEL


def test_parallel_registrations_fill_the_quota_exactly(transactional_regions):
    from apps.umkm.tests.factories import business_make

    p = Programme.objects.create(
        regency_id="33.03",
        code="PAR",
        kind=Kind.TRAINING,
        title="Pelatihan Paralel",
        start_date=date(2026, 3, 1),
        end_date=date(2026, 3, 1),
        quota=5,
    )
    businesses = [business_make(name=f"Usaha Paralel {i}") for i in range(20)]
    results = run_parallel(20, lambda i: services.participant_register(programme=p, business=businesses[i], actor=None))
    assert not [r for r in results if isinstance(r, Exception)]
    assert Participant.objects.filter(programme=p, status="terdaftar").count() == 5
    assert Participant.objects.filter(programme=p, status="daftar_tunggu").count() == 15
    # five seated participants cancel at once: exactly five offers go out, in waiting-list order
    seated = list(Participant.objects.filter(programme=p, status="terdaftar"))
    results = run_parallel(5, lambda i: services.participant_cancel(participant=seated[i], actor=None))
    assert not [r for r in results if isinstance(r, Exception)]
    offered = list(Participant.objects.filter(programme=p, offer_expires_at__isnull=False))
    first_five = [w.pk for w in services.waiting_list(p)][:5]
    assert sorted(o.pk for o in offered) == sorted(first_five)
    assert services.seats_free(p) == 0
