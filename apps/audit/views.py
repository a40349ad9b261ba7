from django.core.paginator import Paginator
from django.shortcuts import render

from apps.audit.selectors import audit_entries
from apps.core.access import STAFF, role_required


@role_required(*STAFF)
def audit_list(request):
    actor = request.GET.get("actor")
    entries = audit_entries(
        viewer=request.user,
        actor_id=int(actor) if actor and actor.isdigit() else None,
        record_type=request.GET.get("record_type", ""),
        record_id=request.GET.get("record_id", ""),
        action=request.GET.get("action", ""),
    ).select_related("actor")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"page": page})
