"""Writes of the store's sellers (SPEC §6): application, enrolment, verification and status, members."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.audit.services import audit_log
from apps.core.actors import Actor, actor_user, signed_in_user
from apps.core.nik import nik_hash
from apps.core.roles import Role
from apps.store.cache import catalogue_changed
from apps.store.models import Product, ProductStatus, Seller, SellerMember, SellerRole, SellerStatus
from apps.store.services.access import is_curator_of, require_curator
from apps.umkm.models import Business, BusinessStatus


def _unique_slug(model: Any, base: str, **scope: Any) -> str:
    base = (slugify(base) or "toko")[:100]
    slug, n = base, 1
    while model.objects.filter(slug=slug, **scope).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


APPLICATION_MISMATCH = gettext_lazy(
    "Data usaha dan NIK pemilik tidak cocok dengan registri UMKM, atau usaha ini tidak dapat didaftarkan. "
    "Periksa kembali, atau hubungi operator dinas dengan membawa KTP dan NIB."
)


def _seller_create(*, business: Business, shop_name: str, description: str, status: str) -> Seller:
    """A shop for a registry business. A rejected application does not block the business: its shop row is
    taken over by the new application or enrolment (the rejected applicant loses access; drafts go)."""
    if business.status != BusinessStatus.ACTIVE:
        raise ValidationError(_("Usaha yang sudah tutup tidak dapat menjadi penjual."))
    shop_name = shop_name.strip() or business.name
    existing = Seller.objects.select_for_update().filter(business=business).first()
    if existing is not None and existing.status != SellerStatus.REJECTED:
        raise ValidationError(_("Usaha ini sudah terdaftar sebagai penjual."))
    if existing is not None:
        SellerMember.objects.filter(seller=existing).delete()
        try:
            with transaction.atomic():
                Product.objects.filter(seller=existing).delete()
        except ProtectedError:  # never listed, so never sold; kept if something still points at them
            pass
        existing.shop_name, existing.description, existing.status, existing.status_note = (
            shop_name,
            description,
            status,
            "",
        )
        existing.slug = _unique_slug(Seller, shop_name)
        existing.save(update_fields=["shop_name", "description", "status", "status_note", "slug", "updated_at"])
        return existing
    return Seller.objects.create(
        business=business,
        shop_name=shop_name,
        slug=_unique_slug(Seller, shop_name),
        description=description,
        regency_id=business.regency_id,
        district_id=business.district_id,
        village_id=business.village_id,
        status=status,
    )


@transaction.atomic
def seller_apply(*, business: Business, shop_name: str, actor: Actor, owner_nik: str, description: str = "") -> Seller:
    """A business owner applies to sell; the applicant becomes the shop's owner user. Awaits verification.

    The application is bound to the owner's identity: `owner_nik` must be the NIK the registry holds for
    the business's owner (compared by its keyed hash). Every refusal reads the same, so the form tells
    nobody which businesses exist or are closed."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Masuk dahulu untuk mendaftar sebagai penjual."))
    owner_hash = Business.objects.filter(pk=business.pk).values_list("owner__nik_hash", flat=True).first()
    if not owner_nik or owner_hash != nik_hash(owner_nik) or business.status != BusinessStatus.ACTIVE:
        raise ValidationError(APPLICATION_MISMATCH)
    try:
        seller = _seller_create(
            business=business, shop_name=shop_name, description=description, status=SellerStatus.APPLIED
        )
    except ValidationError:
        raise ValidationError(APPLICATION_MISMATCH) from None
    SellerMember.objects.create(seller=seller, user=signed_in_user(actor), role=SellerRole.OWNER)
    catalogue_changed()
    audit_log(
        actor=actor,
        action="seller.apply",
        obj=seller,
        changes={"status": [None, seller.status], "nik_pemilik_cocok": True},
    )
    return seller


@transaction.atomic
def seller_enrol(
    *, business: Business, shop_name: str, actor: Actor, owner: User | None = None, description: str = ""
) -> Seller:
    """An operator enrols a registry business; the department has checked it, so it starts verified."""
    require_curator(actor, business.regency_id)
    seller = _seller_create(
        business=business, shop_name=shop_name, description=description, status=SellerStatus.VERIFIED
    )
    changes: dict[str, Any] = {"status": [None, seller.status]}
    if owner is not None:
        SellerMember.objects.create(seller=seller, user=owner, role=SellerRole.OWNER)
        changes["pemilik"] = owner.get_username()
        _promote_to_seller_role([owner])
    catalogue_changed()
    audit_log(actor=actor, action="seller.enrol", obj=seller, changes=changes)
    return seller


