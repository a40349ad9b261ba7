"""Background work of Kredit Mawar: recomputing the subsidy days of every loan of the schemes whose
settings or bank's collectibility table an administrator changed (`services.subsidy_days_refresh` queues it
when there are too many loans to do it within the edit)."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.jobs.progress import Progress
from apps.jobs.registry import job_handler
from apps.pinjaman.models import Loan, Scheme
from apps.pinjaman.services import segments_recompute


@job_handler("pinjaman.segments", title=gettext_lazy("Hitung ulang subsidi bunga Kredit Mawar"))
def recompute_segments(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Recompute in chunks (each its own transaction), then clear the schemes' pending mark unless a later
    edit set it again (that edit's own job clears it)."""

    started = timezone.now()
    ids = list(Loan.objects.filter(scheme_id__in=params["scheme_ids"]).order_by("pk").values_list("pk", flat=True))
    progress.start(len(ids), _("Menghitung ulang hari bersubsidi"))
    for start in range(0, len(ids), 1000):
        segments_recompute(loan_ids=ids[start : start + 1000])
        progress.update(min(start + 1000, len(ids)))
    Scheme.objects.filter(pk__in=params["scheme_ids"], subsidy_days_pending_since__lte=started).update(
        subsidy_days_pending_since=None
    )
    progress.finish(_("Selesai"))
    return {"summary": _("%(n)s pinjaman dihitung ulang.") % {"n": len(ids)}, "links": []}
