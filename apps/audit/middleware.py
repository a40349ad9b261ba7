from apps.audit.context import Origin, current_origin


def client_ip(request) -> str | None:
    # Behind the reverse proxy (README: deployment) the proxy sets X-Forwarded-For; its first hop is the client.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    ip = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")
    return ip or None


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
