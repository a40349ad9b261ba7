from typing import Any

from django.db import models, transaction

from apps.audit.context import current_origin
from apps.audit.models import AuditEntry
from apps.core.actors import Actor, Visitor, actor_user
from apps.core.nik import NIKHolder, nik_decrypt


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def audit_log(
    *,
    actor: Visitor | None,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    record_type: str = "",
    record_id: str = "",
    record_repr: str = "",
    regency_code: str = "",
) -> AuditEntry:
    """Write one audit entry; call it inside the service's transaction so it commits with the change.

    `actor` is whoever acted: a user (stored as the entry's `actor`), a guest (shopping paths), or the
    command line or None (a system task), both named "sistem".

    `changes` maps a field to [before, after] or to a value. Never put a plain NIK in it.
    """
    entry = audit_entry(
        actor=actor,
        action=action,
        obj=obj,
        changes=changes,
        record_type=record_type,
        record_id=record_id,
        record_repr=record_repr,
        regency_code=regency_code,
    )
    entry.save()
    return entry


def audit_entry(
    *,
    actor: Visitor | None,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    record_type: str = "",
    record_id: str = "",
    record_repr: str = "",
    regency_code: str = "",
) -> AuditEntry:
    """An unsaved audit entry, for writers that save many at once (`bulk_create`: an import batch)."""
    origin = current_origin.get()
    if obj is not None:
        record_type = record_type or obj._meta.label_lower
        record_id = record_id or str(obj.pk)
        record_repr = record_repr or str(obj)[:200]
        regency_code = regency_code or str(getattr(obj, "regency_id", "") or "")
    user = actor_user(actor)
    return AuditEntry(
        actor=user,
        actor_name=(user.get_username() if user else (str(actor) if actor else "sistem"))[:150],
        action=action,
        record_type=record_type,
        record_id=record_id,
        record_repr=record_repr[:200],
        changes=_jsonable(changes or {}),
        regency_code=regency_code[:5],
        origin_ip=origin.ip,
        origin=origin.description[:300],
    )


@transaction.atomic
def nik_reveal(*, holder: NIKHolder, actor: Actor, regency_code: str, reason: str = "") -> str:
    """Return the plain NIK and write the unmasked view to the audit log (UU 27/2022).

    `regency_code` is the regency of the record the NIK was read on (the business, the cooperative): the
    entry carries it so that the regency's head of department and the province see who read NIKs there, not
    only the reader and the administrators (an owner or a manager has no regency of its own)."""
    audit_log(
        actor=actor,
        action="nik.reveal",
        obj=holder,
        changes={"alasan": reason} if reason else {},
        regency_code=regency_code,
    )
    return nik_decrypt(holder.nik_ciphertext)
