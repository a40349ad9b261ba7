import ipaddress

from django.conf import settings

from apps.audit.context import Origin, current_origin


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address for the lockout and the audit log, trusting only configured proxies.

    With TRUSTED_PROXY_COUNT = 0 (no proxy) it is REMOTE_ADDR and X-Forwarded-For is ignored: the client
    writes that header. Behind N proxies that each append the address they received from (nginx's
    `$proxy_add_x_forwarded_for`), the client is the N-th address from the right; what is left of it
    was written by the client and is ignored."""
    remote = _valid_ip(request.META.get("REMOTE_ADDR", "") or "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < count:
        return remote  # the request did not come through every proxy: only the direct peer is known
    return _valid_ip(hops[-count]) or remote


class RequestOriginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        agent = request.META.get("HTTP_USER_AGENT", "")[:150]
        token = current_origin.set(Origin(ip=client_ip(request), description=f"web {request.method} {agent}"))
        try:
            return self.get_response(request)
        finally:
            current_origin.reset(token)
