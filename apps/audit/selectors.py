from typing import Any

from django.db.models import Q, QuerySet

from apps.audit.models import AuditEntry
from apps.core.actors import user_regency_codes


def audit_entries(
    *, viewer: Any, actor_id: int | None = None, record_type: str = "", record_id: str = "", action: str = ""
) -> QuerySet[AuditEntry]:
    """Entries the viewer may read: administrators everything, officers their regencies' and their own."""
    qs = AuditEntry.objects.all()
    codes = user_regency_codes(viewer)
    if codes is not None:
        qs = qs.filter(Q(regency_code__in=codes) | Q(actor_id=viewer.pk))
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    if record_type:
        qs = qs.filter(record_type=record_type)
    if record_id:
        qs = qs.filter(record_id=record_id)
    if action:
        qs = qs.filter(action__startswith=action)
    return qs
