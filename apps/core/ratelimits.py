"""Rate limits (issue #15 M9) with django-ratelimit, counted per signed-in user, else per client address
(`apps.audit.middleware.client_ip`: the trusted-proxy rule, settings.RATELIMIT_IP_META_KEY).

The rates are settings (RATE_LIMIT_*, "<count>/<period>"). Exceeding one raises django-ratelimit's
`Ratelimited`, which its middleware turns into `rate_limited` below (429, Indonesian page).
The JSON API has its own throttle with the same rule (`tukatuku.api.ClientRateThrottle`)."""

from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """RATELIMIT_VIEW: too many requests from one user/address in a short time (429, a page saying to wait)."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response


def rate_limit_hit(request: HttpRequest, *, group: str, setting: str) -> bool:
    """Count this request in `group` and say whether the user/address went over the rate named by `setting`."""
    return bool(is_ratelimited(request, group=group, key="user_or_ip", rate=getattr(settings, setting), increment=True))


def rate_limit_enforce(request: HttpRequest, *, group: str, setting: str) -> None:
    if rate_limit_hit(request, group=group, setting=setting):
        raise Ratelimited()


def search_rate_limited(view):
    """A page that searches with `?q=` counts each search against RATE_LIMIT_SEARCH; browsing without a
    query (the cached listings) is not counted."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.GET.get("q"):
            rate_limit_enforce(request, group="search", setting="RATE_LIMIT_SEARCH")
        return view(request, *args, **kwargs)

    return wrapped


class UploadRateLimitMiddleware:
    """Every file upload (a multipart POST: imports, transfer proofs, product photos, documents, whatever
    view takes it) counts against RATE_LIMIT_UPLOAD, so a new upload form is limited without remembering to.
    Only the header is read here; the body is parsed by the view as before."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "POST"
            and request.content_type == "multipart/form-data"
            and rate_limit_hit(request, group="upload", setting="RATE_LIMIT_UPLOAD")
        ):
            return rate_limited(request, Ratelimited())
        return self.get_response(request)