def _promote_to_seller_role(users: list[User]) -> None:
    """Buyers who run a verified shop become mitra UMKM (officers keep their role)."""
    for user in users:
        if user.role == Role.BUYER:
            user.role = Role.SELLER
            user.save(update_fields=["role"])


def _seller_transition(
    *, seller: Seller, actor: Actor, allowed_from: set[str], to: str, action: str, note: str = ""
) -> Seller:
    require_curator(actor, seller.regency_id)
    seller = Seller.objects.select_for_update().get(pk=seller.pk)
    if seller.status not in allowed_from:
        raise ValidationError(
            _("Status penjual %(s)s tidak dapat diubah dengan tindakan ini.") % {"s": seller.get_status_display()}
        )
    before = seller.status
    seller.status, seller.status_note = to, note[:300]
    seller.save(update_fields=["status", "status_note", "updated_at"])
    # Its approved products appear or disappear with the shop (their own status does not change).
    Product.objects.filter(seller=seller, status=ProductStatus.APPROVED).update(listed=to == SellerStatus.VERIFIED)
    if to == SellerStatus.VERIFIED:
        _promote_to_seller_role([m.user for m in seller.members.select_related("user")])
    catalogue_changed()
    audit_log(actor=actor, action=action, obj=seller, changes={"status": [before, to], "catatan": note})
    return seller


def seller_verify(*, seller: Seller, actor: Actor, note: str = "") -> Seller:
    with transaction.atomic():
        return _seller_transition(
            seller=seller,
            actor=actor,
            allowed_from={SellerStatus.APPLIED, SellerStatus.REJECTED},
            to=SellerStatus.VERIFIED,
            action="seller.verify",
            note=note,
        )


def seller_reject(*, seller: Seller, actor: Actor, reason: str) -> Seller:
    if not reason.strip():
        raise ValidationError(_("Alasan penolakan wajib diisi."))
    with transaction.atomic():
        return _seller_transition(
            seller=seller,
            actor=actor,
            allowed_from={SellerStatus.APPLIED},
            to=SellerStatus.REJECTED,
            action="seller.reject",
            note=reason,
        )


def seller_suspend(*, seller: Seller, actor: Actor, reason: str) -> Seller:
    """Suspended shops disappear from the storefront (their products stay approved, hidden)."""
    if not reason.strip():
        raise ValidationError(_("Alasan penangguhan wajib diisi."))
    with transaction.atomic():
        return _seller_transition(
            seller=seller,
            actor=actor,
            allowed_from={SellerStatus.VERIFIED},
            to=SellerStatus.SUSPENDED,
            action="seller.suspend",
            note=reason,
        )


def seller_reinstate(*, seller: Seller, actor: Actor, note: str = "") -> Seller:
    with transaction.atomic():
        return _seller_transition(
            seller=seller,
            actor=actor,
            allowed_from={SellerStatus.SUSPENDED},
            to=SellerStatus.VERIFIED,
            action="seller.reinstate",
            note=note,
        )


@transaction.atomic
def seller_member_add(*, seller: Seller, user: User, actor: Actor, role: str = SellerRole.STAFF) -> SellerMember:
    """The shop owner (or a curator) adds a user as owner or staff."""
    owner = SellerMember.objects.filter(seller=seller, user=actor_user(actor), role=SellerRole.OWNER).exists()
    if not (owner or is_curator_of(actor, seller.regency_id)):
        raise PermissionDenied(_("Hanya pemilik toko yang dapat menambah pengguna."))
    if SellerMember.objects.filter(seller=seller, user=user).exists():
        raise ValidationError(_("Pengguna ini sudah menjadi anggota toko."))
    member = SellerMember.objects.create(seller=seller, user=user, role=role)
    if seller.status == SellerStatus.VERIFIED:
        _promote_to_seller_role([user])
    catalogue_changed()
    audit_log(
        actor=actor, action="seller.member_add", obj=seller, changes={"pengguna": user.get_username(), "peran": role}
    )
    return member


@transaction.atomic
def seller_member_remove(*, member: SellerMember, actor: Actor) -> None:
    seller = member.seller
    owner = SellerMember.objects.filter(seller=seller, user=actor_user(actor), role=SellerRole.OWNER).exists()
    if not (owner or is_curator_of(actor, seller.regency_id)):
        raise PermissionDenied(_("Hanya pemilik toko yang dapat menghapus pengguna."))
    if member.role == SellerRole.OWNER and seller.members.filter(role=SellerRole.OWNER).count() == 1:
        raise ValidationError(_("Toko harus memiliki setidaknya satu pemilik."))
    username = member.user.get_username()
    member.delete()
    catalogue_changed()
    audit_log(actor=actor, action="seller.member_remove", obj=seller, changes={"pengguna": username})
