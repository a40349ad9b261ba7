from datetime import date

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.jobs.registry import job_handler
from apps.settlement.services import statements_generate


@job_handler("settlement.generate", title=gettext_lazy("Menyusun laporan penyelesaian penjual"))
def settlement_generate(params, progress):
    """Create the month's statements of one department, one seller at a time, with progress."""
    actor = get_user_model().objects.filter(pk=params["actor_id"]).first() if params.get("actor_id") else None
    period = date.fromisoformat(params["period"])
    created = statements_generate(regency_code=params["regency"], period=period, actor=actor, progress=progress)
    return {
        "summary": _("%(n)s laporan penyelesaian baru untuk %(p)s.") % {"n": created, "p": period.strftime("%m/%Y")},
        "links": [
            {
                "label": _("Lihat laporan periode ini"),
                "url": reverse("settlement:period") + f"?bulan={period:%Y-%m}",
            }
        ],
    }
