"""E-mails about orders and payments, sent after the transaction commits (never for a rolled-back change)."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction


def mail_on_commit(*, to: Iterable[str], subject: str, body: str) -> None:
    recipients = sorted({addr for addr in to if addr})
    if not recipients:
        return
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True))


def seller_emails(seller: Any) -> list[str]:
    return [m.user.email for m in seller.members.select_related("user") if m.user.email]


def mail_buyer_on_commit(payment: Any, *, subject: str, body: str) -> None:
    """A mail to the buyer about a checkout, sent only once the address is confirmed: an address typed at a
    guest checkout gets exactly one mail (the one with the confirmation link) until its owner clicks it."""
    if payment.contact_confirmed_at is None:
        return
    mail_on_commit(to=[payment.buyer_email], subject=subject, body=body)


def site_url(path: str) -> str:
    """An absolute address for a link in a mail (SITE_URL + path)."""
    return str(getattr(settings, "SITE_URL", "") or "").rstrip("/") + path
