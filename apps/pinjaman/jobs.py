"""Background work of Kredit Mawar: recomputing the subsidy days of every loan of the schemes whose
settings, rates or the bank's collectibility table an administrator changed."""

from typing import Any

from django.utils.translation import gettext as _

from apps.jobs.progress import Progress
from apps.jobs.registry import job_handler


@job_handler("pinjaman.segments")
def recompute_segments(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    from apps.pinjaman.models import Loan
    from apps.pinjaman.services import segments_recompute

    ids = list(Loan.objects.filter(scheme_id__in=params["scheme_ids"]).order_by("pk").values_list("pk", flat=True))
    progress.start(len(ids), _("Menghitung ulang hari bersubsidi"))
    for start in range(0, len(ids), 1000):
        segments_recompute(loan_ids=ids[start : start + 1000])
        progress.update(min(start + 1000, len(ids)))
    progress.finish(_("Selesai"))
    return {"summary": _("%(n)s pinjaman dihitung ulang.") % {"n": len(ids)}, "links": []}
