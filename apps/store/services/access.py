"""Who may write what in the store: the permission checks the store services share (the predicates they
use, `is_curator_of` and `is_member_of`, are reads in `apps.store.selectors`)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from apps.core.actors import COMMAND_LINE
from apps.store.models import Seller, SellerStatus
from apps.store.selectors import is_curator_of, is_member_of


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
