"""Where to send someone back to after a form: only a path on this site (issue #15 L2)."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, candidate: str | None, fallback: str) -> str:
    """`candidate` (a `next` the client sent) when it is a URL of this site — Django's own check, which
    refuses `//host`, `/\\host`, `https://host`, `http:host`, `javascript:` and control characters — else
    `fallback`. The login and logout views use the same check."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback
