"""Operators' review of bank-transfer proofs."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.access import role_required
from apps.core.roles import STAFF
from apps.core.uploads import protected_file_response
from apps.orders import selectors
from apps.orders.forms import RejectProofForm
from apps.orders.services.payments import payment_reject_proof, payment_verify
from apps.orders.views.common import error_text


@role_required(*STAFF)
def transfer_queue(request):
    return render(request, "orders/transfer_queue.html", {"payments": selectors.transfer_queue(user=request.user)})


@role_required(*STAFF)
def transfer_review(request, code):
    payment = selectors.access_payment_for_operator(request.user, code)
    reject_form = RejectProofForm()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "verify":
                payment_verify(payment=payment, actor=request.user)
                messages.success(request, _("Pembayaran %(c)s diverifikasi.") % {"c": payment.code})
                return redirect("orders:transfer_queue")
            reject_form = RejectProofForm(request.POST)
            if reject_form.is_valid():
                payment_reject_proof(payment=payment, note=reject_form.cleaned_data["note"], actor=request.user)
                messages.success(request, _("Bukti transfer %(c)s ditolak.") % {"c": payment.code})
                return redirect("orders:transfer_queue")
        except ValidationError as exc:
            messages.error(request, error_text(exc))
    return render(
        request,
        "orders/transfer_review.html",
        {"payment": payment, "orders": selectors.payment_orders(payment), "reject_form": reject_form},
    )


@role_required(*STAFF)
def transfer_proof(request, code):
    """The proof file, served only to operators of the payment's regions (it is not public media)."""
    payment = selectors.access_payment_for_operator(request.user, code)
    if not payment.proof:
        raise Http404
    return protected_file_response(payment.proof, download_name=f"bukti-transfer-{payment.code}")
