"""An account holder's saved delivery addresses (issue #18): picked at checkout instead of typed again."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from apps.audit.services import audit_log
from apps.core.actors import Actor
from apps.orders.models import SavedAddress

# Kept per account; saving one more drops the one used longest ago.
MAX_SAVED_ADDRESSES = 10


@transaction.atomic
def address_save(*, user: Any, data: dict[str, Any], actor: Actor) -> SavedAddress:
    """Save a recipient's address for `user`, or mark the same address (same name, phone, street and village)
    as used now. Guests have no account to keep it in."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    fields = {
        "name": data["name"].strip(),
        "phone": data["phone"].strip(),
        "address": data["address"].strip(),
        "village_id": data["village_code"],
    }
    existing = SavedAddress.objects.select_for_update().filter(user=user, **fields).first()
    if existing is not None:
        existing.email = data.get("email", "")
        existing.postal_code = data.get("postal_code", "") or ""
        existing.last_used_at = timezone.now()
        existing.save(update_fields=["email", "postal_code", "last_used_at"])
        return existing
    saved = SavedAddress.objects.create(
        user=user, email=data.get("email", ""), postal_code=data.get("postal_code", "") or "", **fields
    )
    stale = SavedAddress.objects.filter(user=user).order_by("-last_used_at", "-pk")[MAX_SAVED_ADDRESSES:]
    SavedAddress.objects.filter(pk__in=[a.pk for a in stale]).delete()
    audit_log(actor=actor, action="address.save", obj=saved, changes={"alamat": [None, str(saved)]})
    return saved


@transaction.atomic
def address_delete(*, address: SavedAddress, actor: Actor) -> None:
    if address.user_id != getattr(actor, "pk", None):
        raise PermissionDenied
    audit_log(actor=actor, action="address.delete", obj=address, changes={"alamat": [str(address), None]})
    address.delete()
