"""Notices to the borrower: on their page (`BorrowerNotice`) and by e-mail after the commit. Every step of
the flow, and every repayment or write-off entered on the pages (saying so when the loan is repaid), tells
the borrower who applied; the bank's files tell nobody."""

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from apps.pinjaman.models import BorrowerNotice, Loan


def notify(*, user: Any, text: str, application: Any = None, loan: Loan | None = None) -> None:
    """A notice to the borrower on their page, and by e-mail after the commit when they have an address."""
    if user is None:
        return
    BorrowerNotice.objects.create(user=user, application=application, loan=loan, text=text[:400])
    if user.email:
        transaction.on_commit(
            lambda: send_mail(_("Kredit Mawar"), text, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=True)
        )


def borrower(loan: Loan) -> Any:
    """The user who applied for this loan online (None for a loan from the bank's files or an operator's
    application without an account)."""
    application = getattr(loan, "application", None)
    return application.applicant_user if application is not None else None
