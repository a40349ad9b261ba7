import time

from django.utils.translation import gettext_lazy

from apps.jobs.registry import job_handler
from apps.orders.services.fulfilment import orders_autocomplete_due
from apps.orders.services.payments import payments_expire_due


@job_handler("orders_expire", title=gettext_lazy("Pembatalan pembayaran kedaluwarsa"))
def orders_expire(params, progress):
    """The same work as `manage.py orders_expire`, for the background worker."""
    expired = payments_expire_due()
    completed = orders_autocomplete_due()
    return {"summary": f"kedaluwarsa: {expired}, selesai otomatis: {completed}", "links": []}


_last_expiry_check = [float("-inf")]
EXPIRY_CHECK_SECONDS = 60


def orders_expire_idle() -> int:
    """The worker's idle task: once a minute, expire overdue unpaid payments and unconfirmed cash-on-delivery
    checkouts, so reserved stock comes back without a cron entry. Returns how many expired."""
    now = time.monotonic()
    if now - _last_expiry_check[0] < EXPIRY_CHECK_SECONDS:
        return 0
    _last_expiry_check[0] = now
    return payments_expire_due()
