"""The payment page of a checkout, the gateway's notification endpoint and the development gateway."""

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from apps.audit.middleware import client_ip
from apps.orders import selectors
from apps.orders.conf import (
    bank_account,
    gateway_notification_max_bytes,
    gateway_notification_rate,
    gateway_sandbox_enabled,
)
from apps.orders.forms import ProofForm
from apps.orders.gateway import sandbox
from apps.orders.models import PaymentMethod, PaymentStatus
from apps.orders.services.checkout import payment_from_contact_token
from apps.orders.services.gateway import gateway_notification_receive
from apps.orders.services.payments import payment_cancel, payment_confirm_contact, payment_upload_proof
from apps.orders.views.common import error_text


def confirm_contact(request, token):
    """The link of a checkout's first mail. A GET only shows a button (mail scanners open links); the POST
    confirms the address and leads to the payment page."""
    payment = payment_from_contact_token(token)
    if payment is None:
        raise Http404
    if request.method == "POST":
        try:
            payment_confirm_contact(payment=payment, actor=request.user)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Alamat e-mail dikonfirmasi. Terima kasih."))
        return redirect("orders:payment", token=payment.access_token)
    return render(request, "orders/confirm_contact.html", {"payment": payment})


def payment_view(request, token):
    payment = selectors.access_payment_by_token(token)
    proof_form = ProofForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "proof":
                proof_form = ProofForm(request.POST, request.FILES)
                if proof_form.is_valid():
                    payment_upload_proof(payment=payment, upload=proof_form.cleaned_data["proof"], actor=request.user)
                    messages.success(request, _("Bukti transfer terkirim. Operator akan memverifikasinya."))
                    return redirect("orders:payment", token=token)
            elif action == "cancel":
                payment_cancel(payment=payment, reason=_("Dibatalkan oleh pembeli."), actor=request.user)
                messages.success(request, _("Pesanan dibatalkan."))
                return redirect("orders:payment", token=token)
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "proof" in exc.error_dict:
                proof_form.add_error("proof", exc.error_dict["proof"])
            else:
                messages.error(request, error_text(exc))
    payment.refresh_from_db()
    return render(
        request,
        "orders/payment.html",
        {
            "payment": payment,
            "orders": selectors.payment_orders(payment),
            "proof_form": proof_form,
            "bank_account": bank_account(),
            "sandbox": gateway_sandbox_enabled(),
            "can_upload": payment.method == PaymentMethod.TRANSFER
            and payment.status in (PaymentStatus.PENDING, PaymentStatus.VERIFYING),
            "can_cancel": payment.status in (PaymentStatus.PENDING, PaymentStatus.VERIFYING),
        },
    )


def _notification_source(group: str, request: Any) -> str:
    return client_ip(request) or "unknown"  # behind TRUSTED_PROXY_COUNT proxies, as the login lockout


def _notification_rate(group: str, request: Any) -> str:
    return gateway_notification_rate()


@csrf_exempt
@require_POST
@ratelimit(group="orders.gateway_notification", key=_notification_source, rate=_notification_rate, block=False)
def gateway_notification(request):
    """The gateway's HTTP notification (JSON). Answers 403 for a bad signature and changes nothing.

    Unauthenticated by nature, so bounded (issue #15, M1): past the rate per source address 429 and nothing
    stored; a body over the size limit 413 unread; a bad signature keeps only an excerpt of the body."""
    if getattr(request, "limited", False):
        response = JsonResponse({"status": "rate_limited"}, status=429)
        response["Retry-After"] = "60"
        return response
    limit = gateway_notification_max_bytes()
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return JsonResponse({"status": "too_large"}, status=413)
    body = request.body
    if len(body) > limit:
        return JsonResponse({"status": "too_large"}, status=413)
    try:
        payload = json.loads(body.decode("utf-8"))
        if not isinstance(payload, dict):
            raise ValueError
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"status": "bad_request"}, status=400)
    status, outcome = gateway_notification_receive(payload=payload, raw_body=body)
    return JsonResponse({"status": outcome}, status=status)


def gateway_sandbox(request, token):
    """The development gateway: choose what the 'bank' does; signed notifications go to our endpoint."""
    if not gateway_sandbox_enabled():
        raise Http404
    payment = selectors.access_payment_by_token(token)
    if payment.method != PaymentMethod.GATEWAY:
        raise Http404
    results = None
    if request.method == "POST":
        scenario = request.POST.get("scenario", "")
        if scenario not in sandbox.SCENARIOS:
            return HttpResponse(status=400)
        url = request.build_absolute_uri(reverse("orders:gateway_notification"))
        notes = sandbox.scenario_notifications(order_id=payment.code, amount=payment.amount, scenario=scenario)
        results = sandbox.deliver(url=url, notifications=notes)
        payment.refresh_from_db()
    return render(
        request,
        "orders/gateway_sandbox.html",
        {"payment": payment, "scenarios": list(sandbox.SCENARIOS), "results": results},
    )
