import io

import pytest
from django.db.models import Count

from apps.accounts import demo as accounts_demo
from apps.core.management.commands.demo import DemoContext
from apps.program import demo
from apps.program.models import Participant, Programme
from apps.program.packaging import ranking
from apps.store import demo as store_demo
from apps.umkm import demo as umkm_demo

pytestmark = pytest.mark.django_db


def test_demo_programmes_are_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ctx = DemoContext(1, 1, io.StringIO())
    accounts_demo.build(ctx)
    umkm_demo.build(ctx)
    store_demo.build(ctx)
    demo.build(ctx)
    counts = (Programme.objects.count(), Participant.objects.count())
    demo.build(ctx)
    assert (Programme.objects.count(), Participant.objects.count()) == counts
    assert dict(Programme.objects.values_list("kind").annotate(n=Count("pk"))) == {
        "pelatihan": 2,
        "bantuan_kemasan": 1,
        "festival": 1,
    }
    training = Programme.objects.get(code__endswith="-DEMO", kind="pelatihan")
    mine = Participant.objects.get(programme=training, business__seller__members__user__username="penjual")
    assert mine.status == "daftar_tunggu"
    assert Participant.objects.filter(programme__code="PLT-2019-001", status="lulus").exists()
    call = Programme.objects.get(kind="bantuan_kemasan")
    rows = ranking(call)
    assert len(rows) == 5 and all(r.rank is not None and r.reviews_done == 2 for r in rows)
