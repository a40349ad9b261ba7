"""PostgreSQL, real parallel connections: officers racing for the last seats of a session never exceed
its quota, and every refusal says the quota is full."""

import pytest
from django.core.exceptions import ValidationError

from apps.core.testing import POSTGRES_PARALLEL, run_parallel
from apps.koperasi.tests.factories import make_koperasi
from apps.pengembangan.models import Participant
from apps.pengembangan.services import ujikom as svc
from apps.pengembangan.tests.factories import make_manager, make_session

pytestmark = POSTGRES_PARALLEL


@pytest.mark.parametrize("run", range(3))
def test_last_seats_go_to_quota_many(transactional_regions, operator, run):
    session = make_session(kuota=3)
    koperasi = make_koperasi()
    managers = [make_manager(koperasi) for _ in range(8)]

    def enrol(i):
        return svc.participant_register(session=session, manager=managers[i], actor=operator)

    results = run_parallel(8, enrol)
    taken = [r for r in results if isinstance(r, Participant)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert (len(taken), len(refused)) == (3, 5)
    assert all("sudah penuh" in str(e) for e in refused)
    assert Participant.objects.filter(session=session).count() == 3
