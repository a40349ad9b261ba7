from apps.jobs.registry import job_handler
from apps.orders.services.fulfilment import orders_autocomplete_due
from apps.orders.services.payments import payments_expire_due


@job_handler("orders_expire")
def orders_expire(params, progress):
    """The same work as `manage.py orders_expire`, for the background worker."""
    expired = payments_expire_due()
    completed = orders_autocomplete_due()
    return {"summary": f"kedaluwarsa: {expired}, selesai otomatis: {completed}", "links": []}
