"""The roles of SPEC §2 and the groups of them that pages and services check, in one place.

A user has one role (`accounts.User.role`); seller and cooperative links live in their apps. Compare and
check with these names, never with the strings: `user.has_role(*STAFF)`, `Role.SELLER`. The values are the
stored strings, so `Role.OPERATOR == "operator"`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BUYER = "pembeli", _("Pembeli")
    SELLER = "mitra_umkm", _("Mitra UMKM (penjual)")
    COOP_OFFICER = "pengurus_koperasi", _("Pengurus koperasi")
    OPERATOR = "operator", _("Operator dinas")
    HEAD = "kepala_dinas", _("Kepala dinas / kabid")
    LEADERSHIP = "pimpinan", _("Pimpinan (Bupati)")
    BANK = "bank", _("Petugas bank mitra")
    ASSESSOR = "asesor", _("Asesor uji kompetensi")
    JUDGE = "juri", _("Juri Koperasi Award")
    ADMIN = "admin", _("Administrator sistem")


# The department's officers: they read the registries and the report of their regions.
OFFICERS: tuple[str, ...] = (Role.OPERATOR, Role.HEAD, Role.LEADERSHIP, Role.ADMIN)
# The officers who enter and correct data (leadership only reads).
STAFF: tuple[str, ...] = (Role.OPERATOR, Role.HEAD, Role.ADMIN)
# The officers who approve, decide and sign.
DECIDERS: tuple[str, ...] = (Role.HEAD, Role.ADMIN)
# Roles that work for the department or its partner bank: scoped by their assigned regions, and not shoppers.
REGION_SCOPED: tuple[str, ...] = (*OFFICERS, Role.BANK)
