from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.audit.presenters import action_sentence, present, record_kind
from apps.audit.selectors import audit_entries
from apps.core.access import role_required
from apps.core.forms import id_param
from apps.core.roles import STAFF


def _filter_choices(viewer):
    """Choice lists for the filters, from what the viewer may read (labels, never internal keys)."""
    User = get_user_model()
    scope = audit_entries(viewer=viewer).order_by()
    kinds = sorted({rt for rt in scope.values_list("record_type", flat=True).distinct() if rt})
    actions = dict(scope.values_list("action", "record_type").distinct())
    actor_ids = set(scope.exclude(actor_id=None).values_list("actor_id", flat=True).distinct())
    actors = User.objects.filter(pk__in=actor_ids).order_by("first_name", "username")
    return {
        "record_types": sorted(((rt, record_kind(rt)) for rt in kinds), key=lambda c: c[1]),
        "actions": sorted(((a, action_sentence(a, rt)) for a, rt in actions.items() if a), key=lambda c: c[1]),
        "actors": [(str(u.pk), f"{u.get_full_name() or u.username} ({u.get_role_display()})") for u in actors],
    }


@role_required(*STAFF)
def audit_list(request):
    actor = request.GET.get("actor")
    entries = audit_entries(
        viewer=request.user,
        actor_id=id_param(actor),
        record_type=request.GET.get("record_type", ""),
        record_id=request.GET.get("record_id", ""),
        action=request.GET.get("action", ""),
    ).select_related("actor")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/list.html",
        {
            "page": page,
            "rows": [present(e) for e in page],
            "choices": _filter_choices(request.user),
            "record_id": request.GET.get("record_id", ""),
            "all_label": _("Semua"),
        },
    )
