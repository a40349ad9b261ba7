"""Who may write what in the store: the permission checks the store services share."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from apps.accounts.models import Role
from apps.accounts.selectors import user_can_see_regency
from apps.core.actors import COMMAND_LINE
from apps.store.models import Seller, SellerMember, SellerStatus

CURATOR_ROLES = (Role.OPERATOR, Role.HEAD, Role.ADMIN)


def is_curator_of(user: Any, regency_code: str) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_role(*CURATOR_ROLES)
        and user_can_see_regency(user, regency_code)
    )


def is_member_of(user: Any, seller: Seller) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return SellerMember.objects.filter(seller=seller, user=user).exists()


def require_curator(user: Any, regency_code: str) -> None:
    if not is_curator_of(user, regency_code):
        raise PermissionDenied(_("Anda tidak berwenang atas wilayah ini."))


def require_editor(user: Any, seller: Seller) -> None:
    # The command line (manage.py import_data produk_* --toko) drafts products like the shop's owner.
    if user is COMMAND_LINE:
        return
    if is_curator_of(user, seller.regency_id):
        return
    if not is_member_of(user, seller):
        raise PermissionDenied(_("Anda bukan pengelola toko ini."))
    if seller.status == SellerStatus.REJECTED:
        raise PermissionDenied(_("Pendaftaran toko ini ditolak; toko tidak dapat dikelola."))
